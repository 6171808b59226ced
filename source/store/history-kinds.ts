/**
 * The store and restore entries of the history file: their shape checks, normal form and how an observation (a
 * store task, an AMI) updates them. Bundle entries keep theirs in history.ts; this file also holds the small
 * readers of unknown JSON both use.
 */
import type {ObservedWork, RestoreHistoryEntry, StoreHistoryEntry, StorePhase} from '../core/history.js';
import type {BundleTask, Image, ImageState, StoreTask} from '../core/types.js';
import {type ChainPhase, isImageState, type StoreChain} from '../core/work-model.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a field of an unknown record (keeps both tsc and biome happy about index signatures). */
export function at(record: Record<string, unknown>, key: string): unknown {
	return record[key];
}

export function isArrayOf(value: unknown, check: (item: unknown) => boolean): boolean {
	return Array.isArray(value) && value.every((item) => check(item));
}

export function isString(value: unknown): value is string {
	return typeof value === 'string';
}

export function optional(value: unknown, check: (value: unknown) => boolean): boolean {
	return value === undefined || value === null || check(value);
}

const chainPhases = new Set<unknown>(['image', 'store', 'complete', 'failed']);

function isStorePhase(value: unknown): value is StorePhase {
	return isRecord(value) && chainPhases.has(at(value, 'state')) && isString(at(value, 'at'));
}

export function isStoreEntry(value: Record<string, unknown>): boolean {
	return (
		['region', 'imageId', 'name', 'bucket', 'objectKey', 'startedAt'].every((key) => isString(at(value, key))) &&
		optional(at(value, 'instanceId'), isString) &&
		optional(at(value, 'instanceName'), isString) &&
		typeof at(value, 'noReboot') === 'boolean' &&
		optional(at(value, 'storeStartedAt'), isString) &&
		optional(at(value, 'lastState'), (state) => chainPhases.has(state)) &&
		optional(at(value, 'lastProgress'), (progress) => typeof progress === 'number') &&
		optional(at(value, 'lastUpdate'), isString) &&
		optional(at(value, 'failureReason'), isString) &&
		optional(at(value, 'phases'), (phases) => isArrayOf(phases, isStorePhase))
	);
}

export function isRestoreEntry(value: Record<string, unknown>): boolean {
	return (
		['region', 'imageId', 'name', 'bucket', 'objectKey', 'startedAt'].every((key) => isString(at(value, key))) &&
		optional(at(value, 'sourceImageId'), isString) &&
		(at(value, 'via') === 'restore' || at(value, 'via') === 'migrate') &&
		optional(at(value, 'lastState'), isImageState) &&
		optional(at(value, 'lastUpdate'), isString) &&
		optional(at(value, 'endedAt'), isString)
	);
}

/** A store entry with every optional field present (null in the file -> undefined) and nothing else. */
export function normaliseStore(entry: StoreHistoryEntry): StoreHistoryEntry {
	return {
		kind: 'store',
		region: entry.region,
		instanceId: entry.instanceId ?? undefined,
		instanceName: entry.instanceName ?? undefined,
		imageId: entry.imageId,
		name: entry.name,
		bucket: entry.bucket,
		objectKey: entry.objectKey,
		noReboot: entry.noReboot,
		startedAt: entry.startedAt,
		storeStartedAt: entry.storeStartedAt ?? undefined,
		lastState: entry.lastState ?? undefined,
		lastProgress: entry.lastProgress ?? undefined,
		lastUpdate: entry.lastUpdate ?? undefined,
		failureReason: entry.failureReason ?? undefined,
		phases: (entry.phases ?? []).map((phase) => ({state: phase.state, at: phase.at})),
	};
}

export function normaliseRestore(entry: RestoreHistoryEntry): RestoreHistoryEntry {
	return {
		kind: 'restore',
		region: entry.region,
		imageId: entry.imageId,
		name: entry.name,
		bucket: entry.bucket,
		objectKey: entry.objectKey,
		sourceImageId: entry.sourceImageId ?? undefined,
		via: entry.via,
		startedAt: entry.startedAt,
		lastState: entry.lastState ?? undefined,
		lastUpdate: entry.lastUpdate ?? undefined,
		endedAt: entry.endedAt ?? undefined,
	};
}

/** A new store entry for a chain, or the known one with the chain's fields (its last snapshot is kept). */
export function storeEntryOf(chain: StoreChain, existing: StoreHistoryEntry | undefined): StoreHistoryEntry {
	return {
		kind: 'store',
		region: chain.region,
		instanceId: chain.instanceId ?? existing?.instanceId,
		instanceName: chain.instanceName ?? existing?.instanceName,
		imageId: chain.imageId,
		name: chain.name,
		bucket: chain.bucket,
		objectKey: `${chain.imageId}.bin`,
		noReboot: chain.noReboot,
		startedAt: existing?.startedAt ?? chain.startedAt,
		storeStartedAt: chain.storeStartedAt,
		lastState: existing?.lastState,
		lastProgress: existing?.lastProgress,
		lastUpdate: existing?.lastUpdate,
		failureReason: existing?.failureReason,
		phases: existing?.phases ?? [],
	};
}

