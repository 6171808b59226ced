/**
 * The sandbox's local history belongs to one sandbox data directory: two directories keep separate histories, and
 * --sandbox-reset (which wipes the directory's tasks, buckets and images) clears that directory's history too.
 * Runs the commands through the real openSession, as the CLI does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {runCommand} from '../../source/commands/index.js';
import {runSandboxCommand} from '../../source/commands/sandbox.js';
import {openSession, openSessionHistory, sessionHistoryLocation} from '../../source/session.js';
import {waitFor} from '../helpers/wait-for.js';
import {CaptureStream} from './harness.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundledeck-sandbox-history-'));
	env = {
		BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
		AWS_REGION: 'us-east-1',
		// Never the developer's own AWS files.
		AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
		AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
	};
});
afterEach(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

async function run(name: string, argv: string[]) {
	const stdout = new CaptureStream(false);
	const stderr = new CaptureStream(false);
	const code = await runCommand(name, argv, {
		io: {stdout, stderr, stdinIsTTY: false, env},
		openSession: async (options) => openSession(options, env),
		openHistory: (options) => openSessionHistory(options, env),
	});
	return {code, stdout: stdout.text, stderr: stderr.text};
}

/** Starts a bundle in the sandbox in `sandboxDir` through the command; returns its id. */
async function startBundle(sandboxDir: string, prefix: string): Promise<string> {
	const session = await openSession({sandbox: true, sandboxDir}, env);
	let instanceId: string;
	try {
		const instances = await session.services.listInstances('us-east-1');
		const instance = instances.find((candidate) => candidate.eligible);
		if (!instance) {
			throw new Error('the sandbox has no eligible instance');
		}

		instanceId = instance.id;
	} finally {
		await session.close();
	}

	const result = await run('bundle', [
		instanceId,
		'--bucket',
		'history-test',
		'--prefix',
		prefix,
		'--sandbox',
		'--sandbox-dir',
		sandboxDir,
	]);
	expect(result.stderr).toBe('');
	expect(result.code).toBe(0);
	return result.stdout.trim();
}

async function historyIds(sandboxDir: string): Promise<string[]> {
	const result = await run('history', ['--sandbox', '--sandbox-dir', sandboxDir, '--json']);
	expect(result.code).toBe(0);
	const document = JSON.parse(result.stdout) as {entries: Array<{bundleId: string}>};
	return document.entries.map((entry) => entry.bundleId);
}

async function taskIds(sandboxDir: string, extra: string[] = []): Promise<string[]> {
	const result = await run('tasks', ['--sandbox', '--sandbox-dir', sandboxDir, '--json', ...extra]);
	expect(result.code).toBe(0);
	const document = JSON.parse(result.stdout) as {tasks: Array<{bundleId: string}>};
	return document.tasks.map((task) => task.bundleId);
}

describe('sandbox history per data directory', () => {
	test('two sandbox directories keep separate histories', async () => {
		const first = path.join(dir, 'sandbox-a');
		const second = path.join(dir, 'sandbox-b');
		const inFirst = await startBundle(first, 'first');
		const inSecond = await startBundle(second, 'second');
		expect(inFirst).toMatch(/^bun-/);
		expect(inSecond).toMatch(/^bun-/);

		expect(await historyIds(first)).toEqual([inFirst]);
		expect(await historyIds(second)).toEqual([inSecond]);
		// The same directory spelt differently is the same sandbox, with the same history.
		expect(await historyIds(`${first}${path.sep}`)).toEqual([inFirst]);
		expect(sessionHistoryLocation({sandbox: true, sandboxDir: first}, env)).not.toEqual(
			sessionHistoryLocation({sandbox: true, sandboxDir: second}, env),
		);
		// Real AWS's history is apart from both.
		expect(openSessionHistory({sandbox: false}, env).list()).toEqual([]);
	});

	test('--sandbox-reset clears that directory history, and only that one', async () => {
		const reset = path.join(dir, 'sandbox-reset');
		const kept = path.join(dir, 'sandbox-kept');
		const gone = await startBundle(reset, 'gone');
		const stays = await startBundle(kept, 'stays');
		expect(await historyIds(reset)).toEqual([gone]);
		expect(await taskIds(reset)).toContain(gone);

		// The reset wipes the sandbox's tasks and the history that described them.
		expect(await taskIds(reset, ['--sandbox-reset'])).not.toContain(gone);
		expect(await historyIds(reset)).toEqual([]);
		const location = sessionHistoryLocation({sandbox: true, sandboxDir: reset}, env);
		expect(fs.existsSync(path.join(location.cwd, `${location.name}.json`))).toBe(false);

		// The other sandbox is untouched.
		expect(await historyIds(kept)).toEqual([stays]);
		expect(await taskIds(kept)).toContain(stays);
	});

	test('`history --sandbox-reset` resets the sandbox and lists the (now empty) history', async () => {
		const sandboxDir = path.join(dir, 'sandbox');
		await startBundle(sandboxDir, 'before-reset');
		const result = await run('history', ['--sandbox', '--sandbox-dir', sandboxDir, '--sandbox-reset', '--json']);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({entries: []});
		expect(await taskIds(sandboxDir)).toEqual([]);
	});

	test('`bundledeck sandbox --reset` clears the history of the directory it resets', async () => {
		const sandboxDir = path.join(dir, 'standalone');
		const kept = path.join(dir, 'other');
		await startBundle(sandboxDir, 'standalone');
		const stays = await startBundle(kept, 'other');
		const stdout = new CaptureStream(false);
		const stderr = new CaptureStream(false);
		const controller = new AbortController();
		const running = runSandboxCommand(['--dir', sandboxDir, '--reset'], {
			stdout,
			stderr,
			env,
			signal: controller.signal,
		});
		await waitFor(() => stdout.text.includes('listening on'));
		controller.abort();
		expect(await running).toBe(0);
		expect(stderr.text).toBe('');
		expect(await historyIds(sandboxDir)).toEqual([]);
		expect(await historyIds(kept)).toEqual([stays]);
	});
});
