/** startSandbox: the local region (EC2 + S3 + STS on 127.0.0.1) in-process. */
import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {sandboxAccounts} from './accounts.js';
import type {RequestLogEntry, Sandbox, SandboxOptions} from './contracts.js';
import {createEc2Service} from './ec2/service.js';
import {FaultInjector, faultsFromEnv, mergeFaults} from './faults.js';
import {resolvePace} from './pace.js';
import {MultipartUploads} from './s3/multipart.js';
import {createObjectStore} from './s3/object-store.js';
import {SandboxServer} from './server.js';

export type {Sandbox, SandboxOptions} from './contracts.js';

/** Starts the sandbox. Options win over the BUNDLEDECK_SANDBOX_* environment variables. */
export async function startSandbox(
	options: SandboxOptions = {},
	env: NodeJS.ProcessEnv = process.env,
): Promise<Sandbox> {
	const dir = options.dir ? path.resolve(options.dir) : await mkdtemp(path.join(tmpdir(), 'bundledeck-sandbox-'));
	if (options.reset) {
		await rm(dir, {recursive: true, force: true});
	}

	await mkdir(dir, {recursive: true});
	const accounts = sandboxAccounts.map((account) => ({...account}));
	const pace = resolvePace(options.pace, env);
	const store = await createObjectStore({dir, accounts});
	const ec2 = await createEc2Service({dir, accounts, objects: store, pace});
	const log: RequestLogEntry[] = [];
	const envFaults = faultsFromEnv(env);
	const faults = new FaultInjector(mergeFaults(envFaults, options.faults));
	const uploads = new MultipartUploads(dir, store);
	const server = new SandboxServer({accounts, store, uploads, ec2, faults, log: (entry) => log.push(entry)});
	let port: number;
	try {
		port = await server.listen(options.port ?? 0);
	} catch (error) {
		await ec2.close();
		throw error;
	}

	let closing: Promise<void> | undefined;
	const defaultAccount = accounts[0]!;
	return {
		endpoint: server.endpoint,
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
				await server.close();
				await ec2.close();
			})();
			await closing;
		},
	};
}
