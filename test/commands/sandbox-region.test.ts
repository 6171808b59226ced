/**
 * A region from AWS_REGION / AWS_DEFAULT_REGION / the profile that the sandbox lacks: the sandbox session starts in
 * us-east-1 and the command says so in one line on stderr; stdout (JSON) stays clean.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {runCommand} from '../../source/commands/index.js';
import {openSession, openSessionHistory} from '../../source/session.js';
import {CaptureStream} from './harness.js';

let dir: string;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundledeck-sandbox-region-'));
});
afterEach(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	return {
		BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
		// Never the developer's own AWS files.
		AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
		AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
		...extra,
	};
}

async function tasks(env: NodeJS.ProcessEnv, extra: string[] = []) {
	const stdout = new CaptureStream(false);
	const stderr = new CaptureStream(false);
	const code = await runCommand('tasks', ['--sandbox', '--sandbox-dir', path.join(dir, 'sandbox'), ...extra], {
		io: {stdout, stderr, stdinIsTTY: false, env},
		openSession: async (options) => openSession(options, env),
		openHistory: (options) => openSessionHistory(options, env),
	});
	return {code, stdout: stdout.text, stderr: stderr.text};
}

describe('a region the sandbox lacks', () => {
	test.each([
		['AWS_REGION', {AWS_REGION: 'eu-central-1'}],
		['AWS_DEFAULT_REGION', {AWS_DEFAULT_REGION: 'eu-central-1'}],
	])('from %s: one line on stderr naming the region, where it came from and the one used', async (variable, extra) => {
		const result = await tasks(baseEnv(extra), ['--json']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe(
			`bundledeck: the sandbox has no region eu-central-1 (from ${variable}); using us-east-1\n`,
		);
		// stdout is the JSON document only, for the default region used.
		const document = JSON.parse(result.stdout) as {tasks: unknown[]; errors: unknown[]};
		expect(document.errors).toEqual([]);
	});

	test('from the profile: the line names the profile', async () => {
		const config = path.join(dir, 'aws-config');
		fs.writeFileSync(config, '[profile work]\nregion = eu-north-1\n');
		const result = await tasks(baseEnv({AWS_CONFIG_FILE: config, AWS_PROFILE: 'work'}));
		expect(result.code).toBe(0);
		expect(result.stderr).toBe(
			'bundledeck: the sandbox has no region eu-north-1 (from the region of profile work); using us-east-1\n',
		);
	});

	test('the session carries the notice and uses us-east-1', async () => {
		const env = baseEnv({AWS_REGION: 'eu-central-1'});
		const session = await openSession({sandbox: true, sandboxDir: path.join(dir, 'sandbox')}, env);
		try {
			expect(session.services.defaultRegion).toBe('us-east-1');
			expect(session.notice).toContain('eu-central-1');
		} finally {
			await session.close();
		}
	});

	test('a region the sandbox has: nothing on stderr', async () => {
		const result = await tasks(baseEnv({AWS_REGION: 'eu-west-1'}), ['--json']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
	});

	test('no region anywhere: the default applies silently', async () => {
		const result = await tasks(baseEnv({}), ['--json']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
	});

	test('--region the sandbox lacks stays an error (not a silent fallback)', async () => {
		const result = await tasks(baseEnv({AWS_REGION: 'eu-central-1'}), ['--region', 'eu-central-1']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('The sandbox has no region eu-central-1');
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});

	test('a call into a region the sandbox does not serve says so in one line, not "could not validate your credentials"', async () => {
		// The second region reaches the sandbox: it refuses the request's signing region
		const result = await tasks(baseEnv({}), ['--region', 'us-east-1', '--region', 'ap-northeast-1']);
		expect(result.code).toBe(1);
		const lines = result.stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(
			/^bundledeck: ap-northeast-1: The sandbox does not serve the region ap-northeast-1; it serves us-east-1, us-west-2, eu-west-1, ap-southeast-2 — pass --region with one of those.*leave out --sandbox/,
		);
		expect(result.stderr).not.toMatch(/credentials/i);
	});
});
