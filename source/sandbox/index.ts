/** startSandbox: the local region (EC2 + S3 + STS on 127.0.0.1) in-process. */
import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {sandboxAccounts} from './accounts.js';
import type {RequestLogEntry, Sandbox, SandboxOptions} from './contracts.js';
import {lockSandboxDir} from './dir-lock.js';
import {createEc2Service} from './ec2/service.js';
import {FaultInjector, faultsFromEnv, mergeFaults} from './faults.js';
import {exists, hasSandboxMarker, markerFileName, writeSandboxMarker} from './marker.js';
import {resolvePace} from './pace.js';
import {makeTreePrivate, privateDirMode} from './private-tree.js';
import {ec2ObjectAccess} from './s3/ec2-access.js';
import {MultipartUploads} from './s3/multipart.js';
import {createObjectStore} from './s3/object-store.js';
import {SandboxServer} from './server.js';
import {resolveFinishedTaskRetention} from './task-retention.js';

export type {Sandbox, SandboxOptions} from './contracts.js';
export {SandboxDirInUseError} from './dir-lock.js';

/** --reset refused: the directory holds s3/ or ec2/ folders but was never a sandbox's (no marker file). */
export class NotASandboxDirError extends Error {
	readonly code = 'NotASandboxDir';

	constructor(dir: string) {
		super(
			`${dir} was never a sandbox data directory (it has no ${markerFileName}), so --reset will not delete its s3/ and ec2/ folders; pick another directory`,
		);
		this.name = 'NotASandboxDirError';
	}
}

/** Multipart uploads older than this are abandoned (their client died): removed at start. */
const abandonedUploadAgeMs = 24 * 60 * 60 * 1000;

/** What the sandbox keeps in its data directory (besides its lock): all that --reset removes. */
const sandboxEntries = ['ec2', 's3'] as const;

/** Starts the sandbox. Options win over the BUNDLEDECK_SANDBOX_* environment variables. */
export async function startSandbox(
	options: SandboxOptions = {},
	env: NodeJS.ProcessEnv = process.env,
): Promise<Sandbox> {
	const dir = options.dir ? path.resolve(options.dir) : await mkdtemp(path.join(tmpdir(), 'bundledeck-sandbox-'));
	await mkdir(dir, {recursive: true, mode: privateDirMode});
	// One sandbox per directory (a second one would overwrite the first one's state): throws SandboxDirInUseError.
	const lock = await lockSandboxDir(dir);
	let server: SandboxServer | undefined;
	let ec2: Awaited<ReturnType<typeof createEc2Service>> | undefined;
	let port: number;
	const log: RequestLogEntry[] = [];
	const accounts = sandboxAccounts.map((account) => ({...account}));
	const faults = new FaultInjector(mergeFaults(faultsFromEnv(env), options.faults));
	try {
		if (options.reset) {
			// Only what the sandbox itself keeps there, and only in a directory that was a sandbox's: a --sandbox-dir
			// pointed at a folder with other files in it (a typo, a home directory) must not lose them.
			const owned = await hasSandboxMarker(dir);
			const present = await Promise.all(sandboxEntries.map(async (name) => exists(path.join(dir, name))));
			if (!owned && present.some(Boolean)) {
				throw new NotASandboxDirError(dir);
			}

			await Promise.all(sandboxEntries.map(async (name) => rm(path.join(dir, name), {recursive: true, force: true})));
		}

		await writeSandboxMarker(dir);
		await makeTreePrivate(dir);

		const pace = resolvePace(options.pace, env);
		const store = await createObjectStore({dir, accounts});
		const uploads = new MultipartUploads(dir, store);
		await uploads.removeAbandoned(abandonedUploadAgeMs);
		ec2 = await createEc2Service({
			dir,
			accounts,
			objects: store,
			...ec2ObjectAccess(store, uploads),
			pace,
			finishedTaskRetentionMs: resolveFinishedTaskRetention(options.finishedTaskRetentionMs, env),
		});
		server = new SandboxServer({
			accounts,
			store,
			uploads,
			ec2,
			faults,
			log: options.onRequest ?? ((entry) => log.push(entry)),
			extraHostPorts: options.extraHostPorts,
		});
		port = await server.listen(options.port ?? 0);
		await lock.setEndpoint(server.endpoint);
	} catch (error) {
		await server?.close().catch(() => undefined);
		await ec2?.close().catch(() => undefined);
		await lock.release();
		throw error;
	}

	const running = {server, ec2};
	let closing: Promise<void> | undefined;
	const defaultAccount = accounts[0]!;
	return {
		endpoint: running.server.endpoint,
		port,
		dir,
		credentials: {accessKeyId: defaultAccount.accessKeyId, secretAccessKey: defaultAccount.secretAccessKey},
		accounts,
		requestLog: () => [...log],
		clearRequestLog() {
			log.length = 0;
		},
		setFaults(next) {
			faults.set(next);
		},
		async close() {
			closing ??= (async () => {
				try {
					await running.server.close();
					await running.ec2.close();
				} finally {
					await lock.release();
				}
			})();
			await closing;
		},
	};
}
