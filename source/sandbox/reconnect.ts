/**
 * Where a client of the sandbox service sends its next request. The service may have been restarted on another port
 * or stopped since the session opened (a dashboard left open for hours): re-read the directory's lock, and start the
 * service again when none runs, so the caller's next retry reaches a live region instead of ECONNREFUSED forever.
 */
import path from 'node:path';
import {processIsAlive, readLockFile} from './dir-lock.js';
import {ensureService} from './service.js';

/** How often the lock is read at most (ms): clients poll every few seconds; a file read per burst is enough. */
const recheckMs = 1000;

export function sandboxEndpointSource(dir: string, initial: string, env: NodeJS.ProcessEnv): () => Promise<string> {
	let current = initial;
	let checkedAt = Date.now();
	let pending: Promise<string> | undefined;
	const recheck = async (): Promise<string> => {
		const owner = await readLockFile(path.resolve(dir));
		if (owner?.endpoint && processIsAlive(owner.pid)) {
			return owner.endpoint;
		}

		// Nobody runs the sandbox any more (stopped, crashed, its owner quit): bring the region back.
		return (await ensureService({dir, env})).endpoint;
	};

	return async () => {
		if (Date.now() - checkedAt < recheckMs) {
			return current;
		}

		pending ??= recheck()
			.then((endpoint) => {
				current = endpoint;
				return endpoint;
			})
			.catch(() => current)
			.finally(() => {
				checkedAt = Date.now();
				pending = undefined;
			});
		return pending;
	};
}
