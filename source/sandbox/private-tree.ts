/**
 * The sandbox's data directory holds signed upload policies and the bundling keys: only its owner may read it
 * (directories 0700, files 0600), whatever the umask, including state written by older versions.
 */
import {chmod, readdir} from 'node:fs/promises';
import path from 'node:path';

export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/** Restricts dir and everything under it to the owner (symbolic links are left alone). */
export async function makeTreePrivate(dir: string): Promise<void> {
	await chmod(dir, privateDirMode);
	const entries = await readdir(dir, {withFileTypes: true});
	await Promise.all(
		entries.map(async (entry) => {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				await makeTreePrivate(full);
			} else if (entry.isFile()) {
				await chmod(full, privateFileMode);
			}
		}),
	);
}
