/**
 * Runs store tasks for real: the AMI's metadata and its snapshots' bytes (read from their files at the sandbox pace)
 * are packed (stored-image.ts), gzip-compressed and uploaded as 8 MiB parts through the S3 multipart path, so the
 * object <ami-id>.bin appears only when the upload completes. Progress: snapshot bytes read over their total, below
 * 100 until Completed. Failure: the upload is aborted (nothing appears) and the task is Failed with a reason.
 * At startup, InProgress tasks start again from the beginning (the earlier upload is aborted first).
 */
import {createReadStream} from 'node:fs';
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGzip} from 'node:zlib';
import type {MultipartWriter, ObjectStore, SandboxPace} from '../contracts.js';
import {snapshotFile} from './ebs-jobs.js';
import {Pacer} from './pacer.js';
import {type StoredImageHeader, storedImagePreamble} from './stored-image.js';
import type {ImageRecord, SnapshotRecord, StoreTaskRecord, World} from './world.js';

export const storePartSize = 8 * 1024 * 1024;
/** Fast compression: most of a disk is already compressed or random, where harder levels buy nothing. */
const storeGzipLevel = 1;

/** Object metadata kept with the stored AMI (AWS keeps the same facts as object metadata and tags). */
export function storedObjectMetadata(header: StoredImageHeader, tags: Array<{key: string; value: string}>) {
	const metadata: Record<string, string> = {
		'ami-name': header.name,
		'ami-description': header.description ?? '',
		'ami-registration-date': header.creationDate,
		'ami-owner-account': header.ownerId,
		'ami-id': header.sourceImageId,
		'ami-store-time': header.storeTime,
	};
	for (const tag of tags) {
		metadata[`tag-${tag.key.toLowerCase()}`] = tag.value;
	}

	return metadata;
}

export class StoreRunner {
	private readonly dir: string;
	private readonly world: World;
	private readonly objects: ObjectStore;
	private readonly multipart: MultipartWriter;
	private readonly pace: SandboxPace;
	private readonly controller = new AbortController();
	private readonly jobs = new Set<Promise<void>>();

	constructor(context: {
		dir: string;
		world: World;
		objects: ObjectStore;
		multipart: MultipartWriter;
		pace: SandboxPace;
	}) {
		this.dir = context.dir;
		this.world = context.world;
		this.objects = context.objects;
		this.multipart = context.multipart;
		this.pace = context.pace;
	}

	start(task: StoreTaskRecord): void {
		const job = this.run(task);
		this.jobs.add(job);
		void job.finally(() => this.jobs.delete(job));
	}

	resume(): void {
		for (const task of this.world.state.storeTasks) {
			if (task.state === 'InProgress') {
				task.progress = 0;
				this.start(task);
			}
		}
	}

	async close(): Promise<void> {
		this.controller.abort();
		await Promise.allSettled([...this.jobs]);
	}

	private update(task: StoreTaskRecord, changes: Partial<StoreTaskRecord>, now = false): void {
		Object.assign(task, changes, {updateTime: new Date().toISOString()});
		if (now) {
			void this.world.flush().catch(() => undefined);
		} else {
			this.world.scheduleSave();
		}
	}

	private sources(task: StoreTaskRecord): {image: ImageRecord; snapshots: SnapshotRecord[]} {
		const image = this.world.image(task.accountId, task.region, task.amiId);
		if (!image?.ebs) {
			throw new Error(`AMI ${task.amiId} was deregistered during the task`);
		}

		const snapshots = image.ebs.blockDevices.map((device) => {
			const snapshot = this.world.snapshot(task.accountId, task.region, device.snapshotId);
			if (snapshot?.state !== 'completed' || snapshot.sha256 === undefined) {
				throw new Error(`snapshot ${device.snapshotId} of ${task.amiId} was deleted or is not completed`);
			}

			return snapshot;
		});
		return {image, snapshots};
	}

