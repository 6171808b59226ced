import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';

// The SDK's provider chain reads process.env itself: isolate it from the developer's own AWS setup.
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
	'AWS_REGION',
	'AWS_DEFAULT_REGION',
];
let saved: Record<string, string | undefined>;
let dir: string;

beforeEach(async () => {
	saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
	for (const name of variables) {
		delete process.env[name];
	}

	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-credentials-'));
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

describe('credentials from the SDK provider chain', () => {
	test('none anywhere: AppError NoCredentials pointing to --sandbox, aws configure and --profile', async () => {
		const error = await createServices({mode: 'aws', region: 'us-east-1'}).catch((error: unknown) => error);
		expect(error).toMatchObject({name: 'AppError', code: 'NoCredentials'});
		const {hint} = error as {hint: string};
		expect(hint).toContain('--sandbox');
		expect(hint).toContain('aws configure');
		expect(hint).toContain('--profile');
	});

	test('keys from a named profile in the shared credentials file', async () => {
		await writeFile(
			path.join(dir, 'credentials'),
			'[work]\naws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = profile-secret\naws_session_token = profile-token\n',
		);
		await writeFile(path.join(dir, 'config'), '[profile work]\nregion = eu-west-1\n');
		const services = await createServices({mode: 'aws', profile: 'work'});
		try {
			expect(services.defaultRegion).toBe('eu-west-1');
			expect(await services.usesTemporaryCredentials()).toBe(true);
		} finally {
			services.close();
		}
	});

	test('keys from the environment', async () => {
		process.env['AWS_ACCESS_KEY_ID'] = 'AKIAENVIRONMENTKEY01';
		process.env['AWS_SECRET_ACCESS_KEY'] = 'environment-secret';
		const services = await createServices({mode: 'aws', region: 'us-west-2'});
		try {
			expect(await services.usesTemporaryCredentials()).toBe(false);
		} finally {
			services.close();
		}
	});

	test('an unknown profile: AppError NoCredentials naming the problem', async () => {
		await writeFile(path.join(dir, 'config'), '[profile work]\nregion = eu-west-1\n');
		const error = await createServices({mode: 'aws', profile: 'nope', region: 'us-east-1'}).catch(
			(error: unknown) => error,
		);
		expect(error).toMatchObject({name: 'AppError', code: 'NoCredentials'});
		expect((error as Error).message).toBe(
			"The AWS profile 'nope' (--profile) was not found in ~/.aws/config or ~/.aws/credentials",
		);
		expect((error as {hint: string}).hint).toContain('aws configure list-profiles');
	});

	test('an unknown AWS_PROFILE is named too; a profile that exists but has no keys is not called missing', async () => {
		process.env['AWS_PROFILE'] = 'typo';
		const error = await createServices({mode: 'aws', region: 'us-east-1', env: process.env}).catch(
			(error: unknown) => error,
		);
		expect((error as Error).message).toContain("The AWS profile 'typo' (AWS_PROFILE) was not found");

		await writeFile(path.join(dir, 'config'), '[profile empty]\nregion = eu-west-1\n');
		const empty = await createServices({mode: 'aws', profile: 'empty', region: 'us-east-1'}).catch(
			(error_: unknown) => error_,
		);
		expect(empty).toMatchObject({code: 'NoCredentials'});
		expect((empty as Error).message).not.toContain('was not found');
	});
});
