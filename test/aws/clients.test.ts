import {describe, expect, test} from 'vitest';
import {createClientFactory, defaultMaxAttempts} from '../../source/aws/clients.js';

const credentials = {accessKeyId: 'AKIDCLIENTSTEST00001', secretAccessKey: 'clients-test-secret'};

describe('client factory', () => {
	test('one client per service and region, reused until close()', async () => {
		const clients = createClientFactory({credentials, env: {}, region: 'us-east-1'});
		const ec2 = clients.ec2('us-east-1');
		expect(clients.ec2('us-east-1')).toBe(ec2);
		expect(clients.ec2('eu-west-1')).not.toBe(ec2);
		expect(clients.s3('us-east-1')).toBe(clients.s3('us-east-1'));
		expect(clients.sts('us-east-1')).toBe(clients.sts('us-east-1'));
		expect(await ec2.config.region()).toBe('us-east-1');
		expect(await clients.ec2('eu-west-1').config.region()).toBe('eu-west-1');
		clients.close();
		expect(clients.ec2('us-east-1')).not.toBe(ec2);
		clients.close();
	});

	test('adaptive retries, the attempts asked for, and the explicit endpoint', async () => {
		const clients = createClientFactory({
			credentials,
			env: {},
			region: 'us-east-1',
			maxAttempts: 7,
			endpointUrl: 'http://127.0.0.1:4566',
		});
		try {
			const {config} = clients.s3('us-west-2');
			expect(config.retryMode).toBe('adaptive');
			expect((await config.retryStrategy()).constructor.name).toBe('AdaptiveRetryStrategy');
			expect(await config.maxAttempts()).toBe(7);
			const endpoint = await config.endpoint?.();
			expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe('http://127.0.0.1:4566');
		} finally {
			clients.close();
		}

		const defaults = createClientFactory({credentials, env: {}, region: 'us-east-1'});
		try {
			expect(await defaults.ec2('us-east-1').config.maxAttempts()).toBe(defaultMaxAttempts);
		} finally {
			defaults.close();
		}
	});

	test('explicit credentials are used as given (a session token makes them temporary)', async () => {
		const clients = createClientFactory({
			credentials: {...credentials, sessionToken: 'token-1234'},
			env: {},
			region: 'us-east-1',
		});
		expect(await clients.credentials()).toEqual({...credentials, sessionToken: 'token-1234'});
		clients.close();
	});
});
