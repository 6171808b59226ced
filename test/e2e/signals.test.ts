/**
 * The built binary when its reader goes away or it is told to stop: quiet and prompt. A --sandbox command attaches to
 * the sandbox service (starting it, and saying so): the region keeps running after the command; the foreground
 * `bundledeck sandbox` releases its directory.
 */
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {findService, stopService} from '../../source/sandbox/service.js';
import {cliPath} from '../helpers/pty.js';

let dir: string;
// A bundle that keeps moving for a while: progress changes every poll, so `tasks --watch` keeps writing.
const pace = {BUNDLEDECK_SANDBOX_BYTES_PER_SECOND: '1MiB', BUNDLEDECK_SANDBOX_IMAGE_SIZE: '32MiB'};

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-e2e-signals-'));
	// Start a bundle task in the sandbox directory; the CLI's own in-process sandbox resumes it.
	const sandbox = await startSandbox({dir: path.join(dir, 'sandbox'), port: 0, pace: {stepDelayMs: 0}}, pace);
	const services = await createServices({
		mode: 'sandbox',
		endpointUrl: sandbox.endpoint,
		credentials: sandbox.credentials,
		region: 'us-east-1',
		env: {},
	});
	try {
		const [instance] = (await services.listInstances('us-east-1')).filter((candidate) => candidate.eligible);
		await services.startBundle({region: 'us-east-1', instanceId: instance!.id, bucket: 'signals', prefix: 'win'});
	} finally {
		services.close();
		await sandbox.close();
	}
});
afterEach(async () => {
	await stopService(path.join(dir, 'sandbox'));
	rmSync(dir, {recursive: true, force: true});
});

const startedNotice =
	/^bundledeck: started the sandbox region in the background \(pid \d+[^\n]*bundledeck sandbox stop\n/;

function start(args: string[]) {
	const child = spawn(process.execPath, [cliPath, ...args], {
		env: {
			...process.env,
			...pace,
			BUNDLEDECK_SANDBOX_STEP_DELAY_MS: '0',
			BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
			BUNDLEDECK_SANDBOX_DIR: path.join(dir, 'sandbox'),
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString('utf8');
	});
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => {
		child.on('exit', (code, signal) => {
			resolve({code, signal});
		});
	});
	let lines = 0;
	const outputLines = async (count: number) =>
		new Promise<void>((resolve) => {
			const check = (chunk?: Buffer) => {
				lines += chunk ? chunk.toString('utf8').split('\n').length - 1 : 0;
				if (lines >= count) {
					child.stdout.off('data', check);
					resolve();
				}
			};

			child.stdout.on('data', check);
			check();
		});
	return {child, exited, outputLines, stderr: () => stderr};
}

const watch = ['tasks', '--sandbox', '--watch', '--json', '--interval', '1s'];

describe('bundledeck commands and their process', () => {
	test('a reader that goes away (| head) ends the command quietly with exit 0, no EPIPE stack trace', async () => {
		const run = start(watch);
		// Two documents: the task is moving, so more will follow after the reader is gone.
		await run.outputLines(2);
		run.child.stdout.destroy();
		const exit = await run.exited;
		expect(run.stderr().replace(startedNotice, '')).toBe('');
		expect(exit).toEqual({code: 0, signal: null});
		expect(await findService(path.join(dir, 'sandbox'))).toBeDefined(); // the region keeps running
	});

	test('`bundledeck sandbox | head -3` then Ctrl+C: no EPIPE stack trace, exit 0, the directory released', async () => {
		const run = start(['sandbox']);
		await run.outputLines(3);
		run.child.stdout.destroy();
		run.child.kill('SIGINT');
		const exit = await run.exited;
		expect(run.stderr()).not.toMatch(/EPIPE|at .*\.js:\d+/);
		expect(exit).toEqual({code: 0, signal: null});
		expect(existsSync(path.join(dir, 'sandbox', 'sandbox.lock'))).toBe(false);
	});

	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		test(`${signal} stops a command like Ctrl+C: exit 130, one line; the sandbox service keeps running`, async () => {
			const run = start(watch);
			await run.outputLines(2);
			run.child.kill(signal);
			const exit = await run.exited;
			expect(exit).toEqual({code: 130, signal: null});
			expect(run.stderr().replace(startedNotice, '')).toBe('bundledeck: interrupted\n');
			expect(await findService(path.join(dir, 'sandbox'))).toBeDefined(); // the region keeps running
		});
	}
});
