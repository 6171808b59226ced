/**
 * One task model for every kind of work the dashboard and `tasks` show: bundle tasks, AMI creation (CreateImage),
 * store tasks, restores and copies, and the image -> store chain shown as one row that moves through its phases.
 * One state vocabulary (pending, active, complete, failed, unknown), one progress (integer 0-100 of the current
 * phase) and one ETA key (kind + phase: the estimator restarts when the phase changes). Pure, no I/O.
 */
import type {EtaSample} from './eta.js';
import {stateLabel} from './task-model.js';
import type {BundleTask, Image, ImageState, Snapshot, StoreTask} from './types.js';

export type WorkKind = 'bundle' | 'image' | 'store' | 'restore' | 'copy';

/** The shared state vocabulary; each kind's own states map onto it, its own wording stays in `phaseLabel`. */
export type WorkState = 'pending' | 'active' | 'complete' | 'failed' | 'unknown';

export type WorkItem = {
	/** Unique across kinds and regions: `${kind}:${region}/${id}` */
	key: string;
	kind: WorkKind;
	/** bundle id, or the AMI id (image, store: the source AMI; restore, copy: the new AMI) */
	id: string;
	region: string;
	state: WorkState;
	/** What is happening now, in the kind's words: 'Bundling', 'Snapshots', 'Storing in S3', 'Restoring'... */
	phaseLabel: string;
	/** Integer 0-100 of the current phase; undefined when unknown */
	progress: number | undefined;
	startTime: Date | undefined;
	/** Where the work reads from and writes to, for the table and the filter */
	source: string;
	target: string;
	error: string | undefined;
};

const kindLabels: Record<WorkKind, string> = {
	bundle: 'bundle',
	image: 'image',
	store: 'store',
	restore: 'restore',
	copy: 'copy',
};

/** A text mark for the KIND column (never colour alone). */
export function workKindLabel(kind: WorkKind): string {
	return kindLabels[kind];
}

const stateLabels: Record<WorkState, string> = {
	pending: 'Pending',
	active: 'In progress',
	complete: 'Complete',
	failed: 'Failed',
	unknown: 'Unknown',
};

export function workStateLabel(state: WorkState): string {
	return stateLabels[state];
}

export function isActiveWork(state: WorkState): boolean {
	return state === 'pending' || state === 'active';
}

/** A row's key; a store row and the chain that made it share one (`store:region/ami-id`). */
export function workKey(kind: WorkKind, region: string, id: string): string {
	return `${kind}:${region}/${id}`;
}

export function bundleWork(task: BundleTask): WorkItem {
	const state: WorkState =
		task.state === 'complete'
			? 'complete'
			: task.state === 'failed'
				? 'failed'
				: task.state === 'pending'
					? 'pending'
					: 'active';
	return {
		key: workKey('bundle', task.region, task.bundleId),
		kind: 'bundle',
		id: task.bundleId,
		region: task.region,
		state,
		phaseLabel: stateLabel(task.state),
		progress: task.progress,
		startTime: task.startTime,
		source: task.instanceId,
		target: `${task.bucket}/${task.prefix}`,
		error: task.error ? `${task.error.code}: ${task.error.message}` : undefined,
	};
}

/**
 * Progress of a pending EBS-backed AMI from its snapshots: their progress weighted by volume size (AWS copies
 * bigger volumes longer). undefined when no snapshot is known yet.
 */
export function snapshotsProgress(image: Image, snapshots: readonly Snapshot[]): number | undefined {
	if (image.state === 'available') {
		return 100;
	}

	const ids = (image.blockDevices ?? []).map((device) => device.snapshotId).filter(Boolean);
	const mine = snapshots.filter((snapshot) => ids.includes(snapshot.snapshotId));
	if (mine.length === 0) {
		return undefined;
	}

	let weight = 0;
	let done = 0;
	for (const snapshot of mine) {
		const size = Math.max(snapshot.volumeSizeGiB ?? 1, 1);
		weight += size;
		done += size * (snapshot.state === 'completed' ? 100 : (snapshot.progress ?? 0));
	}

	// Below 100 until AWS says the image is available
	return Math.min(99, Math.floor(done / weight));
}

