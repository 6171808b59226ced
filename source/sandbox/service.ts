/**
 * The sandbox as a background service: one detached process per data directory (`bundledeck sandbox --service`),
 * output in <dir>/sandbox.log, pid + endpoint + start time in the directory's lock. Tasks progress whether or not
 * a client is attached, as in a real region.
 */
import {spawn} from 'node:child_process';
import {closeSync, openSync} from 'node:fs';
import {mkdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {findRunningSandbox, processIsAlive, type RunningSandbox} from './dir-lock.js';
import {privateDirMode, privateFileMode} from './private-tree.js';

export const logFileName = 'sandbox.log';

export type StartServiceOptions = {
	dir: string;
	port?: number | undefined;
	reset?: boolean | undefined;
	env?: NodeJS.ProcessEnv | undefined;
	/** How long to wait for the service to listen (ms). */
	timeoutMs?: number | undefined;
};

/** The service could not start: the last line it logged says why. */
export class ServiceStartError extends Error {
	readonly code = 'SandboxServiceStartFailed';
}

export function serviceLogFile(dir: string): string {
	return path.join(dir, logFileName);
}

/**
 * The CLI entry the service runs: distribution/cli.cjs next to this module once built; from the TypeScript sources
 * (tests) the built one, which `npm test` builds first.
 */
export function cliEntry(): string {
	const here = fileURLToPath(import.meta.url);
	return here.endsWith('.ts')
		? path.resolve(path.dirname(here), '..', '..', 'distribution', 'cli.cjs')
		: path.resolve(path.dirname(here), '..', 'cli.cjs');
}

/** The service (or any sandbox) running on dir, or undefined. */
export async function findService(dir: string): Promise<RunningSandbox | undefined> {
	return findRunningSandbox(path.resolve(dir));
}

async function lastLogLine(file: string, since: number): Promise<string | undefined> {
	const text = await readFile(file, 'utf8').catch(() => '');
	const lines = text
		.slice(since)
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);
	return lines.at(-1)?.replace(/^bundledeck sandbox: /, '');
}

/**
 * Starts the service on dir, detached, and resolves once it listens. When another process started one on the same
 * directory meanwhile, resolves with that one (started: false).
 */
export async function startService(options: StartServiceOptions): Promise<RunningSandbox & {started: boolean}> {
	const dir = path.resolve(options.dir);
	await mkdir(dir, {recursive: true, mode: privateDirMode});
	const logFile = serviceLogFile(dir);
	const log = openSync(logFile, 'a', privateFileMode);
	const since = (await readFile(logFile).catch(() => Buffer.alloc(0))).length;
	const args = [cliEntry(), 'sandbox', '--service', '--dir', dir, '--port', String(options.port ?? 0)];
	if (options.reset) {
		args.push('--reset');
	}

	let child: ReturnType<typeof spawn>;
	try {
		child = spawn(process.execPath, args, {
			detached: true,
			stdio: ['ignore', log, log],
			env: options.env ?? process.env,
			cwd: dir,
		});
	} finally {
		closeSync(log);
	}

	let exited = false;
	child.once('exit', () => {
		exited = true;
	});
	child.once('error', () => {
		exited = true;
	});
	child.unref();
	const deadline = Date.now() + (options.timeoutMs ?? 30_000);
	while (Date.now() < deadline) {
		const running = await findRunningSandbox(dir);
		if (running) {
			return {...running, started: running.pid === child.pid};
		}

		if (exited) {
			throw new ServiceStartError(
				(await lastLogLine(logFile, since)) ?? `the sandbox service exited at once (see ${logFile})`,
			);
		}

		await delay(50);
	}

	throw new ServiceStartError(`the sandbox service did not start listening within 30 s (see ${logFile})`);
}

/** The running service on dir, else a newly started one. */
export async function ensureService(options: StartServiceOptions): Promise<RunningSandbox & {started: boolean}> {
	const running = await findService(options.dir);
	return running ? {...running, started: false} : startService(options);
}

/**
 * Stops the sandbox running on dir with SIGTERM (it saves its state and releases the lock) and waits until its
 * process is gone. undefined when none runs.
 */
export async function stopService(dir: string, timeoutMs = 30_000): Promise<RunningSandbox | undefined> {
	const running = await findService(dir);
	if (!running) {
		return undefined;
	}

	try {
		process.kill(running.pid, 'SIGTERM');
	} catch {
		return running;
	}

	const deadline = Date.now() + timeoutMs;
	while (processIsAlive(running.pid)) {
		if (Date.now() > deadline) {
			throw new Error(`the sandbox service (pid ${running.pid}) did not stop within ${timeoutMs / 1000} s`);
		}

		await delay(50);
	}

	return running;
}
