/**
 * Issue 14 item 4: bad or expired credentials are not "a bucket of another account", and a broken profile says
 * what is broken instead of "No AWS credentials were found".
 */
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {isolateAwsEnvironment} from '../helpers/aws-env.js';
import {rejection} from '../helpers/rejection.js';
import {startTestSandbox} from '../helpers/sandbox.js';

const environment = isolateAwsEnvironment();

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

describe('keys AWS refuses are reported as such, not as a foreign bucket', () => {
	test.each([
		[
			'an unknown access key',
			{accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'whatever'},
			'InvalidClientTokenId',
		],
		['a wrong secret', {secretAccessKey: 'not-the-secret'}, 'SignatureDoesNotMatch'],
	])('%s: probeBucket says what is wrong with the credentials', async (_name, keys, code) => {
		const services = await createServices({
			mode: 'aws',
			endpointUrl: sandbox.endpoint,
			credentials: {...sandbox.credentials, ...keys},
			region: 'us-east-1',
			env: {},
		});
		try {
			const error = await rejection(services.probeBucket('bundledeck-someone-elses'));
			expect(error.code).toBe(code);
			expect(error.toLine()).not.toMatch(/another AWS account/);
			expect(error.toLine()).not.toContain('not-the-secret');
		} finally {
			services.close();
		}
	});
});

describe('a broken profile gets its own line', () => {
	const json = (expiration: string) =>
		JSON.stringify({
			Version: 1,
			AccessKeyId: 'AKIAPROCESS000000001',
			SecretAccessKey: 'process-secret',
			SessionToken: 't',
			Expiration: expiration,
		});

	test.each([
		[
			'a failing credential_process',
			`[profile broken]\ncredential_process = /bin/sh -c "echo 'token file is missing' >&2; exit 3"\n`,
			/credential_process of AWS profile 'broken' failed: token file is missing/,
		],
		[
			'a self-referencing source_profile',
			'[profile broken]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = broken\n',
			/profile 'broken' refers back to itself through source_profile/,
		],
		[
			'expired process credentials',
			'[profile broken]\ncredential_process = /bin/cat expired.json\n',
			/credential_process of AWS profile 'broken' returned credentials that had already expired/,
		],
	])('%s', async (_name, config, expected) => {
		await writeFile(path.join(environment.dir(), 'expired.json'), json('2020-01-01T00:00:00Z'));
		await writeFile(
			path.join(environment.dir(), 'config'),
			config.replace('expired.json', path.join(environment.dir(), 'expired.json')),
		);
		const error = await rejection(createServices({mode: 'aws', profile: 'broken', region: 'us-east-1'}));
		expect(error.toLine()).toMatch(expected);
		expect(error.toLine()).not.toContain('No AWS credentials were found');
		expect(error.toLine()).not.toContain('process-secret');
	});
});
