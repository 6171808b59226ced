import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import {isolateAwsEnvironment} from '../helpers/aws-env.js';

const environment = isolateAwsEnvironment();

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
			path.join(environment.dir(), 'credentials'),
			'[work]\naws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = profile-secret\naws_session_token = profile-token\n',
		);
		await writeFile(path.join(environment.dir(), 'config'), '[profile work]\nregion = eu-west-1\n');
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
		await writeFile(path.join(environment.dir(), 'config'), '[profile work]\nregion = eu-west-1\n');
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

		await writeFile(path.join(environment.dir(), 'config'), '[profile empty]\nregion = eu-west-1\n');
		const empty = await createServices({mode: 'aws', profile: 'empty', region: 'us-east-1'}).catch(
			(error_: unknown) => error_,
		);
		expect(empty).toMatchObject({code: 'NoCredentials'});
		expect((empty as Error).message).not.toContain('was not found');
	});
});
