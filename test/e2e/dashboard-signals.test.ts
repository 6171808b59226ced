/**
 * The dashboard stopped by a signal from outside (not a key): it unmounts and exits 0; the sandbox service it
 * attached to (and started) keeps running, as a region does. It draws in the alternate screen and leaves it on every
 * way out (--no-alt-screen: never enters it).
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

/** The dashboard on the sandbox in an 80x24 pty, with its config and sandbox in the test's directory. */
function spawnDashboard(flags: string[]): pty.IPty {
	const env = Object.fromEntries(
		Object.entries({
			...process.env,
			CI: 'false',
			BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
			BUNDLEDECK_SANDBOX_DIR: path.join(dir, 'sandbox'),
		}).filter((entry): entry is [string, string] => entry[1] !== undefined),
	);
	return pty.spawn(process.execPath, [cliPath, '--sandbox', ...flags], {
		name: 'xterm-256color',
		cols: 80,
		rows: 24,
		env,
	});
}

describe('dashboard and signals', () => {
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		test(`${signal} from outside: exit 0; the sandbox service keeps running`, async () => {
			const sandboxDir = path.join(dir, 'sandbox');
			const child = spawnDashboard([]);
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
				// Drawn in the alternate screen, and the normal screen is back at the end (issue 15 #3).
				expect(output).toContain('\u001B[?1049h');
				expect(output.lastIndexOf('\u001B[?1049l')).toBeGreaterThan(output.lastIndexOf('\u001B[?1049h'));
			} finally {
				try {
					child.kill('SIGKILL');
				} catch {
					// already gone
				}
			}
		});
	}

	for (const flags of [[], ['--no-alt-screen']]) {
		test(`q ${flags.join(' ') || '(alternate screen)'}: the normal screen is back, or was never left`, async () => {
			const child = spawnDashboard(flags);
			let output = '';
			child.onData((data) => {
				output += data;
			});
			const exited = new Promise<{exitCode: number}>((resolve) => {
				child.onExit(resolve);
			});
			try {
				await waitFor(() => /quit/.test(stripAnsi(output)), {timeout: 20_000});
				child.write('q');
				expect((await exited).exitCode).toBe(0);
				if (flags.length === 0) {
					expect(output.lastIndexOf('\u001B[?1049l')).toBeGreaterThan(output.lastIndexOf('\u001B[?1049h'));
				} else {
					expect(output).not.toContain('\u001B[?1049h');
				}
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
