/**
 * The sandbox's stored AMI object (<ami-id>.bin): gzip of [magic][u32 header length][JSON header][volume bytes...].
 * The header carries the AMI's metadata and, per snapshot, its size and sha256, so a restore can refuse an object
 * that is foreign (no magic), truncated (gzip ends early, or fewer bytes than declared) or damaged (CRC or hash).
 * AWS's own format is opaque; this one only has to round-trip and to catch every kind of damage.
 */
import {createHash} from 'node:crypto';
import type {Readable} from 'node:stream';
import {createGunzip} from 'node:zlib';

export const storedImageMagic = Buffer.from('BUNDLEDECK STORED AMI 1\n', 'latin1');

export type StoredVolume = {deviceName: string; volumeSizeGiB: number; size: number; sha256: string};

export type StoredImageHeader = {
	name: string;
	description: string | undefined;
	architecture: 'x86_64' | 'i386';
	creationDate: string;
	ownerId: string;
	sourceImageId: string;
	storeTime: string;
	volumes: StoredVolume[];
};

export class StoredImageError extends Error {
	readonly reason: 'foreign' | 'truncated' | 'damaged';

	constructor(reason: 'foreign' | 'truncated' | 'damaged', message: string) {
		super(message);
		this.reason = reason;
	}
}

export function storedImagePreamble(header: StoredImageHeader): Buffer {
	const json = Buffer.from(JSON.stringify(header), 'utf8');
	const length = Buffer.alloc(4);
	length.writeUInt32BE(json.length);
	return Buffer.concat([storedImageMagic, length, json]);
}

const maxHeaderSize = 1024 * 1024;

function gunzipProblem(error: unknown, where: string): StoredImageError {
	const code = (error as {code?: string}).code;
	const message = error instanceof Error ? error.message : String(error);
	if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(message)) {
		return new StoredImageError('truncated', `${where} is truncated (the compressed data ends early)`);
	}

	if (/incorrect header check|unknown compression/i.test(message)) {
		return new StoredImageError('foreign', `${where} is not a stored AMI (not the store task's compressed format)`);
	}

	return new StoredImageError('damaged', `${where} is damaged (${message})`);
}

/**
 * Reads a stored AMI object, verifying everything; hands each volume's bytes to `sink` (in order) when given.
 * `where` names the object in messages ("Object b/k.bin").
 */
export async function readStoredImage(
	compressed: Readable,
	where: string,
	sink?: (volumeIndex: number, chunk: Buffer) => Promise<void>,
): Promise<StoredImageHeader> {
	const gunzip = createGunzip();
	compressed.on('error', (error) => gunzip.destroy(error));
	compressed.pipe(gunzip);
	let pending = Buffer.alloc(0);
	let header: StoredImageHeader | undefined;
	let volume = 0;
	let taken = 0;
	let hash = createHash('sha256');
	const finishVolume = () => {
		const expected = header!.volumes[volume]!;
		if (hash.digest('hex') !== expected.sha256) {
			throw new StoredImageError(
				'damaged',
				`${where} is damaged (volume ${expected.deviceName} does not match its checksum)`,
			);
		}

		volume++;
		taken = 0;
		hash = createHash('sha256');
	};

	try {
		for await (const raw of gunzip) {
			let chunk = raw as Buffer;
			if (!header) {
				pending = Buffer.concat([pending, chunk]);
				if (pending.length < storedImageMagic.length + 4) {
					continue;
				}

				if (!pending.subarray(0, storedImageMagic.length).equals(storedImageMagic)) {
					throw new StoredImageError('foreign', `${where} is not a stored AMI (it does not start like one)`);
				}

				const length = pending.readUInt32BE(storedImageMagic.length);
				if (length > maxHeaderSize) {
					throw new StoredImageError('damaged', `${where} is damaged (its header is ${length} bytes long)`);
				}

				const start = storedImageMagic.length + 4;
				if (pending.length < start + length) {
					continue;
				}

				try {
					header = JSON.parse(pending.subarray(start, start + length).toString('utf8')) as StoredImageHeader;
				} catch {
					throw new StoredImageError('damaged', `${where} is damaged (its header is not readable)`);
				}

				if (!Array.isArray(header.volumes) || typeof header.name !== 'string') {
					throw new StoredImageError('damaged', `${where} is damaged (its header lacks the AMI's volumes)`);
				}

				chunk = pending.subarray(start + length);
				pending = Buffer.alloc(0);
			}

			while (chunk.length > 0) {
				while (volume < header.volumes.length && taken === header.volumes[volume]!.size) {
					finishVolume();
				}

				const current = header.volumes[volume];
				if (!current) {
					throw new StoredImageError('damaged', `${where} is damaged (it holds more data than its volumes)`);
				}

				const part = chunk.subarray(0, current.size - taken);
				hash.update(part);
				taken += part.length;
				chunk = chunk.subarray(part.length);
				if (sink) {
					await sink(volume, part);
				}
			}
		}
	} catch (error) {
		if (error instanceof StoredImageError) {
			throw error;
		}

		throw gunzipProblem(error, where);
	} finally {
		compressed.unpipe(gunzip);
		gunzip.destroy();
	}

	if (!header) {
		throw new StoredImageError(
			pending.length === 0 ? 'foreign' : 'truncated',
			`${where} is not a stored AMI (it is too short to be one)`,
		);
	}

	while (volume < header.volumes.length && taken === header.volumes[volume]!.size) {
		finishVolume();
	}

	if (volume < header.volumes.length) {
		throw new StoredImageError(
			'truncated',
			`${where} is truncated (volume ${header.volumes[volume]!.deviceName} is incomplete)`,
		);
	}

	return header;
}
