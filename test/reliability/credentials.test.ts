/**
 * Issue 14 item 4: bad or expired credentials are not "a bucket of another account", and a broken profile says
 * what is broken instead of "No AWS credentials were found".
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {rejection} from '../helpers/rejection.js';
import {startTestSandbox} from '../helpers/sandbox.js';

const variables = [
	'AWS_ACCESS_KEY_ID',
	'AWS_SECRET_ACCESS_KEY',
	'AWS_SESSION_TOKEN',
	'AWS_PROFILE',
	'AWS_DEFAULT_PROFILE',
	'AWS_CONFIG_FILE',
	'AWS_SHARED_CREDENTIALS_FILE',
	'AWS_EC2_METADATA_DISABLED',
	'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
	'AWS_CONTAINER_CREDENTIALS_FULL_URI',
	'AWS_WEB_IDENTITY_TOKEN_FILE',
	'AWS_ROLE_ARN',
];
let saved: Record<string, string | undefined>;
let dir: string;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
	for (const name of variables) {
		delete process.env[name];
	}

	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-reliability-credentials-'));
	process.env['AWS_CONFIG_FILE'] = path.join(dir, 'config');
	process.env['AWS_SHARED_CREDENTIALS_FILE'] = path.join(dir, 'credentials');
	process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
});

afterEach(async () => {
	for (const name of variables) {
		if (saved[name] === undefined) {
			delete process.env[name];
		} else {
			process.env[name] = saved[name];
		}
	}

	await rm(dir, {recursive: true, force: true});
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
		await writeFile(path.join(dir, 'expired.json'), json('2020-01-01T00:00:00Z'));
		await writeFile(path.join(dir, 'config'), config.replace('expired.json', path.join(dir, 'expired.json')));
		const error = await rejection(createServices({mode: 'aws', profile: 'broken', region: 'us-east-1'}));
		expect(error.toLine()).toMatch(expected);
		expect(error.toLine()).not.toContain('No AWS credentials were found');
		expect(error.toLine()).not.toContain('process-secret');
	});
});
