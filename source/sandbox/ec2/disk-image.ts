/**
 * A deterministic, synthetic C: volume image, generated on demand as a stream (never held in memory).
 * The image is a sequence of 1 MiB blocks; each block is, depending on a hash of the seed and its index,
 * pseudo-random (AES-128-CTR keystream: incompressible), text-like (directory listings: compresses well)
 * or zeros (free space). Roughly 60% random, so a bundle of a few tens of MiB has several 10 MiB parts.
 */
import {createCipheriv, createHash} from 'node:crypto';
import {Readable} from 'node:stream';

export const diskBlockSize = 1024 * 1024;
const chunkSize = 64 * 1024;
const zeros = Buffer.alloc(chunkSize);

type BlockKind = 'random' | 'text' | 'zeros';

export type DiskImage = {
	size: number;
	/** The bytes at [offset, offset + length); length <= 64 KiB and the range must not cross a 1 MiB block. */
	chunk(offset: number, length: number): Buffer;
	stream(): Readable;
	/** Expected size after gzip + AES (from the block kinds and their measured ratios), for progress weighting. */
	estimatedBundledSize(): number;
};

/** gzip output / input per block kind, measured on this generator (level 6). */
const compressionRatios: Record<BlockKind, number> = {random: 1.0004, text: 0.096, zeros: 0.001};

export function createDiskImage(seed: string, size: number): DiskImage {
	const key = createHash('sha256').update(`disk:${seed}`).digest().subarray(0, 16);
	const kinds = new Map<number, BlockKind>();
	const textPoolSize = 16;
	const textPool: Array<Buffer | undefined> = [];

	function kindOf(block: number): BlockKind {
		const cached = kinds.get(block);
		if (cached) {
			return cached;
		}

		const byte = createHash('sha1').update(`${seed}:${block}`).digest()[0]!;
		const kind: BlockKind = block === 0 ? 'text' : byte < 160 ? 'random' : byte < 215 ? 'text' : 'zeros';
		if (kinds.size > 4096) {
			kinds.clear();
		}

		kinds.set(block, kind);
		return kind;
	}

	function textChunk(block: number, offset: number, length: number): Buffer {
		const lines: string[] = [];
		let total = 0;
		let line = offset;
		if (block === 0 && offset === 0) {
			const header = `\u00EBR\u0090NTFS    bundledeck sandbox volume ${seed}\r\n`;
			lines.push(header);
			total += header.length;
		}

		while (total < length) {
			const text = `C:\\Windows\\System32\\DriverStore\\FileRepository\\pkg${block}_${(line >> 6) % 977}\\file${line % 4099}.sys  ${(line * 2_654_435_761) % 1_000_000}\r\n`;
			lines.push(text);
			total += text.length;
			line++;
		}

		return Buffer.from(lines.join(''), 'latin1').subarray(0, length);
	}

	function chunk(offset: number, length: number): Buffer {
		const block = Math.floor(offset / diskBlockSize);
		switch (kindOf(block)) {
			case 'random': {
				const iv = Buffer.alloc(16);
				iv.writeUInt32BE(Math.floor(offset / 16 / 0x1_00_00_00_00), 8);
				iv.writeUInt32BE((offset / 16) % 0x1_00_00_00_00, 12);
				const cipher = createCipheriv('aes-128-ctr', key, iv);
				return cipher.update(length === chunkSize ? zeros : zeros.subarray(0, length));
			}

			case 'text': {
				if (offset === 0) {
					return textChunk(block, offset, length);
				}

				// A small pool of prebuilt text chunks keeps generation allocation-free (shared, never written to)
				const slot = createHash('sha1').update(`${seed}:${offset}`).digest()[1]! % textPoolSize;
				let pooled = textPool[slot];
				if (!pooled) {
					pooled = textChunk(slot + 1, slot * chunkSize * 7, chunkSize);
					textPool[slot] = pooled;
				}

				return length === chunkSize ? pooled : pooled.subarray(0, length);
			}

			default: {
				// Shared, never written to: consumers only read chunks
				return length === chunkSize ? zeros : zeros.subarray(0, length);
			}
		}
	}

	return {
		size,
		chunk,
		estimatedBundledSize() {
			let total = 32;
			for (let offset = 0; offset < size; offset += diskBlockSize) {
				const block = offset / diskBlockSize;
				total += Math.min(diskBlockSize, size - offset) * compressionRatios[kindOf(block)];
			}

			return Math.round(total);
		},
		stream() {
			let offset = 0;
			return new Readable({
				highWaterMark: chunkSize,
				read() {
					if (offset >= size) {
						this.push(null);
						return;
					}

					const length = Math.min(chunkSize, size - offset);
					const data = chunk(offset, length);
					offset += length;
					this.push(data);
				},
			});
		},
	};
}
