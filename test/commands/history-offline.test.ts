import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {runCommand} from '../../source/commands/index.js';
import {AppError} from '../../source/core/app-error.js';
import type {BundleTask} from '../../source/core/types.js';
import type {GlobalOptions} from '../../source/session.js';
import {openSessionHistory} from '../../source/session.js';
import {CaptureStream} from './harness.js';

let dir: string;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundledeck-history-offline-'));
});
afterEach(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const task: BundleTask = {
	bundleId: 'bun-0a1b2c3d',
	instanceId: 'i-0123456789abcdef0',
	region: 'eu-west-1',
	state: 'complete',
	progress: 100,
	startTime: new Date('2026-01-02T03:04:05Z'),
	updateTime: new Date('2026-01-02T03:14:05Z'),
	bucket: 'my-amis',
	prefix: 'win2019',
	error: undefined,
};

async function run(argv: string[]) {
	const stdout = new CaptureStream(false);
	const stderr = new CaptureStream(false);
	const env = {BUNDLEDECK_CONFIG_DIR: dir};
	const sessions: GlobalOptions[] = [];
	const code = await runCommand('history', argv, {
		io: {stdout, stderr, stdinIsTTY: false, env},
		async openSession(options) {
			sessions.push(options);
			// What a machine without AWS credentials gets.
			throw new AppError({code: 'NoCredentials', message: 'No AWS credentials were found'});
		},
		openHistory: (options) => openSessionHistory(options, env),
	});
	return {code, stdout: stdout.text, stderr: stderr.text, sessions};
}

describe('bundledeck history is local', () => {
	test('lists the history without credentials or a session', async () => {
		openSessionHistory({sandbox: false}, {BUNDLEDECK_CONFIG_DIR: dir}).recordBundle(task);
		const result = await run(['--json']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.sessions).toEqual([]);
		const document = JSON.parse(result.stdout) as {entries: Array<{bundleId: string; region: string}>};
		expect(document.entries.map((entry) => [entry.bundleId, entry.region])).toEqual([['bun-0a1b2c3d', 'eu-west-1']]);
	});

	test('--sandbox reads the sandbox history file, not the AWS one, and starts no sandbox', async () => {
		openSessionHistory({sandbox: true}, {BUNDLEDECK_CONFIG_DIR: dir}).recordBundle({...task, bundleId: 'bun-5a5a5a5a'});
		const result = await run(['--sandbox']);
		expect(result.code).toBe(0);
		expect(result.sessions).toEqual([]);
		expect(result.stdout).toContain('bun-5a5a5a5a');
		expect(result.stdout).not.toContain('bun-0a1b2c3d');
	});

	test('an empty AWS history says that the sandbox keeps its own, and how to see it', async () => {
		openSessionHistory({sandbox: true}, {BUNDLEDECK_CONFIG_DIR: dir}).recordBundle({...task, bundleId: 'bun-5a5a5a5a'});
		const result = await run(['--region', 'eu-west-1']);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(
			'bundledeck: nothing in the history of AWS; the sandbox keeps a separate history (1 entry in the default sandbox directory): `bundledeck history --sandbox --region eu-west-1` shows it (--sandbox-dir D for another sandbox directory)\n',
		);
	});

	test('an empty sandbox history points at the history of AWS when that has bundles', async () => {
		openSessionHistory({sandbox: false}, {BUNDLEDECK_CONFIG_DIR: dir}).recordBundle(task);
		openSessionHistory({sandbox: false}, {BUNDLEDECK_CONFIG_DIR: dir}).recordBundle({
			...task,
			bundleId: 'bun-0a1b2c3e',
		});
		const result = await run(['--sandbox']);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(
			'the history of AWS is separate (2 entries): run bundledeck history without --sandbox',
		);
	});

	test('a history file written before entries had a kind lists its bundles, with "kind": "bundle" in JSON', async () => {
		// As bundledeck wrote it before store and restore entries existed
		const old = {
			bundleId: 'bun-0a1b2c3d',
			region: 'eu-west-1',
			instanceId: 'i-0123456789abcdef0',
			instanceName: null,
			bucket: 'my-amis',
			prefix: 'win2019',
			startedAt: '2026-01-02T03:04:05.000Z',
			lastState: 'complete',
			lastProgress: 100,
			lastUpdate: '2026-01-02T03:14:05.000Z',
			error: null,
			images: [],
			migrations: [],
			phases: [{state: 'complete', at: '2026-01-02T03:14:05.000Z'}],
		};
		fs.writeFileSync(path.join(dir, 'history.json'), JSON.stringify({version: 1, entries: [old]}));
		const json = await run(['--json']);
		expect(json.stderr).toBe('');
		expect(JSON.parse(json.stdout)).toMatchObject({entries: [{kind: 'bundle', bundleId: 'bun-0a1b2c3d'}]});
		const lines = await run([]);
		expect(lines.stdout).toMatch(/^HISTORY\tbun-0a1b2c3d\teu-west-1\t/);
	});

	test('a corrupt history file is reported on stderr and set aside; stdout stays JSON', async () => {
		fs.writeFileSync(path.join(dir, 'history.json'), '{not json');
		const result = await run(['--json']);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({entries: []});
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(fs.readdirSync(dir).some((name) => name.startsWith('history.json.corrupt'))).toBe(true);
	});
});
