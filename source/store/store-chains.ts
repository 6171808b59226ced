/**
 * The image -> store chains bundledeck started (CreateImage, then CreateStoreImageTask), as the store entries of
 * the history, so that a rerun of `store` or the dashboard continues a chain after an interruption. One store for
 * everything bundledeck started: a poll reads and writes chains and bundles together, and `history` lists both.
 */
import type {History, RestoreHistoryEntry, StoreHistoryEntry} from '../core/history.js';
import type {RestoredImage, StoreChain} from '../core/work-model.js';
import {type OpenHistoryOptions, openHistory} from './history.js';
import {chainOf} from './history-kinds.js';

export type StoreChains = {
	/** Each chain with the AMIs restored from its object that are still followed (not deregistered) */
	list(): StoreChain[];
	find(region: string, imageId: string): StoreChain | undefined;
	/** Adds or replaces (by region + AMI id); restores it lists are recorded too (as addRestore does). */
	save(chain: StoreChain): void;
	/** An AMI restored (or migrated and restored) from the chain's object. */
	addRestore(chain: StoreChain, restore: RestoredImage): void;
	/** A restored AMI was deregistered: it leaves its chain, its history entry says so. */
	restoreDeregistered(region: string, imageId: string): void;
};

function restoredImage(entry: RestoreHistoryEntry): RestoredImage {
	return {
		region: entry.region,
		imageId: entry.imageId,
		name: entry.name,
		at: entry.startedAt,
		via: entry.via,
		bucket: entry.bucket,
		endedAt: entry.endedAt,
	};
}

/**
 * When the chain ended, as history saw it: the time of its complete or failed phase when an image or store phase came
 * before it (a chain first seen ended has no known end).
 */
function endSeen(entry: StoreHistoryEntry): string | undefined {
	const last = entry.phases.at(-1);
	const ended = last?.state === 'complete' || last?.state === 'failed';
	return ended && entry.phases.length > 1 ? last.at : undefined;
}

/** The chains of a history (the store entries, oldest first, with their restores). */
export function storeChainsOf(history: History): StoreChains {
	const list = (): StoreChain[] => {
		const entries = history.list().reverse();
		return entries.flatMap((entry) => {
			if (entry.kind !== 'store') {
				return [];
			}

			const restores = entries.filter(
				(other): other is RestoreHistoryEntry =>
					other.kind === 'restore' && other.sourceImageId === entry.imageId && other.lastState !== 'deregistered',
			);
			return [
				{
					...chainOf(entry),
					...(restores.length > 0 ? {restores: restores.map(restoredImage)} : {}),
					endedAt: endSeen(entry),
				},
			];
		});
	};

	const addRestore = (chain: StoreChain, restore: RestoredImage): void => {
		history.recordRestore({
			region: restore.region,
			imageId: restore.imageId,
			name: restore.name,
			bucket: restore.bucket,
			objectKey: `${chain.imageId}.bin`,
			sourceImageId: chain.imageId,
			via: restore.via,
			startedAt: restore.at,
			lastState: undefined,
		});
	};

	return {
		list,
		find: (region, imageId) => list().find((chain) => chain.region === region && chain.imageId === imageId),
		save: (chain) => {
			history.recordStore(chain);
			for (const restore of chain.restores ?? []) {
				addRestore(chain, restore);
			}
		},
		addRestore,
		restoreDeregistered: (region, imageId) => {
			const entry = history
				.list()
				.find((other) => other.kind === 'restore' && other.region === region && other.imageId === imageId);
			if (entry?.kind === 'restore') {
				history.recordRestore({...entry, lastState: 'deregistered'});
			}
		},
	};
}

/** The chains of the history file at `location`. */
export function openStoreChains(location: OpenHistoryOptions): StoreChains {
	return storeChainsOf(openHistory(location));
}
