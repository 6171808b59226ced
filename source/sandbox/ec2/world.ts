/**
 * The EC2 half of the sandbox's state: instances (seeded), bundle tasks and images, per account and region.
 * Persisted as one JSON document under <dir>/ec2/world.json with atomic writes; saves are serialised and
 * coalesced so frequent progress updates cost at most one write per interval.
 * The file holds the signed upload policies of tasks in flight (so they can resume after a restart; never a secret
 * key), so it is written with mode 0600, and a corrupt one set aside is made 0600 too.
 */
import {rename} from 'node:fs/promises';
import path from 'node:path';
import {startTimer} from '../../core/timers.js';
import type {BundleState} from '../../core/types.js';
import {readJsonFile} from '../atomic-file.js';
import type {SandboxAccount} from '../contracts.js';
import {makePrivate, writePrivateJsonFile} from './private-file.js';
import {seedInstances} from './seed.js';

export type InstanceStateName = 'pending' | 'running' | 'stopping' | 'stopped';

export type InstanceRecord = {
	id: string;
	accountId: string;
	region: string;
	name: string;
	type: string;
	availabilityZone: string;
	state: InstanceStateName;
	platform: 'windows' | 'linux';
	rootDeviceType: 'instance-store' | 'ebs';
	architecture: 'x86_64' | 'i386';
	imageId: string;
	/** ISO */
	launchTime: string;
	privateIpAddress: string;
	reservationId: string;
	/** EBS-backed instances: size of the extra data volume (xvdb) in GiB; the root volume is always there */
	dataVolumeGiB?: number | undefined;
	/** CreateTags (the Name tag is `name`) */
	tags?: Record<string, string> | undefined;
};

export type Tag = {key: string; value: string};

/** One EBS snapshot: its bytes live in <dir>/ec2/snapshots/<snapshotId>.data once it is completed. */
export type SnapshotRecord = {
	snapshotId: string;
	accountId: string;
	region: string;
	volumeId: string;
	/** Nominal size of the volume (what quotas count) */
	volumeSizeGiB: number;
	description: string | undefined;
	state: 'pending' | 'completed' | 'error';
	stateMessage: string | undefined;
	/** Integer 0-100 */
	progress: number;
	/** ISO */
	startTime: string;
	/** Bytes of data and their sha256 (hex), known once completed */
	size: number;
	sha256: string | undefined;
	/**
	 * Where the bytes come from: an instance's volume (CreateImage), a stored AMI object (CreateRestoreImageTask) or
	 * another snapshot, maybe in another region (CopyImage of an EBS-backed AMI)
	 */
	source:
		| {kind: 'volume'; instanceId: string; device: string}
		| {kind: 'restore'; imageId: string; index: number}
		| {kind: 'copy'; region: string; snapshotId: string};
	tags: Tag[];
};

export type BlockDeviceRecord = {deviceName: string; snapshotId: string; volumeSizeGiB: number};

/** What an EBS-backed image has beyond an instance store one. */
export type EbsImageInfo = {
	blockDevices: BlockDeviceRecord[];
	/** CreateImage: the instance it was made from */
	sourceInstanceId: string | undefined;
	/** CreateImage without NoReboot: the instance is stopped and started around the snapshots */
	reboot: boolean;
	/** CreateRestoreImageTask: the object it was restored from */
	restoredFrom: {bucket: string; key: string} | undefined;
};

export type StoreTaskState = 'InProgress' | 'Completed' | 'Failed';

export type StoreTaskRecord = {
	amiId: string;
	accountId: string;
	region: string;
	bucket: string;
	objectKey: string;
	/** ISO */
	startTime: string;
	updateTime: string;
	/** Integer 0-100 */
	progress: number;
	state: StoreTaskState;
	failureReason: string | undefined;
	/** S3ObjectTag.N, kept with the object */
	objectTags: Tag[];
	/** Snapshot data this task stores (GiB, counts against the in-progress quota) */
	sizeGiB: number;
	/** The multipart upload in flight (aborted when the task fails or starts over after a restart) */
	uploadId?: string | undefined;
};

export type TaskRecord = {
	bundleId: string;
	accountId: string;
	region: string;
	instanceId: string;
	state: BundleState;
	/** Integer 0-100 */
	progress: number;
	/** ISO */
	startTime: string;
	updateTime: string;
	bucket: string;
	prefix: string;
	/** The caller's Storage.S3.AWSAccessKeyId: the parts are uploaded with it */
	awsAccessKeyId: string;
	/**
	 * The base64 upload policy and its signature exactly as BundleInstance received them, kept while the task is in
	 * flight so that it can run again after a restart; dropped once it is complete or failed. Undefined for tasks
	 * stored by an older sandbox (those cannot resume). Never logged, printed or returned by an action.
	 */
	uploadPolicy: string | undefined;
	uploadPolicySignature: string | undefined;
	error: {code: string; message: string} | undefined;
	/** S3 keys uploaded so far (removed again when the task fails or is cancelled) */
	uploadedKeys: string[];
};

export type ImageRecord = {
	imageId: string;
	accountId: string;
	region: string;
	name: string;
	description: string | undefined;
	state: 'pending' | 'available' | 'failed';
	stateReason: {code: string; message: string} | undefined;
	/** bucket/key of the manifest */
	imageLocation: string;
	architecture: 'x86_64' | 'i386';
	/** ISO */
	creationDate: string;
	/** Set for images made by CopyImage (an EBS-backed copy has `ebs` too, its snapshots copied from the source's) */
	copy:
		| {
				sourceRegion: string;
				sourceImageId: string;
				clientToken: string | undefined;
				/** Fingerprint of the request parameters, for ClientToken idempotency */
				fingerprint: string;
		  }
		| undefined;
	/** Set for EBS-backed images (CreateImage, CreateRestoreImageTask); undefined = instance store-backed */
	ebs?: EbsImageInfo | undefined;
	tags?: Tag[] | undefined;
};

