import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {resolveRegion} from '../../source/aws/region.js';
import {createServices} from '../../source/aws/services.js';

let dir: string;
let configFile: string;
const credentials = {accessKeyId: 'AKIDREGIONTEST', secretAccessKey: 'region-test-secret'};

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-region-'));
	configFile = path.join(dir, 'config');
	await writeFile(
		configFile,
		[
			'[default]',
			'region = eu-west-1',
			'',
			'[profile work]',
			'region = ap-southeast-2',
			'',
			'[profile bare]',
			'output = json',
			'',
		].join('\n'),
	);
});

afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	return {AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'), ...extra};
}

describe('region resolution: flag > AWS_REGION > AWS_DEFAULT_REGION > profile > us-east-1', () => {
	test('the flag wins over everything', async () => {
		const resolved = await resolveRegion({
			flag: 'us-west-2',
			profile: 'work',
			env: env({AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1'}),
		});
		expect(resolved).toEqual({region: 'us-west-2', source: 'flag'});
	});

	test('AWS_REGION wins over AWS_DEFAULT_REGION and the profile', async () => {
		const resolved = await resolveRegion({
			profile: 'work',
			env: env({AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-1'}),
		});
		expect(resolved).toEqual({region: 'us-west-2', source: 'env'});
	});

	test('AWS_DEFAULT_REGION is used when AWS_REGION is unset or empty', async () => {
		const resolved = await resolveRegion({
			profile: 'work',
			env: env({AWS_REGION: '', AWS_DEFAULT_REGION: 'us-west-2'}),
		});
		expect(resolved).toEqual({region: 'us-west-2', source: 'env'});
	});

	test('the named profile region from AWS_CONFIG_FILE', async () => {
		expect(await resolveRegion({profile: 'work', env: env()})).toEqual({region: 'ap-southeast-2', source: 'profile'});
	});

	test('AWS_PROFILE selects the profile when no --profile is given', async () => {
		expect(await resolveRegion({env: env({AWS_PROFILE: 'work'})})).toEqual({
			region: 'ap-southeast-2',
			source: 'profile',
		});
	});

	test('the default profile when none is named', async () => {
		expect(await resolveRegion({env: env()})).toEqual({region: 'eu-west-1', source: 'profile'});
	});

	test('us-east-1 when the profile has no region', async () => {
		expect(await resolveRegion({profile: 'bare', env: env()})).toEqual({region: 'us-east-1', source: 'default'});
	});

	test('us-east-1 when there is no config file at all', async () => {
		const resolved = await resolveRegion({
			env: {AWS_CONFIG_FILE: path.join(dir, 'missing'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'missing-too')},
		});
		expect(resolved).toEqual({region: 'us-east-1', source: 'default'});
	});

	test('createServices exposes the resolved region as defaultRegion', async () => {
		const fromProfile = await createServices({mode: 'aws', credentials, profile: 'work', env: env()});
		const fromFlag = await createServices({mode: 'aws', credentials, region: 'us-west-2', profile: 'work', env: env()});
		const fromEnv = await createServices({mode: 'aws', credentials, env: env({AWS_DEFAULT_REGION: 'eu-west-1'})});
		try {
			expect(fromProfile.defaultRegion).toBe('ap-southeast-2');
			expect(fromFlag.defaultRegion).toBe('us-west-2');
			expect(fromEnv.defaultRegion).toBe('eu-west-1');
		} finally {
			fromProfile.close();
			fromFlag.close();
			fromEnv.close();
		}
	});

	test('a malformed --region is refused with an AppError', async () => {
		await expect(createServices({mode: 'aws', credentials, region: 'US-EAST-1', env: env()})).rejects.toMatchObject({
			name: 'AppError',
			code: 'InvalidRegion',
		});
	});
});

describe('sandbox mode region', () => {
	test('a region from the environment the sandbox lacks falls back to us-east-1; a --region it lacks is refused', async () => {
		const {startTestSandbox} = await import('../helpers/sandbox.js');
		const sandbox = await startTestSandbox();
		const base = {mode: 'sandbox' as const, endpointUrl: sandbox.endpoint, credentials: sandbox.credentials};
		try {
			const fromEnv = await createServices({...base, env: env({AWS_REGION: 'eu-central-1'})});
			expect(fromEnv.defaultRegion).toBe('us-east-1');
			fromEnv.close();
			const supported = await createServices({...base, env: env({AWS_REGION: 'ap-southeast-2'})});
			expect(supported.defaultRegion).toBe('ap-southeast-2');
			supported.close();
			await expect(createServices({...base, region: 'eu-central-1', env: env()})).rejects.toMatchObject({
				name: 'AppError',
				code: 'InvalidRegion',
				hint: expect.stringContaining('us-west-2'),
			});
		} finally {
			await sandbox.close();
		}
	});
});
