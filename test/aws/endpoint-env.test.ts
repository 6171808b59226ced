import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {startTestSandbox} from '../helpers/sandbox.js';

// Without --endpoint-url, the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> handling must keep working.
const variables = [
	'AWS_ENDPOINT_URL',
	'AWS_ENDPOINT_URL_EC2',
	'AWS_ENDPOINT_URL_S3',
	'AWS_ENDPOINT_URL_STS',
	'AWS_ACCESS_KEY_ID',
	'AWS_SECRET_ACCESS_KEY',
	'AWS_SESSION_TOKEN',
	'AWS_PROFILE',
	'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
	'AWS_SHARED_CREDENTIALS_FILE',
	'AWS_CONFIG_FILE',
];
let sandbox: Sandbox;
let saved: Record<string, string | undefined>;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(() => {
	saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
	for (const name of variables) {
		delete process.env[name];
	}

	process.env['AWS_ACCESS_KEY_ID'] = sandbox.credentials.accessKeyId;
	process.env['AWS_SECRET_ACCESS_KEY'] = sandbox.credentials.secretAccessKey;
});

afterEach(() => {
	for (const name of variables) {
		if (saved[name] === undefined) {
			delete process.env[name];
		} else {
			process.env[name] = saved[name];
		}
	}
});

describe('endpoints from the environment', () => {
	test('AWS_ENDPOINT_URL points every service at the sandbox', async () => {
		process.env['AWS_ENDPOINT_URL'] = sandbox.endpoint;
		const services = await createServices({mode: 'aws', region: 'us-west-2'});
		try {
			expect((await services.whoami()).accountId).toBe(sandbox.accounts[0]!.id);
			expect(await services.listRegions()).toContain('us-west-2');
			expect(await services.probeBucket('bundledeck-env-endpoint')).toEqual({status: 'missing'});
		} finally {
			services.close();
		}
	});

	test('AWS_ENDPOINT_URL_EC2 wins over AWS_ENDPOINT_URL for EC2 only', async () => {
		process.env['AWS_ENDPOINT_URL'] = 'http://127.0.0.1:9';
		process.env['AWS_ENDPOINT_URL_EC2'] = sandbox.endpoint;
		const services = await createServices({mode: 'aws', region: 'us-west-2', maxAttempts: 1});
		try {
			expect(await services.listRegions()).toContain('us-west-2');
			await expect(services.probeBucket('bundledeck-env-endpoint')).rejects.toMatchObject({code: 'NetworkError'});
		} finally {
			services.close();
		}
	});

	test('AWS_PROFILE: keys from that profile, and the profile shown with the account', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-endpoint-profile-'));
		try {
			await writeFile(
				path.join(dir, 'credentials'),
				`[work]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`,
			);
			await writeFile(path.join(dir, 'config'), '[profile work]\nregion = ap-southeast-2\n');
			delete process.env['AWS_ACCESS_KEY_ID'];
			delete process.env['AWS_SECRET_ACCESS_KEY'];
			process.env['AWS_SHARED_CREDENTIALS_FILE'] = path.join(dir, 'credentials');
			process.env['AWS_CONFIG_FILE'] = path.join(dir, 'config');
			process.env['AWS_PROFILE'] = 'work';
			process.env['AWS_ENDPOINT_URL'] = sandbox.endpoint;
			const services = await createServices({mode: 'aws'});
			try {
				expect(services.defaultRegion).toBe('ap-southeast-2');
				expect(await services.whoami()).toMatchObject({
					accountId: sandbox.accounts[0]!.id,
					profile: 'work',
					mode: 'aws',
				});
			} finally {
				services.close();
			}
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});

	test('--endpoint-url wins over the environment', async () => {
		process.env['AWS_ENDPOINT_URL'] = 'http://127.0.0.1:9';
		const services = await createServices({mode: 'aws', region: 'us-west-2', endpointUrl: sandbox.endpoint});
		try {
			expect(await services.listRegions()).toContain('us-west-2');
			expect(await services.probeBucket('bundledeck-env-endpoint')).toEqual({status: 'missing'});
		} finally {
			services.close();
		}
	});
});