/** The chain a store entry describes (what `store` reruns and the dashboard continue from). */
export function chainOf(entry: StoreHistoryEntry): StoreChain {
	return {
		region: entry.region,
		instanceId: entry.instanceId,
		instanceName: entry.instanceName,
		imageId: entry.imageId,
		name: entry.name,
		bucket: entry.bucket,
		noReboot: entry.noReboot,
		startedAt: entry.startedAt,
		storeStartedAt: entry.storeStartedAt,
	};
}

export function isBundleTask(work: ObservedWork): work is BundleTask {
	return 'bundleId' in work;
}

export function isStoreTask(work: ObservedWork): work is StoreTask {
	return 'amiId' in work && 'objectKey' in work;
}

function setStorePhase(
	entry: StoreHistoryEntry,
	state: ChainPhase,
	progress: number | undefined,
	failureReason: string | undefined,
	time: string,
): void {
	if (entry.phases.at(-1)?.state !== state) {
		// The timeline CreateImage -> store -> complete, kept so a restart still shows when each phase began
		entry.phases = [...entry.phases, {state, at: time}];
		entry.lastUpdate = time;
	} else if (entry.lastProgress !== progress) {
		entry.lastUpdate = time;
	}

	entry.lastState = state;
	entry.lastProgress = progress;
	entry.failureReason = failureReason;
}

/** A store task of the chain's AMI into its bucket moves the chain into (or through) the store phase. */
export function applyStoreTask(entry: StoreHistoryEntry, task: StoreTask, now: string): void {
	if (task.bucket !== entry.bucket) {
		return;
	}

	const phase: ChainPhase = task.state === 'Completed' ? 'complete' : task.state === 'Failed' ? 'failed' : 'store';
	setStorePhase(
		entry,
		phase,
		phase === 'complete' ? 100 : task.progress,
		phase === 'failed' ? (task.failureReason ?? 'the store task failed') : undefined,
		now,
	);
}

const failedImageStates = new Set<ImageState>(['failed', 'invalid', 'error', 'deregistered']);

/** The chain's AMI while CreateImage runs (once the store task exists, the task says where the chain is). */
export function applyChainImage(entry: StoreHistoryEntry, image: Image, now: string): void {
	if (entry.lastState !== undefined && entry.lastState !== 'image') {
		return;
	}

	if (failedImageStates.has(image.state)) {
		setStorePhase(entry, 'failed', undefined, `AMI ${image.imageId} is ${image.state}`, now);
	} else if (image.state === 'available' || image.state === 'pending') {
		setStorePhase(entry, 'image', image.state === 'available' ? 100 : entry.lastProgress, undefined, now);
	}
}

export function applyRestoreImage(entry: RestoreHistoryEntry, image: Image, now: string): void {
	// Seen pending, now settled: its end (AWS gives none), as the dashboard's clock stops it
	if (entry.lastState === 'pending' && image.state !== 'pending' && entry.endedAt === undefined) {
		entry.endedAt = now;
	}

	if (entry.lastState !== image.state) {
		entry.lastState = image.state;
		entry.lastUpdate = now;
	}
}

function legacyRestores(chain: Record<string, unknown>, imageId: string): RestoreHistoryEntry[] {
	const restores = at(chain, 'restores');
	if (!Array.isArray(restores)) {
		return [];
	}

	return restores.flatMap((restore: unknown): RestoreHistoryEntry[] => {
		if (
			!isRecord(restore) ||
			!['region', 'imageId', 'name', 'at', 'bucket'].every((key) => isString(at(restore, key)))
		) {
			return [];
		}

		return [
			{
				kind: 'restore',
				region: String(at(restore, 'region')),
				imageId: String(at(restore, 'imageId')),
				name: String(at(restore, 'name')),
				bucket: String(at(restore, 'bucket')),
				objectKey: `${imageId}.bin`,
				sourceImageId: imageId,
				via: at(restore, 'via') === 'migrate' ? 'migrate' : 'restore',
				startedAt: String(at(restore, 'at')),
				lastState: undefined,
				lastUpdate: undefined,
			},
		];
	});
}

/**
 * The entries of a chains file (<history name>-chains.json, where chains were kept before they were history
 * entries): each chain a store entry, each of its restores a restore entry. Anything unreadable is skipped.
 */
export function entriesOfLegacyChains(data: unknown): Array<StoreHistoryEntry | RestoreHistoryEntry> {
	const chains = isRecord(data) ? at(data, 'chains') : undefined;
	if (!Array.isArray(chains)) {
		return [];
	}

	return chains.flatMap((chain: unknown): Array<StoreHistoryEntry | RestoreHistoryEntry> => {
		if (
			!isRecord(chain) ||
			!['region', 'imageId', 'name', 'bucket', 'startedAt'].every((key) => isString(at(chain, key)))
		) {
			return [];
		}

		const text = (key: string) => {
			const value = at(chain, key);
			return isString(value) ? value : undefined;
		};
		const imageId = String(at(chain, 'imageId'));
		const store = storeEntryOf(
			{
				region: String(at(chain, 'region')),
				instanceId: text('instanceId'),
				imageId,
				name: String(at(chain, 'name')),
				bucket: String(at(chain, 'bucket')),
				noReboot: at(chain, 'noReboot') === true,
				startedAt: String(at(chain, 'startedAt')),
				storeStartedAt: text('storeStartedAt'),
			},
			undefined,
		);
		return [store, ...legacyRestores(chain, imageId)];
	});
}
