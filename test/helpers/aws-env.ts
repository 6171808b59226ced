/**
 * The SDK's provider chain reads process.env itself: these hooks isolate each test from the developer's own AWS
 * setup (no keys, no profile, config files in a fresh temporary directory, no IMDS) and restore it afterwards.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach} from 'vitest';

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

/** Registers the hooks; `dir()` is the current test's directory holding `config` and `credentials`. */
export function isolateAwsEnvironment(): {dir(): string} {
	let saved: Record<string, string | undefined> = {};
	let dir = '';
	beforeEach(async () => {
		saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
		for (const name of variables) {
			delete process.env[name];
		}

		dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-aws-env-'));
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

	return {dir: () => dir};
}
