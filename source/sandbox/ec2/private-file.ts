/**
 * Files only the owner may read (mode 0600), for state that holds signed upload policies. Written through the
 * sandbox's atomic writer, which creates the temporary file 0600 before any byte is written, so the content is never
 * readable by others, not even for a moment.
 */
import {chmod} from 'node:fs/promises';
import {writeJsonFile} from '../atomic-file.js';

export const privateFileMode = 0o600;

/** JSON with a trailing newline, written atomically with mode 0600. */
export async function writePrivateJsonFile(file: string, value: unknown): Promise<void> {
	await writeJsonFile(file, value, {mode: privateFileMode});
}

/** Restricts an existing file to its owner (ignored when it does not exist). */
export async function makePrivate(file: string): Promise<void> {
	await chmod(file, privateFileMode).catch(() => undefined);
}
