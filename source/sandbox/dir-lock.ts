/**
 * One sandbox per data directory. Each sandbox keeps its world in memory and writes it back whole, so two
 * processes on one directory (say `bundledeck sandbox` in one terminal and `bundledeck tasks --sandbox` in another,
 * both on the default directory) would silently overwrite each other's buckets, tasks and images, and both would
 * resume the same bundle task. <dir>/sandbox.lock holds the owner's pid and endpoint; a lock whose process is gone
 * is taken over.
 */
import {open, readFile, rm, writeFile} from 'node:fs/promises';
import {connect} from 'node:net';
import path from 'node:path';

export const lockFileName = 'sandbox.lock';

type LockContent = {pid: number; endpoint?: string | undefined; startedAt?: string | undefined};

/** A sandbox that runs on a data directory, as its lock says (and it answers at its endpoint). */
export type RunningSandbox = {pid: number; endpoint: string; startedAt: string | undefined};

/** Another live process runs a sandbox on this directory; `endpoint` is where it listens (once it does). */
export class SandboxDirInUseError extends Error {
	readonly code = 'SandboxDirInUse';
	readonly dir: string;
	readonly pid: number;
	readonly endpoint: string | undefined;

	constructor(dir: string, owner: LockContent) {
		super(
			`the sandbox data directory ${dir} is in use by another bundledeck process (pid ${owner.pid}` +
				`${owner.endpoint ? `, listening on ${owner.endpoint}` : ''}); stop it or use another directory` +
				` (if no bundledeck runs, delete ${path.join(dir, lockFileName)})`,
		);
		this.name = 'SandboxDirInUseError';
		this.dir = dir;
		this.pid = owner.pid;
		this.endpoint = owner.endpoint;
	}
}

export type DirLock = {
	/** Records where the sandbox listens, for other processes that find the directory in use. */
	setEndpoint(endpoint: string): Promise<void>;
	release(): Promise<void>;
};

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return (error as {code?: unknown}).code === 'EPERM';
	}
}

/** True when something accepts connections at the endpoint (a recycled pid does not mean a running sandbox). */
async function isListening(endpoint: string): Promise<boolean> {
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		return false;
	}

	return new Promise((resolve) => {
		const socket = connect({host: url.hostname, port: Number(url.port)});
		const done = (listening: boolean) => {
			socket.destroy();
			resolve(listening);
		};

		socket.setTimeout(2000, () => {
			done(false);
		});
		socket.once('connect', () => {
			done(true);
		});
		socket.once('error', () => {
			done(false);
		});
	});
}

/** The lock's owner runs: its process is alive and, once it has said where it listens, it listens there. */
async function isHeld(owner: LockContent | undefined): Promise<boolean> {
	if (!owner || !isAlive(owner.pid)) {
		return false;
	}

	return owner.endpoint === undefined || isListening(owner.endpoint);
}

async function readLock(file: string): Promise<LockContent | undefined> {
	try {
		const parsed = JSON.parse(await readFile(file, 'utf8')) as {pid?: unknown; endpoint?: unknown; startedAt?: unknown};
		return typeof parsed.pid === 'number'
			? {
					pid: parsed.pid,
					endpoint: typeof parsed.endpoint === 'string' ? parsed.endpoint : undefined,
					startedAt: typeof parsed.startedAt === 'string' ? parsed.startedAt : undefined,
				}
			: undefined;
	} catch {
		return undefined;
	}
}

/** The lock of dir as written (owner maybe gone), or undefined. */
export async function readLockFile(dir: string): Promise<LockContent | undefined> {
	return readLock(path.join(dir, lockFileName));
}

/** The sandbox running on dir (its lock's owner is alive and listens), or undefined. */
export async function findRunningSandbox(dir: string): Promise<RunningSandbox | undefined> {
	const owner = await readLock(path.join(dir, lockFileName));
	if (!owner?.endpoint || !(await isHeld(owner))) {
		return undefined;
	}

	return {pid: owner.pid, endpoint: owner.endpoint, startedAt: owner.startedAt};
}

/** True while the process with this pid exists. */
export function processIsAlive(pid: number): boolean {
	return isAlive(pid);
}

/** Takes the directory's lock (the directory must exist); throws SandboxDirInUseError when a live process holds it. */
export async function lockSandboxDir(dir: string): Promise<DirLock> {
	const file = path.join(dir, lockFileName);
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const handle = await open(file, 'wx', 0o600);
			try {
				await handle.writeFile(JSON.stringify({pid: process.pid}));
			} finally {
				await handle.close();
			}

			let released = false;
			return {
				async setEndpoint(endpoint) {
					if (!released) {
						const startedAt = new Date().toISOString();
						await writeFile(file, JSON.stringify({pid: process.pid, endpoint, startedAt}), {mode: 0o600});
					}
				},
				async release() {
					if (!released) {
						released = true;
						await rm(file, {force: true});
					}
				},
			};
		} catch (error) {
			if ((error as {code?: unknown}).code !== 'EEXIST') {
				throw error;
			}
		}

		const owner = await readLock(file);
		if (owner && (await isHeld(owner))) {
			throw new SandboxDirInUseError(dir, owner);
		}

		if (!owner && attempt === 0) {
			// Being written right now by a process that just created it: look again before calling it stale.
			await new Promise((resolve) => {
				setTimeout(resolve, 50);
			});
			const again = await readLock(file);
			if (again && (await isHeld(again))) {
				throw new SandboxDirInUseError(dir, again);
			}
		}

		// Left behind by a process that is gone (killed, crashed; its pid maybe reused since): take it over.
		await rm(file, {force: true});
	}

	throw new Error(`could not lock the sandbox data directory ${dir}`);
}
