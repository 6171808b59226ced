import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {runCommand} from '../../source/commands/index.js';
import {openSession} from '../../source/session.js';
import {CaptureStream} from './harness.js';

let dir: string;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundledeck-session-'));
});
afterEach(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

async function tasks(sandboxDir: string, extra: string[] = []) {
	const stdout = new CaptureStream(false);
	const stderr = new CaptureStream(false);
	const env = {BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config')};
	const code = await runCommand('tasks', ['--sandbox', '--sandbox-dir', sandboxDir, ...extra], {
		io: {stdout, stderr, stdinIsTTY: false, env},
		openSession: async (options) => openSession(options, env),
	});
	return {code, stdout: stdout.text, stderr: stderr.text};
}

describe('a sandbox that cannot start', () => {
	test('a damaged state file: one line naming the directory and the way out (--sandbox-reset), exit 1', async () => {
		const sandboxDir = path.join(dir, 'sandbox');
		expect((await tasks(sandboxDir)).code).toBe(0);
		fs.writeFileSync(path.join(sandboxDir, 's3', 'buckets.json'), '{garbage');
		const result = await tasks(sandboxDir);
		expect(result.code).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain(`Could not start the sandbox region in ${sandboxDir}:`);
		expect(result.stderr).toContain('--sandbox-reset');
		expect(result.stderr).not.toContain('unexpected error');

		// The way out works.
		expect((await tasks(sandboxDir, ['--sandbox-reset'])).code).toBe(0);
	});

	test('a --sandbox-dir that is a file: the same one line, not "unexpected error: EEXIST"', async () => {
		const file = path.join(dir, 'a-file');
		fs.writeFileSync(file, 'x');
		const result = await tasks(file);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			/^bundledeck: Could not start the sandbox region in .*a-file: .* — pass --sandbox-dir/,
		);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});
});
