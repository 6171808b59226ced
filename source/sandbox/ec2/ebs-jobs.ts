/**
 * Background work of EBS-backed images, for real:
 * - CreateImage: (without NoReboot) the instance stops, the snapshots are started, the instance starts again; then
 *   each volume's synthetic bytes are copied into <dir>/ec2/snapshots/<snap-id>.data at the sandbox pace, with
 *   progress; when every snapshot completes (sha256 recorded) the image becomes available after stepDelayMs.
 * - CreateRestoreImageTask: the stored object is read back, verified and split into the new snapshots' files.
 * - CopyImage of an EBS-backed AMI: each source snapshot's file is copied at the sandbox pace into the new snapshot
 *   (maybe in another region), and must end with the source's size and sha256.
 * At startup, pending images resume: their pending snapshots are copied again from the beginning, a reboot left
 * half-done is finished. Failures end with the image `failed` and its snapshots in `error`, with a reason.
 */
import {createHash} from 'node:crypto';
import {once} from 'node:events';
import {createReadStream, createWriteStream} from 'node:fs';
import {mkdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {type Readable, Transform, type Writable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {setTimeout as delay} from 'node:timers/promises';
import type {ObjectStreamOpener, SandboxPace} from '../contracts.js';
import {Pacer} from './pacer.js';
import {PendingImageJobs} from './pending-image-jobs.js';
import {readStoredImage} from './stored-image.js';
import {volumeImage} from './volumes.js';
import type {ImageRecord, SnapshotRecord, World} from './world.js';

export function snapshotFile(dir: string, snapshotId: string): string {
	return path.join(dir, 'ec2', 'snapshots', `${snapshotId}.data`);
}

function failureCode(image: ImageRecord): string {
	if (image.copy) {
		return 'Server.CopyFailed';
	}

	return image.ebs?.restoredFrom ? 'Client.RestoreFailed' : 'Server.SnapshotFailed';
}

export class EbsJobs {
	private readonly dir: string;
	private readonly world: World;
	private readonly pace: SandboxPace;
	private readonly openObjectStream: ObjectStreamOpener;
	private readonly jobs: PendingImageJobs;

	constructor(context: {dir: string; world: World; pace: SandboxPace; openObjectStream: ObjectStreamOpener}) {
		this.dir = context.dir;
		this.world = context.world;
		this.pace = context.pace;
		this.openObjectStream = context.openObjectStream;
		this.jobs = new PendingImageJobs({
			world: context.world,
			pace: context.pace,
			failure: (image, error) => this.failure(image, error),
		});
	}

	/** CreateImage's work; `reboot` when the instance is to be stopped and started around the snapshots. */
	startCreate(image: ImageRecord, reboot: boolean): void {
		this.jobs.start(image, async () => this.create(image, reboot));
	}

	startRestore(image: ImageRecord): void {
		this.jobs.start(image, async () => this.restore(image));
	}

	startCopy(image: ImageRecord): void {
		this.jobs.start(image, async () => this.copy(image));
	}

	resume(): void {
		for (const image of this.world.state.images) {
			if (image.state !== 'pending' || !image.ebs) {
				continue;
			}

			if (image.copy) {
				this.startCopy(image);
			} else if (image.ebs.restoredFrom) {
				this.startRestore(image);
			} else {
				this.startCreate(image, false);
			}
		}
	}

	async close(): Promise<void> {
		await this.jobs.close();
	}

	private snapshotsOf(image: ImageRecord): SnapshotRecord[] {
		return (image.ebs?.blockDevices ?? []).map((device) => {
			const snapshot = this.world.snapshot(image.accountId, image.region, device.snapshotId);
			if (!snapshot) {
				throw new Error(`snapshot ${device.snapshotId} of ${image.imageId} no longer exists`);
			}

			return snapshot;
		});
	}

	/** The image's failure reason; its snapshots still pending end in error with the same message. */
	private failure(image: ImageRecord, error: unknown): {code: string; message: string} {
		const message = error instanceof Error ? error.message : String(error);
		for (const device of image.ebs?.blockDevices ?? []) {
			const snapshot = this.world.snapshot(image.accountId, image.region, device.snapshotId);
			if (snapshot && snapshot.state === 'pending') {
				snapshot.state = 'error';
				snapshot.stateMessage = message;
			}
		}

		return {code: failureCode(image), message};
	}

	private setProgress(snapshot: SnapshotRecord, done: number, total: number): void {
		const value = Math.min(99, Math.floor((done / Math.max(total, 1)) * 100));
		if (value > snapshot.progress) {
			snapshot.progress = value;
			this.world.scheduleSave();
		}
	}

	private async complete(snapshot: SnapshotRecord, size: number, sha256: string): Promise<void> {
		Object.assign(snapshot, {state: 'completed', progress: 100, size, sha256});
		await this.world.flush();
	}

	private async create(image: ImageRecord, reboot: boolean): Promise<void> {
		const {signal} = this.jobs;
		const instanceId = image.ebs!.sourceInstanceId!;
		const instance = this.world.instance(image.accountId, image.region, instanceId);
		if (!instance) {
			throw new Error(`instance ${instanceId} no longer exists`);
		}

		if (reboot || instance.state === 'stopping') {
			// A consistent image: the snapshots start while the instance is stopped (AWS reboots it)
			instance.state = 'stopping';
			await this.world.flush();
			await delay(this.pace.stepDelayMs, undefined, {signal});
		}

		if (instance.state === 'stopping' || instance.state === 'pending') {
			instance.state = 'pending';
			await this.world.flush();
			await delay(this.pace.stepDelayMs, undefined, {signal});
			instance.state = 'running';
			await this.world.flush();
		}

		await mkdir(path.dirname(snapshotFile(this.dir, 'x')), {recursive: true});
		const pacer = new Pacer(this.pace.bytesPerSecond, signal);
		for (const snapshot of this.snapshotsOf(image)) {
			if (snapshot.state === 'completed') {
				continue;
			}

			const source = snapshot.source;
			if (source.kind !== 'volume') {
				throw new Error(`snapshot ${snapshot.snapshotId} has no volume to copy`);
			}

			const disk = volumeImage(instance, source.device, this.pace.imageSize);
			const written = await this.writeSnapshot(snapshot, disk.stream(), disk.size, pacer);
			await this.complete(snapshot, written.size, written.sha256);
		}
	}

	/** Streams `input` into the snapshot's file at the pacer's rate, raising its progress; the bytes' size and sha256. */
	private async writeSnapshot(
		snapshot: SnapshotRecord,
		input: Readable,
		total: number,
		pacer: Pacer,
	): Promise<{size: number; sha256: string}> {
		const hash = createHash('sha256');
		let size = 0;
		const tap = new Transform({
			transform: (chunk: Buffer, _encoding, callback) => {
				pacer.take(chunk.length).then(() => {
					hash.update(chunk);
					size += chunk.length;
					this.setProgress(snapshot, size, total);
					callback(null, chunk);
				}, callback);
			},
		});
		await pipeline(input, tap, createWriteStream(snapshotFile(this.dir, snapshot.snapshotId)), {
			signal: this.jobs.signal,
		});
		return {size, sha256: hash.digest('hex')};
	}

	/** CopyImage of an EBS-backed AMI: each source snapshot's bytes into the new snapshot, checked against its sha256. */
	private async copy(image: ImageRecord): Promise<void> {
		await mkdir(path.dirname(snapshotFile(this.dir, 'x')), {recursive: true});
		const pacer = new Pacer(this.pace.bytesPerSecond, this.jobs.signal);
		for (const snapshot of this.snapshotsOf(image)) {
			if (snapshot.state === 'completed') {
				continue;
			}

			const source = snapshot.source;
			if (source.kind !== 'copy') {
				throw new Error(`snapshot ${snapshot.snapshotId} has no source snapshot to copy`);
			}

			const original = this.world.snapshot(image.accountId, source.region, source.snapshotId);
			if (original?.state !== 'completed' || original.sha256 === undefined) {
				throw new Error(`source snapshot ${source.snapshotId} in ${source.region} no longer exists`);
			}

			const written = await this.writeSnapshot(
				snapshot,
				createReadStream(snapshotFile(this.dir, original.snapshotId)),
				original.size,
				pacer,
			);
			if (written.size !== original.size || written.sha256 !== original.sha256) {
				throw new Error(
					`the copy of snapshot ${source.snapshotId} does not match it (${written.size} of ${original.size} bytes, sha256 differs)`,
				);
			}

			await this.complete(snapshot, written.size, written.sha256);
		}
	}

	private async restore(image: ImageRecord): Promise<void> {
		const {signal} = this.jobs;
		const from = image.ebs!.restoredFrom!;
		const where = `Object ${from.bucket}/${from.key}`;
		const opened = await this.openObjectStream(from.bucket, from.key);
		if (!opened) {
			throw new Error(`${where} no longer exists`);
		}

		await mkdir(path.dirname(snapshotFile(this.dir, 'x')), {recursive: true});
		const snapshots = this.snapshotsOf(image);
		const pacer = new Pacer(this.pace.bytesPerSecond, signal);
		let current = -1;
		let output: Writable | undefined;
		// A snapshot file's write error, kept for the next step: a stream with no error listener would crash the
		// process when the job is aborted (the sandbox closing) with a write in flight.
		let outputError: Error | undefined;
		let written = 0;
		const hash = {value: createHash('sha256')};
		const finish = async () => {
			if (output) {
				await new Promise<void>((resolve, reject) => {
					output!.end((error?: Error | null) => (error ? reject(error) : resolve()));
				});
				await this.complete(snapshots[current]!, written, hash.value.digest('hex'));
			}
		};

		try {
			const header = await readStoredImage(opened.stream, where, async (index, chunk) => {
				signal.throwIfAborted();
				while (index > current) {
					await finish();
					current++;
					written = 0;
					hash.value = createHash('sha256');
					output = createWriteStream(snapshotFile(this.dir, snapshots[current]!.snapshotId));
					output.on('error', (error) => {
						outputError ??= error;
					});
				}

				if (outputError) {
					throw outputError;
				}

				await pacer.take(chunk.length);
				hash.value.update(chunk);
				written += chunk.length;
				if (!output!.write(chunk)) {
					// Rejects on the stream's error, which a bare 'drain' wait would wait out forever.
					await once(output!, 'drain', {signal});
				}

				this.setProgress(snapshots[current]!, written, snapshots[current]!.size);
			});
			await finish();
			// Volumes with no bytes never reached the sink
			for (const [index, snapshot] of snapshots.entries()) {
				if (snapshot.state !== 'completed') {
					await this.writeEmpty(snapshot, header.volumes[index]?.sha256 ?? '');
				}
			}
		} catch (error) {
			opened.stream.destroy();
			if (output && !output.closed) {
				// A file still being opened is created first: the job ends only once it is closed
				const closed = new Promise((resolve) => {
					output!.once('close', resolve);
				});
				output.destroy();
				await closed;
			}

			throw error;
		}
	}

	private async writeEmpty(snapshot: SnapshotRecord, sha256: string): Promise<void> {
		await rm(snapshotFile(this.dir, snapshot.snapshotId), {force: true});
		await pipeline([], createWriteStream(snapshotFile(this.dir, snapshot.snapshotId)));
		await this.complete(snapshot, 0, sha256);
	}
}
