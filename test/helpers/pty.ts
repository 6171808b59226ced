/** Drives the built CLI in a real pseudo-terminal (node-pty), or runs it to its end (runCliIn). */
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as pty from 'node-pty';
import {stripAnsi} from './render.js';
import {waitFor} from './wait-for.js';

export const cliPath = fileURLToPath(new URL('../../distribution/cli.cjs', import.meta.url));

export type PtySession = {
	output(): string;
	/** Screen text without ANSI codes. */
	text(): string;
	write(data: string): void;
	waitForText(text: string | RegExp, timeout?: number): Promise<void>;
	exited: Promise<{exitCode: number; signal?: number | undefined}>;
	kill(): void;
};

/** An env without the keys set to undefined (so a test can remove an inherited variable). */
function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
	return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export function spawnCli(
	args: string[],
	options: {env?: NodeJS.ProcessEnv; columns?: number; rows?: number} = {},
): PtySession {
	const child = pty.spawn(process.execPath, [cliPath, ...args], {
		name: 'xterm-256color',
		cols: options.columns ?? 80,
		rows: options.rows ?? 24,
		env: definedOnly({...process.env, CI: 'false', ...options.env}),
	});
	let output = '';
	child.onData((data) => {
		output += data;
	});
	const exited = new Promise<{exitCode: number; signal?: number | undefined}>((resolve) => {
		child.onExit((event) => {
			resolve(event);
		});
	});
	return {
		output: () => output,
		text: () => stripAnsi(output),
		write(data) {
			child.write(data);
		},
		async waitForText(text, timeout = 20_000) {
			await waitFor(
				() => (typeof text === 'string' ? stripAnsi(output).includes(text) : text.test(stripAnsi(output))),
				{
					timeout,
					message: () => `expected ${String(text)} on screen; got:\n${stripAnsi(output).slice(-2000)}`,
				},
			);
		},
		exited,
		kill() {
			try {
				child.kill();
			} catch {
				// already gone
			}
		},
	};
}

/**
 * Runs the built CLI to its end outside a terminal, its config and sandbox directories under `dir`; stdout goes to
 * a pipe (the result's stdout) unless given a file descriptor.
 */
export function runCliIn(dir: string, args: string[], stdout: number | 'pipe' = 'pipe') {
	return spawnSync(process.execPath, [cliPath, ...args], {
		encoding: 'utf8',
		env: {
			...process.env,
			BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
			BUNDLEDECK_SANDBOX_DIR: path.join(dir, 'sandbox'),
		},
		stdio: ['ignore', stdout, 'pipe'],
		timeout: 60_000,
	});
}