/** Every state AWS reports for an AMI. */
export const imageStates: ReadonlySet<string> = new Set<ImageState>([
	'pending',
	'available',
	'failed',
	'invalid',
	'deregistered',
	'transient',
	'error',
]);

export function isImageState(value: unknown): value is ImageState {
	return typeof value === 'string' && imageStates.has(value);
}

function imageState(image: Image): WorkState {
	switch (image.state) {
		case 'available': {
			return 'complete';
		}

		case 'pending': {
			return 'active';
		}

		case 'failed':
		case 'invalid':
		case 'error':
		case 'deregistered': {
			return 'failed';
		}

		default: {
			return 'unknown';
		}
	}
}

/**
 * A pending / available AMI as work: `image` (CreateImage), `restore` (CreateRestoreImageTask) or `copy`
 * (CopyImage, a migration's registration). The caller knows which, from how bundledeck started it.
 */
export function imageWork(
	kind: 'image' | 'restore' | 'copy',
	image: Image,
	snapshots: readonly Snapshot[],
	origin: {source: string; target?: string | undefined},
): WorkItem {
	const state = imageState(image);
	const phaseLabels = {image: 'Snapshots', restore: 'Restoring', copy: 'Copying'} as const;
	return {
		key: workKey(kind, image.region, image.imageId),
		kind,
		id: image.imageId,
		region: image.region,
		state,
		phaseLabel: state === 'active' ? phaseLabels[kind] : workStateLabel(state),
		progress: state === 'complete' ? 100 : snapshotsProgress(image, snapshots),
		startTime: image.creationDate,
		source: origin.source,
		target: origin.target ?? image.imageId,
		error: state === 'failed' ? `AMI ${image.imageId} is ${image.state}` : undefined,
	};
}

