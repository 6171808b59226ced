/**
 * Atomic writes of files only the owner may read (mode 0600), for state that holds signed upload policies.
 * The temporary file is created 0600 before any byte is written (and chmod-ed, whatever the umask), flushed, then
 * renamed over the target, so the content is never readable by others, not even for a moment.
 */
import {randomBytes} from 'node:crypto';
import {chmod, mkdir, open, rename, rm} from 'node:fs/promises';
import path from 'node:path';

export const privateFileMode = 0o600;

export async function writePrivateFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
	const directory = path.dirname(file);
	await mkdir(directory, {recursive: true});
	const temporary = path.join(
		directory,
		`.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
	);
	try {
		const handle = await open(temporary, 'wx', privateFileMode);
		try {
			await handle.chmod(privateFileMode);
			await handle.writeFile(data);
			await handle.sync();
		} finally {
			await handle.close();
		}

		await rename(temporary, file);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}
}

/** JSON with a trailing newline, written atomically with mode 0600. */
export async function writePrivateJsonFile(file: string, value: unknown): Promise<void> {
	await writePrivateFileAtomic(file, `${JSON.stringify(value, undefined, '\t')}\n`);
}

/** Restricts an existing file to its owner (ignored when it does not exist). */
export async function makePrivate(file: string): Promise<void> {
	await chmod(file, privateFileMode).catch(() => undefined);
}
