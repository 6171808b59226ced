/**
 * A Writable that splits the encrypted bundle stream into fixed-size part files on disk, hashing each part
 * (SHA1) as it is written. Nothing is buffered beyond the chunk being written: backpressure comes from the
 * awaited file writes.
 */
import {createHash, type Hash} from 'node:crypto';
import {type FileHandle, open} from 'node:fs/promises';
import path from 'node:path';
import {Writable} from 'node:stream';

export const bundlePartSize = 10 * 1024 * 1024;

export type WrittenPart = {file: string; size: number; digest: string};

export class PartWriter extends Writable {
	readonly parts: WrittenPart[] = [];
	private readonly directory: string;
	private readonly partSize: number;
	private handle: FileHandle | undefined;
	private hash: Hash | undefined;
	private current: WrittenPart | undefined;
	total = 0;
	/** The chunk being written: destroy waits for it, or a part being opened would be created (and left open) after. */
	private writing: Promise<void> = Promise.resolve();

	constructor(directory: string, partSize = bundlePartSize) {
		super({highWaterMark: 256 * 1024});
		this.directory = directory;
		this.partSize = partSize;
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.writing = this.writeChunk(chunk);
		this.writing.then(() => {
			callback();
		}, callback);
	}

	override _final(callback: (error?: Error | null) => void): void {
		// Tracked as a write: an empty stream opens its one part here, which a destroy must wait for too
		this.writing = this.closePart()
			.then(async () => {
				if (this.parts.length === 0) {
					// An empty stream still yields one (empty) part
					await this.openPart();
					await this.closePart();
				}
			})
			.then(() => {
				callback();
			}, callback);
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		this.writing
			.catch(() => undefined)
			.then(async () => {
				const handle = this.handle;
				this.handle = undefined;
				await handle?.close();
			})
			.catch(() => undefined)
			.then(() => {
				callback(error);
			});
	}

	private async openPart(): Promise<void> {
		const file = path.join(this.directory, `part-${this.parts.length}`);
		this.handle = await open(file, 'w', 0o600);
		this.hash = createHash('sha1');
		this.current = {file, size: 0, digest: ''};
	}

	private async closePart(): Promise<void> {
		if (!this.handle || !this.current || !this.hash) {
			return;
		}

		await this.handle.close();
		this.handle = undefined;
		this.current.digest = this.hash.digest('hex');
		this.parts.push(this.current);
		this.current = undefined;
		this.hash = undefined;
	}

	private async writeChunk(chunk: Buffer): Promise<void> {
		let rest = chunk;
		while (rest.length > 0) {
			if (!this.handle) {
				await this.openPart();
			}

			const room = this.partSize - this.current!.size;
			const piece = rest.subarray(0, room);
			rest = rest.subarray(piece.length);
			await this.handle!.write(piece);
			this.hash!.update(piece);
			this.current!.size += piece.length;
			this.total += piece.length;
			if (this.current!.size >= this.partSize) {
				await this.closePart();
			}
		}
	}
}
