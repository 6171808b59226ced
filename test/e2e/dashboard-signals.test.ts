/**
 * The dashboard stopped by a signal from outside (not a key): it unmounts and exits 0; the sandbox service it
 * attached to (and started) keeps running, as a region does.
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import * as pty from 'node-pty';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {findService, stopService} from '../../source/sandbox/service.js';
import {cliPath} from '../helpers/pty.js';
import {stripAnsi} from '../helpers/render.js';
import {waitFor} from '../helpers/wait-for.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-e2e-dashboard-signals-'));
});
afterEach(async () => {
	await stopService(path.join(dir, 'sandbox'));
	rmSync(dir, {recursive: true, force: true});
});

describe('dashboard and signals', () => {
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		test(`${signal} from outside: exit 0; the sandbox service keeps running`, async () => {
			const sandboxDir = path.join(dir, 'sandbox');
			const env = Object.fromEntries(
				Object.entries({
					...process.env,
					CI: 'false',
					BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
					BUNDLEDECK_SANDBOX_DIR: sandboxDir,
				}).filter((entry): entry is [string, string] => entry[1] !== undefined),
			);
			const child = pty.spawn(process.execPath, [cliPath, '--sandbox'], {
				name: 'xterm-256color',
				cols: 80,
				rows: 24,
				env,
			});
			let output = '';
			child.onData((data) => {
				output += data;
			});
			const exited = new Promise<{exitCode: number; signal?: number | undefined}>((resolve) => {
				child.onExit(resolve);
			});
			try {
				await waitFor(() => /quit/.test(stripAnsi(output)), {timeout: 20_000});
				expect(existsSync(path.join(sandboxDir, 'sandbox.lock'))).toBe(true);
				child.kill(signal);
				const exit = await exited;
				expect(exit.exitCode).toBe(0);
				expect(exit.signal ?? 0).toBe(0);
				expect(await findService(sandboxDir)).toBeDefined();
				expect(stripAnsi(output)).toContain('started the sandbox region in the background');
			} finally {
				try {
					child.kill('SIGKILL');
				} catch {
					// already gone
				}
			}
		});
	}
});
