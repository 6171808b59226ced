/**
 * Crash-safe persistence for the sandbox's state: write to a temporary file in the same directory, flush it,
 * then rename over the target (rename is atomic on one filesystem), so a reader sees the old or the new
 * content, never a torn file.
 */
import {randomBytes} from 'node:crypto';
import {mkdir, open, readFile, rename, rm} from 'node:fs/promises';
import path from 'node:path';

export type AtomicWriteOptions = {
	/** File mode of the new file, set before any byte is written whatever the umask (default 0o600: owner only). */
	mode?: number | undefined;
};

export async function writeFileAtomic(
	file: string,
	data: string | Uint8Array,
	options: AtomicWriteOptions = {},
): Promise<void> {
	const directory = path.dirname(file);
	await mkdir(directory, {recursive: true, mode: 0o700});
	const temporary = path.join(
		directory,
		`.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
	);
	try {
		const mode = options.mode ?? 0o600;
		const handle = await open(temporary, 'wx', mode);
		try {
			await handle.chmod(mode);

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

/** JSON with a trailing newline, written atomically. */
export async function writeJsonFile(file: string, value: unknown, options: AtomicWriteOptions = {}): Promise<void> {
	await writeFileAtomic(file, `${JSON.stringify(value, undefined, '\t')}\n`, options);
}

/** The parsed JSON content of file, or undefined when the file does not exist. Throws on malformed JSON. */
export async function readJsonFile<T = unknown>(file: string): Promise<T | undefined> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if (isNotFound(error)) {
			return undefined;
		}

		throw error;
	}

	try {
		return JSON.parse(text) as T;
	} catch (error) {
		throw new Error(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
			cause: error,
		});
	}
}

export function isNotFound(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as {code?: unknown}).code === 'ENOENT';
}