export type WorldState = {
	version: 1;
	instances: InstanceRecord[];
	tasks: TaskRecord[];
	images: ImageRecord[];
	/** Added with the image -> S3 path; absent in older world files */
	snapshots: SnapshotRecord[];
	storeTasks: StoreTaskRecord[];
};

export const instanceStateCodes: Record<InstanceStateName, number> = {
	pending: 0,
	running: 16,
	stopping: 64,
	stopped: 80,
};

export class World {
	readonly file: string;
	state: WorldState;
	private saveTimer: NodeJS.Timeout | undefined;
	private writing: Promise<void> = Promise.resolve();
	private closed = false;

	constructor(file: string, state: WorldState) {
		this.file = file;
		this.state = state;
	}

	static async load(dir: string, accounts: SandboxAccount[]): Promise<World> {
		const file = path.join(dir, 'ec2', 'world.json');
		let stored: WorldState | undefined;
		try {
			stored = await readJsonFile<WorldState>(file);
		} catch {
			// Unreadable (not JSON): keep it for inspection and start from a fresh world rather than refuse to start
			const aside = `${file}.corrupt-${Date.now()}`;
			await rename(file, aside).then(
				async () => makePrivate(aside),
				() => undefined,
			);
		}

		const valid =
			stored?.version === 1 &&
			Array.isArray(stored.instances) &&
			Array.isArray(stored.tasks) &&
			Array.isArray(stored.images);
		const state: WorldState = valid
			? {...stored!, snapshots: stored!.snapshots ?? [], storeTasks: stored!.storeTasks ?? []}
			: {version: 1, instances: [], tasks: [], images: [], snapshots: [], storeTasks: []};
		// Seed any account / region that has no instances yet (a new account added to the sandbox, a new world)
		for (const instance of seedInstances(accounts)) {
			if (!state.instances.some((existing) => existing.id === instance.id)) {
				state.instances.push(instance);
			}
		}

		const world = new World(file, state);
		await world.flush();
		return world;
	}

	instance(accountId: string, region: string, id: string): InstanceRecord | undefined {
		return this.state.instances.find(
			(instance) => instance.id === id && instance.accountId === accountId && instance.region === region,
		);
	}

	instances(accountId: string, region: string): InstanceRecord[] {
		return this.state.instances.filter((instance) => instance.accountId === accountId && instance.region === region);
	}

	task(accountId: string, region: string, bundleId: string): TaskRecord | undefined {
		return this.state.tasks.find(
			(task) => task.bundleId === bundleId && task.accountId === accountId && task.region === region,
		);
	}

	/**
	 * Forgets bundle tasks that finished (complete or failed) more than retentionMs ago, as EC2 stops listing them.
	 * Their parts and manifest stay in S3 and can still be registered.
	 */
	dropFinishedTasks(retentionMs: number, now = Date.now()): void {
		const kept = this.state.tasks.filter(
			(task) =>
				(task.state !== 'complete' && task.state !== 'failed') || Date.parse(task.updateTime) + retentionMs > now,
		);
		if (kept.length !== this.state.tasks.length) {
			this.state.tasks = kept;
			this.scheduleSave();
		}
	}

	tasks(accountId: string, region: string): TaskRecord[] {
		return this.state.tasks.filter((task) => task.accountId === accountId && task.region === region);
	}

	image(accountId: string, region: string, imageId: string): ImageRecord | undefined {
		return this.state.images.find(
			(image) => image.imageId === imageId && image.accountId === accountId && image.region === region,
		);
	}

	images(accountId: string, region: string): ImageRecord[] {
		return this.state.images.filter((image) => image.accountId === accountId && image.region === region);
	}

	snapshot(accountId: string, region: string, snapshotId: string): SnapshotRecord | undefined {
		return this.state.snapshots.find(
			(snapshot) =>
				snapshot.snapshotId === snapshotId && snapshot.accountId === accountId && snapshot.region === region,
		);
	}

	snapshots(accountId: string, region: string): SnapshotRecord[] {
		return this.state.snapshots.filter((snapshot) => snapshot.accountId === accountId && snapshot.region === region);
	}

	storeTasks(accountId: string, region: string): StoreTaskRecord[] {
		return this.state.storeTasks.filter((task) => task.accountId === accountId && task.region === region);
	}

	/** Persist soon (coalesced); for frequent updates like progress. */
	scheduleSave(delayMs = 250): void {
		if (this.closed || this.saveTimer) {
			return;
		}

		this.saveTimer = startTimer(() => {
			this.saveTimer = undefined;
			void this.flush().catch(() => undefined);
		}, delayMs);
	}

	/** Persist now (after any write in progress). */
	async flush(): Promise<void> {
		if (this.saveTimer) {
			clearTimeout(this.saveTimer);
			this.saveTimer = undefined;
		}

		const snapshot = JSON.stringify(this.state);
		const write = this.writing.then(async () => writePrivateJsonFile(this.file, JSON.parse(snapshot) as unknown));
		this.writing = write.catch(() => undefined);
		return write;
	}

	async close(): Promise<void> {
		await this.flush();
		this.closed = true;
	}
}
