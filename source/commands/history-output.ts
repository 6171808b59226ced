/** How `history` prints each kind of entry: its tab-separated lines and its JSON (each with a `kind`). */
import type {HistoryEntry, RestoreHistoryEntry, StoreHistoryEntry} from '../core/history.js';
import {historyEntryJson} from './output.js';

function percent(progress: number | undefined): string {
	return progress === undefined ? '-' : `${progress}%`;
}

function bundleLines(entry: Extract<HistoryEntry, {kind: 'bundle'}>): string[] {
	const head = [
		'HISTORY',
		entry.bundleId,
		entry.region,
		entry.instanceId,
		entry.bucket,
		entry.prefix,
		entry.startedAt,
		entry.lastState ?? 'unknown',
		percent(entry.lastProgress),
	].join('\t');
	const images = entry.images.map((image) =>
		['IMAGE', entry.bundleId, image.imageId, image.region, image.kind, image.at, image.name].join('\t'),
	);
	const migrations = entry.migrations.map((migration) =>
		[
			'MIGRATION',
			entry.bundleId,
			migration.destinationRegion,
			migration.destinationManifestLocation,
			migration.complete ? 'complete' : 'incomplete',
			migration.at,
		].join('\t'),
	);
	return [head, ...images, ...migrations];
}

/** STORE <ami-id> <region> <instance-id|-> <bucket> <object key> <started> <phase> <progress> [<failure reason>] */
function storeLine(entry: StoreHistoryEntry): string {
	const columns = [
		'STORE',
		entry.imageId,
		entry.region,
		entry.instanceId ?? '-',
		entry.bucket,
		entry.objectKey,
		entry.startedAt,
		entry.lastState ?? 'unknown',
		percent(entry.lastProgress),
	];
	return [...columns, ...(entry.failureReason ? [entry.failureReason] : [])].join('\t');
}

/** RESTORE <new ami-id> <region> <bucket> <object key> <started> <state> <name> */
function restoreLine(entry: RestoreHistoryEntry): string {
	return [
		'RESTORE',
		entry.imageId,
		entry.region,
		entry.bucket,
		entry.objectKey,
		entry.startedAt,
		entry.lastState ?? 'unknown',
		entry.name,
	].join('\t');
}

export function historyLines(entry: HistoryEntry): string[] {
	switch (entry.kind) {
		case 'store': {
			return [storeLine(entry)];
		}

		case 'restore': {
			return [restoreLine(entry)];
		}

		default: {
			return bundleLines(entry);
		}
	}
}

function storeJson(entry: StoreHistoryEntry) {
	return {
		kind: 'store' as const,
		amiId: entry.imageId,
		region: entry.region,
		instanceId: entry.instanceId ?? null,
		instanceName: entry.instanceName ?? null,
		name: entry.name,
		bucket: entry.bucket,
		objectKey: entry.objectKey,
		noReboot: entry.noReboot,
		startedAt: entry.startedAt,
		storeStartedAt: entry.storeStartedAt ?? null,
		lastState: entry.lastState ?? null,
		lastProgress: entry.lastProgress ?? null,
		lastUpdate: entry.lastUpdate ?? null,
		failureReason: entry.failureReason ?? null,
		phases: entry.phases.map((phase) => ({state: phase.state, at: phase.at})),
	};
}

function restoreJson(entry: RestoreHistoryEntry) {
	return {
		kind: 'restore' as const,
		imageId: entry.imageId,
		region: entry.region,
		name: entry.name,
		bucket: entry.bucket,
		objectKey: entry.objectKey,
		sourceImageId: entry.sourceImageId ?? null,
		via: entry.via,
		startedAt: entry.startedAt,
		lastState: entry.lastState ?? null,
		lastUpdate: entry.lastUpdate ?? null,
		endedAt: entry.endedAt ?? null,
	};
}

export function historyJson(entry: HistoryEntry) {
	switch (entry.kind) {
		case 'store': {
			return storeJson(entry);
		}

		case 'restore': {
			return restoreJson(entry);
		}

		default: {
			return historyEntryJson(entry);
		}
	}
}