	private async run(task: StoreTaskRecord): Promise<void> {
		const {signal} = this.controller;
		let uploadId = task.uploadId;
		// The part being written: an abort ends the pipeline at once, but not the write, which must end before the
		// run does (close() then leaves nothing writing into the data directory) and before an abort removes the upload
		let writing: Promise<unknown> = Promise.resolve();
		try {
			if (uploadId) {
				// From a run the sandbox stopped in the middle of: start over
				await this.multipart.abort(task.bucket, task.objectKey, uploadId);
				uploadId = undefined;
			}

			const bucket = this.objects.getBucket(task.bucket);
			if (!bucket) {
				throw new Error(`bucket ${task.bucket} no longer exists`);
			}

			const {image, snapshots} = this.sources(task);
			const header: StoredImageHeader = {
				name: image.name,
				description: image.description,
				architecture: image.architecture,
				creationDate: image.creationDate,
				ownerId: image.accountId,
				sourceImageId: image.imageId,
				storeTime: task.startTime,
				volumes: image.ebs!.blockDevices.map((device, index) => ({
					deviceName: device.deviceName,
					volumeSizeGiB: device.volumeSizeGiB,
					size: snapshots[index]!.size,
					sha256: snapshots[index]!.sha256!,
				})),
			};
			uploadId = await this.multipart.create(
				task.bucket,
				task.objectKey,
				storedObjectMetadata(header, task.objectTags),
			);
			this.update(task, {uploadId}, true);
			const total = Math.max(
				snapshots.reduce((sum, snapshot) => sum + snapshot.size, 0),
				1,
			);
			const pacer = new Pacer(this.pace.bytesPerSecond, signal);
			let read = 0;
			const dir = this.dir;
			const onRead = (bytes: number) => {
				read += bytes;
				const progress = Math.min(99, Math.floor((read / total) * 100));
				if (progress > task.progress) {
					this.update(task, {progress});
				}
			};

			async function* packed(): AsyncGenerator<Buffer> {
				yield storedImagePreamble(header);
				for (const snapshot of snapshots) {
					for await (const chunk of createReadStream(snapshotFile(dir, snapshot.snapshotId), {
						highWaterMark: 256 * 1024,
					})) {
						await pacer.take((chunk as Buffer).length);
						onRead((chunk as Buffer).length);
						yield chunk as Buffer;
					}
				}
			}

			const parts: Array<{partNumber: number; etag: string}> = [];
			const buffer = Buffer.allocUnsafe(storePartSize);
			let filled = 0;
			const flush = async () => {
				const partNumber = parts.length + 1;
				// A copy: the part is written before the buffer is reused, but the store may hold it until then
				const upload = this.multipart.uploadPart(
					task.bucket,
					task.objectKey,
					uploadId!,
					partNumber,
					Buffer.from(buffer.subarray(0, filled)),
				);
				writing = upload.catch(() => undefined);
				const etag = await upload;
				parts.push({partNumber, etag});
				filled = 0;
			};

			await pipeline(
				Readable.from(packed()),
				createGzip({level: storeGzipLevel}),
				async (compressed: AsyncIterable<Buffer>) => {
					for await (let chunk of compressed) {
						while (chunk.length > 0) {
							const take = Math.min(chunk.length, storePartSize - filled);
							chunk.copy(buffer, filled, 0, take);
							filled += take;
							chunk = chunk.subarray(take);
							if (filled === storePartSize) {
								await flush();
							}
						}
					}
				},
				{signal},
			);
			if (filled > 0 || parts.length === 0) {
				await flush();
			}

			// The snapshots must stay for the duration: check again before the object becomes visible
			this.sources(task);
			await this.multipart.complete(task.bucket, task.objectKey, uploadId, parts);
			this.update(task, {state: 'Completed', progress: 100, uploadId: undefined}, true);
		} catch (error) {
			await writing;
			if (signal.aborted) {
				return; // Shutting down: InProgress, runs again at the next start
			}

			if (uploadId) {
				await this.multipart.abort(task.bucket, task.objectKey, uploadId).catch(() => undefined);
			}

			this.update(
				task,
				{
					state: 'Failed',
					uploadId: undefined,
					failureReason: `The store task failed: ${error instanceof Error ? error.message : String(error)}`,
				},
				true,
			);
		}
	}
}
