/**
 * Local history of everything bundledeck started, registered, migrated and copied. Never secrets.
 * Implementation: source/store/history.ts (a JSON file, mode 0600).
 */
import type {BundleTask} from './types.js';

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

export type HistoryEntry = {
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

export type History = {
	list(): HistoryEntry[];
	get(bundleId: string): HistoryEntry | undefined;
	recordBundle(task: BundleTask, instanceName?: string): void;
	/** Updates the last-seen snapshot of a known bundle (ignored for unknown ids). */
	recordTask(task: BundleTask): void;
	/** recordTask for many tasks at once: one read and at most one write of the history, whatever their number. */
	recordTasks(tasks: readonly BundleTask[]): void;
	recordImage(bundleId: string, image: HistoryImage): void;
	recordMigration(bundleId: string, migration: HistoryMigration): void;
	/** Set when the history file was corrupt and was moved aside: one line for the user. */
	readonly warning: string | undefined;
};