export function storeWork(task: StoreTask): WorkItem {
	const state: WorkState = task.state === 'Completed' ? 'complete' : task.state === 'Failed' ? 'failed' : 'active';
	return {
		key: workKey('store', task.region, task.amiId),
		kind: 'store',
		id: task.amiId,
		region: task.region,
		state,
		phaseLabel: state === 'active' ? 'Storing in S3' : workStateLabel(state),
		progress: task.progress,
		startTime: task.startTime,
		source: task.amiId,
		target: `${task.bucket}/${task.objectKey}`,
		error: task.failureReason,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// The image -> store chain: one row from CreateImage to the stored object

/** What bundledeck keeps of a chain it started (history), enough to continue it after an interruption. */
export type StoreChain = {
	region: string;
	/** Undefined when the chain started from an existing AMI */
	instanceId: string | undefined;
	/** The instance's Name tag when bundledeck knew it at the start (rows show it, as bundle rows do) */
	instanceName?: string | undefined;
	imageId: string;
	name: string;
	bucket: string;
	noReboot: boolean;
	/** ISO */
	startedAt: string;
	/** Set once CreateStoreImageTask was accepted */
	storeStartedAt: string | undefined;
	/** AMIs restored (or migrated and restored) from the stored object, in any region; the dashboard follows them */
	restores?: RestoredImage[] | undefined;
	/** ISO: when history saw the chain end after seeing it run, so a restart keeps its elapsed time (read only) */
	endedAt?: string | undefined;
};

export type RestoredImage = {
	region: string;
	imageId: string;
	name: string;
	/** ISO */
	at: string;
	/** 'migrate': the object was copied to `bucket` in `region` first */
	via: 'restore' | 'migrate';
	bucket: string;
	/** ISO: when history saw the AMI settle after seeing it pending (read only) */
	endedAt?: string | undefined;
};

export type ChainPhase = 'image' | 'store' | 'complete' | 'failed';

export type ChainStatus = {
	phase: ChainPhase;
	/** The phase that failed (for the message), when phase is 'failed' */
	failedIn: 'image' | 'store' | undefined;
	/** Progress of the current phase */
	progress: number | undefined;
	/** 'image 40%', 'store 12%', 'complete', 'failed in store: ...' */
	label: string;
	/** What to do next to move the chain on: wait, start the store task, nothing */
	next: 'wait-image' | 'start-store' | 'wait-store' | 'none';
	error: string | undefined;
};

/**
 * Where a chain is, from what AWS reports now: the AMI (undefined when AWS no longer lists it), its snapshots and
 * the store task of that AMI (undefined until one exists).
 */
export function chainStatus(
	chain: StoreChain,
	image: Image | undefined,
	snapshots: readonly Snapshot[],
	task: StoreTask | undefined,
): ChainStatus {
	const percent = (value: number | undefined) => (value === undefined ? '' : ` ${value}%`);
	if (task && (chain.storeStartedAt !== undefined || task.bucket === chain.bucket)) {
		if (task.state === 'Completed') {
			return {phase: 'complete', failedIn: undefined, progress: 100, label: 'complete', next: 'none', error: undefined};
		}

		if (task.state === 'Failed') {
			const error = task.failureReason ?? 'the store task failed';
			return {
				phase: 'failed',
				failedIn: 'store',
				progress: task.progress,
				label: `failed in store: ${error}`,
				next: 'none',
				error,
			};
		}

		return {
			phase: 'store',
			failedIn: undefined,
			progress: task.progress,
			label: `store${percent(task.progress)}`,
			next: 'wait-store',
			error: undefined,
		};
	}

	if (!image) {
		const error = `AMI ${chain.imageId} no longer exists`;
		return {
			phase: 'failed',
			failedIn: 'image',
			progress: undefined,
			label: `failed in image: ${error}`,
			next: 'none',
			error,
		};
	}

	const state = imageState(image);
	if (state === 'failed') {
		const error = `AMI ${chain.imageId} is ${image.state}`;
		return {
			phase: 'failed',
			failedIn: 'image',
			progress: undefined,
			label: `failed in image: ${error}`,
			next: 'none',
			error,
		};
	}

	if (state === 'complete') {
		// The AMI is ready: the store task is next (or was asked for and is not listed yet)
		return {phase: 'store', failedIn: undefined, progress: 0, label: 'store 0%', next: 'start-store', error: undefined};
	}

	const progress = snapshotsProgress(image, snapshots);
	return {
		phase: 'image',
		failedIn: undefined,
		progress,
		label: `image${percent(progress)}`,
		next: 'wait-image',
		error: undefined,
	};
}

/** The chain as one work row: kind 'store', its phase in phaseLabel, the phase's progress. */
export function chainWork(chain: StoreChain, status: ChainStatus): WorkItem {
	const state: WorkState = status.phase === 'complete' ? 'complete' : status.phase === 'failed' ? 'failed' : 'active';
	return {
		key: workKey('store', chain.region, chain.imageId),
		kind: 'store',
		id: chain.imageId,
		region: chain.region,
		state,
		phaseLabel: status.label,
		progress: status.progress,
		startTime: new Date(chain.startedAt),
		source: chain.instanceId ?? chain.imageId,
		target: `${chain.bucket}/${chain.imageId}.bin`,
		error: status.error,
	};
}

/** One ETA sample for any row: the phase is part of the key, so a new phase starts a new estimate. */
export function etaSampleOfWork(item: WorkItem, receivedAtMs: number): EtaSample {
	return {
		timeMs: receivedAtMs,
		progress: item.progress,
		phase: `${item.kind}:${item.phaseLabel.replace(/\s*\d+%$/, '')}`,
	};
}
