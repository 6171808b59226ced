/**
 * The file that says "this directory is a sandbox's": --reset deletes s3/ and ec2/ only where it is, so a
 * --sandbox-dir pointed by mistake at a folder that has its own s3/ or ec2/ loses nothing.
 */
import {access, readFile} from 'node:fs/promises';
import path from 'node:path';
import {writeJsonFile} from './atomic-file.js';

export const markerFileName = 'bundledeck-sandbox.json';
const markerKind = 'bundledeck-sandbox';

export async function hasSandboxMarker(dir: string): Promise<boolean> {
	try {
		const parsed = JSON.parse(await readFile(path.join(dir, markerFileName), 'utf8')) as {kind?: unknown};
		return parsed.kind === markerKind;
	} catch {
		return false;
	}
}

export async function writeSandboxMarker(dir: string): Promise<void> {
	await writeJsonFile(path.join(dir, markerFileName), {kind: markerKind, version: 1});
}

export async function exists(file: string): Promise<boolean> {
	try {
		await access(file);
		return true;
	} catch {
		return false;
	}
}
