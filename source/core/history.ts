/**
 * Local history of everything bundledeck started, registered, migrated, copied, stored and restored. Never secrets.
 * Each entry has a kind: a bundle (BundleInstance), a store (the image -> store chain: CreateImage, then
 * CreateStoreImageTask) or a restore (CreateRestoreImageTask). Implementation: source/store/history.ts.
 */
import type {BundleTask, Image, ImageState, StoreTask} from './types.js';
import type {ChainPhase, StoreChain} from './work-model.js';

export type HistoryImage = {
	imageId: string;
	region: string;
	name: string;
	kind: 'registered' | 'migrated' | 'copied';
	/** ISO time */
	at: string;
	sourceImageId?: string | undefined;
};

export type HistoryMigration = {
	destinationRegion: string;
	destinationBucket: string;
	destinationManifestLocation: string;
	/** ISO time */
	at: string;
	complete: boolean;
};

/** A state a task was seen in, from when (ISO time): the timeline the dashboard draws after a restart. */
export type HistoryPhase = {state: BundleTask['state']; at: string};

export type BundleHistoryEntry = {
	kind: 'bundle';
	bundleId: string;
	region: string;
	instanceId: string;
	instanceName: string | undefined;
	bucket: string;
	prefix: string;
	/** ISO time */
	startedAt: string;
	/** Last task snapshot seen from AWS (dates as ISO strings). */
	lastState: BundleTask['state'] | undefined;
	lastProgress: number | undefined;
	lastUpdate: string | undefined;
	error: {code: string; message: string} | undefined;
	images: HistoryImage[];
	migrations: HistoryMigration[];
	/** Every state change seen, in order (absent in files written before it was kept). */
	phases?: HistoryPhase[] | undefined;
};

/** A phase of an image -> store chain, from when (ISO time): CreateImage ('image'), then the store task. */
export type StorePhase = {state: ChainPhase; at: string};

/**
 * An image -> store chain (CreateImage, then CreateStoreImageTask; or the store task alone, from an AMI): the chain
 * fields a rerun continues from, and the last snapshot seen of it. Keyed by region + AMI id.
 */
export type StoreHistoryEntry = Omit<StoreChain, 'restores'> & {
	kind: 'store';
	/** `<ami-id>.bin`: the object the store task writes */
	objectKey: string;
	lastState: ChainPhase | undefined;
	/** Progress of the current phase, 0-100 */
	lastProgress: number | undefined;
	lastUpdate: string | undefined;
	/** Why the chain failed (the store task's failure reason, or what happened to the AMI) */
	failureReason: string | undefined;
	phases: StorePhase[];
};

/** An AMI restored from a stored object (CreateRestoreImageTask), keyed by region + the new AMI id. */
export type RestoreHistoryEntry = {
	kind: 'restore';
	region: string;
	/** The new AMI */
	imageId: string;
	name: string;
	bucket: string;
	objectKey: string;
	/** The stored AMI (the store entry it came from, when bundledeck stored it) */
	sourceImageId: string | undefined;
	/** 'migrate': the object was copied to `bucket` in `region` first */
	via: 'restore' | 'migrate';
	/** ISO time */
	startedAt: string;
	lastState: ImageState | undefined;
	lastUpdate: string | undefined;
	/** ISO: when history saw the new AMI settle after seeing it pending, so a restart keeps its elapsed time */
	endedAt?: string | undefined;
};

export type HistoryEntry = BundleHistoryEntry | StoreHistoryEntry | RestoreHistoryEntry;
export type HistoryKind = HistoryEntry['kind'];

/**
 * What a poll saw: a bundle task, a store task, or an AMI (a restore's new AMI, or the AMI of a store chain still
 * in CreateImage). Only entries history already holds are updated.
 */
export type ObservedWork = BundleTask | StoreTask | Image;

export type History = {
	/** Every entry, every kind, newest first. */
	list(): HistoryEntry[];
	/** Changes whenever the entries may have (the file's version): a cheap check before a list() that may be skipped. */
	revision(): string;
	/** The bundle entries, newest first. */
	bundles(): BundleHistoryEntry[];
	get(bundleId: string): BundleHistoryEntry | undefined;
	recordBundle(task: BundleTask, instanceName?: string): void;
	/** Updates the last-seen snapshot of a known bundle, store chain or restore (ignored for unknown ones). */
	recordTask(task: ObservedWork): void;
	/** recordTask for many at once: one read and at most one write of the history, whatever their number. */
	recordTasks(tasks: readonly ObservedWork[]): void;
	recordImage(bundleId: string, image: HistoryImage): void;
	recordMigration(bundleId: string, migration: HistoryMigration): void;
	/** Adds or updates (by region + AMI id) an image -> store chain; its last snapshot is kept. */
	recordStore(chain: StoreChain): void;
	/** Adds or updates (by region + new AMI id) a restore. */
	recordRestore(restore: Omit<RestoreHistoryEntry, 'kind' | 'lastUpdate'>): void;
	/** Set when the history file was corrupt and was moved aside: one line for the user. */
	readonly warning: string | undefined;
};
