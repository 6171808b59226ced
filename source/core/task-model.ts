/**
 * The bundle task model: states and their predicates, progress parsing, labels and tones for display, dashboard
 * rows (live tasks merged with local history), sorting and filtering. Pure, no I/O.
 */
import {shortRegion} from './format.js';
import type {BundleHistoryEntry} from './history.js';
import type {BundleState, BundleTask} from './types.js';

/** Every BundleState AWS reports, in pipeline order. */
export const bundleStates: readonly BundleState[] = Object.freeze([
	'pending',
	'waiting-for-shutdown',
	'bundling',
	'storing',
	'cancelling',
	'complete',
	'failed',
]);

/** States in which the task is still working (and worth polling). */
export const activeStates: readonly BundleState[] = Object.freeze([
	'pending',
	'waiting-for-shutdown',
	'bundling',
	'storing',
	'cancelling',
]);

/** States a task never leaves. */
export const terminalStates: readonly BundleState[] = Object.freeze(['complete', 'failed']);

/** A row's state: a BundleState, or 'unknown' for a history entry whose last state was never seen. */
export type TaskState = BundleState | 'unknown';

export function isBundleState(value: unknown): value is BundleState {
	return typeof value === 'string' && (bundleStates as readonly string[]).includes(value);
}

/** complete or failed. */
export function isTerminalState(state: TaskState): boolean {
	return state === 'complete' || state === 'failed';
}

/** pending, waiting-for-shutdown, bundling, storing or cancelling. */
export function isActiveState(state: TaskState): boolean {
	return state !== 'unknown' && !isTerminalState(state);
}

/**
 * AWS's progress string ("70%") as an integer 0-100. Anything else (undefined, "", "70", "7.5%", "101%", "abc")
 * gives undefined. Never throws.
 */
export function parseProgress(value: unknown): number | undefined {
	if (typeof value !== 'string') {
		return undefined;
	}

	const match = /^\s*(\d{1,3})\s*%\s*$/.exec(value);
	if (!match?.[1]) {
		return undefined;
	}

	const percent = Number.parseInt(match[1], 10);
	return percent <= 100 ? percent : undefined;
}

const labels: Record<TaskState, string> = {
	pending: 'Pending',
	'waiting-for-shutdown': 'Waiting for shutdown',
	bundling: 'Bundling',
	storing: 'Storing in S3',
	cancelling: 'Cancelling',
	complete: 'Complete',
	failed: 'Failed',
	unknown: 'Unknown',
};

const shortLabels: Record<TaskState, string> = {
	pending: 'Pending',
	'waiting-for-shutdown': 'Shutdown',
	bundling: 'Bundling',
	storing: 'Storing',
	cancelling: 'Cancelling',
	complete: 'Complete',
	failed: 'Failed',
	unknown: 'Unknown',
};

/** Text label for a state (the UI never relies on colour alone): 'Waiting for shutdown', 'Storing in S3'... */
export function stateLabel(state: TaskState): string {
	return labels[state];
}

/** Label of at most 10 characters for narrow columns: 'Shutdown', 'Storing'... */
export function stateShortLabel(state: TaskState): string {
	return shortLabels[state];
}

/** The error code a bundle task ended by CancelBundleTask carries (its state is then 'failed'). */
export const cancelledErrorCode = 'Client.Cancelled';

/** The fields that tell a cancelled task from a failed one. */
export type StatedTask = {state: TaskState; error?: {code: string} | undefined};

/** True for a task that failed because it was cancelled (AWS reports it as 'failed' with Client.Cancelled). */
export function isCancelledTask(task: StatedTask): boolean {
	return task.state === 'failed' && task.error?.code === cancelledErrorCode;
}

/** The state label of a task: 'Cancelled' for a cancelled one, else {@link stateLabel}. */
export function taskStateLabel(task: StatedTask): string {
	return isCancelledTask(task) ? 'Cancelled' : stateLabel(task.state);
}

/** The short state label of a task: 'Cancelled' for a cancelled one, else {@link stateShortLabel}. */
export function taskStateShortLabel(task: StatedTask): string {
	return isCancelledTask(task) ? 'Cancelled' : stateShortLabel(task.state);
}

export type StateTone = 'active' | 'success' | 'failure' | 'muted';

/** Colour family for a state: active states 'active', complete 'success', failed 'failure', unknown 'muted'. */
export function stateTone(state: TaskState): StateTone {
	if (state === 'complete') {
		return 'success';
	}

	if (state === 'failed') {
		return 'failure';
	}

	if (state === 'unknown') {
		return 'muted';
	}

	return 'active';
}

/** The tone of a task: a cancelled one is muted (the user asked for it), not a failure. */
export function taskStateTone(task: StatedTask): StateTone {
	return isCancelledTask(task) ? 'muted' : stateTone(task.state);
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboard rows

/** One dashboard row: a live task, or a task AWS no longer lists rebuilt from local history. */
export type TaskRow = {
	/** Unique across regions: `${region}/${bundleId}` (use as React key). */
	key: string;
	bundleId: string;
	region: string;
	instanceId: string;
	/** From local history when known. */
	instanceName: string | undefined;
	state: TaskState;
	progress: number | undefined;
	startTime: Date;
	/** undefined only for history rows without a recorded update. */
	updateTime: Date | undefined;
	bucket: string;
	prefix: string;
	error: {code: string; message: string} | undefined;
	/** True when AWS no longer lists the task and the row shows the last snapshot from history. */
	fromHistory: boolean;
};

/** The key used for rows: bundle ids are only unique within a region. */
export function taskKey(region: string, bundleId: string): string {
	return `${region}/${bundleId}`;
}

function parseDate(iso: string | undefined): Date | undefined {
	if (iso === undefined) {
		return undefined;
	}

	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A live task as a row. */
export function taskToRow(task: BundleTask, instanceName?: string): TaskRow {
	return {
		key: taskKey(task.region, task.bundleId),
		bundleId: task.bundleId,
		region: task.region,
		instanceId: task.instanceId,
		instanceName,
		state: task.state,
		progress: task.progress,
		startTime: task.startTime,
		updateTime: task.updateTime,
		bucket: task.bucket,
		prefix: task.prefix,
		error: task.error,
		fromHistory: false,
	};
}

/** A history entry as a row flagged fromHistory (its last seen snapshot). */
export function historyEntryToRow(entry: BundleHistoryEntry): TaskRow {
	return {
		key: taskKey(entry.region, entry.bundleId),
		bundleId: entry.bundleId,
		region: entry.region,
		instanceId: entry.instanceId,
		instanceName: entry.instanceName,
		state: entry.lastState ?? 'unknown',
		progress: entry.lastProgress,
		startTime: parseDate(entry.startedAt) ?? new Date(0),
		updateTime: parseDate(entry.lastUpdate),
		bucket: entry.bucket,
		prefix: entry.prefix,
		error: entry.error,
		fromHistory: true,
	};
}

export type MergeOptions = {
	/** Drop history-only rows started before this time (live tasks are always kept). */
	historySince?: Date | undefined;
};

/**
 * Rows for the dashboard: every live task (named from history when known), plus history entries in the watched
 * regions that AWS no longer lists, flagged `fromHistory: true`. Matching is by region + bundle id. Live rows come
 * first in the order given, then history rows in history order; sort afterwards with {@link sortTasks}.
 */
export function mergeTasksWithHistory(
	live: readonly BundleTask[],
	history: readonly BundleHistoryEntry[],
	watchedRegions: Iterable<string>,
	options: MergeOptions = {},
): TaskRow[] {
	const regions = new Set(watchedRegions);
	const historyByKey = new Map<string, BundleHistoryEntry>();
	for (const entry of history) {
		historyByKey.set(taskKey(entry.region, entry.bundleId), entry);
	}

	const rows: TaskRow[] = [];
	const seen = new Set<string>();
	for (const task of live) {
		const key = taskKey(task.region, task.bundleId);
		if (seen.has(key)) {
			continue;
		}

		seen.add(key);
		rows.push(taskToRow(task, historyByKey.get(key)?.instanceName));
	}

	const since = options.historySince?.getTime();
	for (const entry of history) {
		const key = taskKey(entry.region, entry.bundleId);
		if (seen.has(key) || !regions.has(entry.region)) {
			continue;
		}

		const row = historyEntryToRow(entry);
		if (since !== undefined && row.startTime.getTime() < since) {
			continue;
		}

		seen.add(key);
		rows.push(row);
	}

	return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Sorting and filtering

export type TaskSortKey = 'start' | 'state' | 'region' | 'progress';
export type SortDirection = 'asc' | 'desc';

/** Sort keys in the order a "cycle sort" key walks through them. */
export const taskSortKeys: readonly TaskSortKey[] = Object.freeze(['start', 'state', 'region', 'progress']);

const sortKeyLabels: Record<TaskSortKey, string> = {
	start: 'start time',
	state: 'state',
	region: 'region',
	progress: 'progress',
};

export function sortKeyLabel(key: TaskSortKey): string {
	return sortKeyLabels[key];
}

/** The next sort key after `key` (wraps around). */
export function nextSortKey(key: TaskSortKey): TaskSortKey {
	const index = taskSortKeys.indexOf(key);
	return taskSortKeys[(index + 1) % taskSortKeys.length] ?? 'start';
}

/** The fields sorting and filtering read; both BundleTask and TaskRow have them. */
export type SortableTask = {
	bundleId: string;
	region: string;
	state: TaskState;
	progress: number | undefined;
	startTime: Date;
};

const stateRank: Record<TaskState, number> = {
	pending: 0,
	'waiting-for-shutdown': 1,
	bundling: 2,
	storing: 3,
	cancelling: 4,
	complete: 5,
	failed: 6,
	unknown: 7,
};

function compareBy(key: TaskSortKey, a: SortableTask, b: SortableTask): number {
	switch (key) {
		case 'start': {
			return a.startTime.getTime() - b.startTime.getTime();
		}

		case 'state': {
			return stateRank[a.state] - stateRank[b.state];
		}

		case 'region': {
			return a.region < b.region ? -1 : a.region > b.region ? 1 : 0;
		}

		case 'progress': {
			return (a.progress ?? -1) - (b.progress ?? -1);
		}
	}
}

/** The direction a sort key starts in: newest / furthest first for start time and progress, A→Z otherwise. */
export function defaultSortDirection(key: TaskSortKey): SortDirection {
	return key === 'start' || key === 'progress' ? 'desc' : 'asc';
}

/** The other direction. */
export function reverseDirection(direction: SortDirection): SortDirection {
	return direction === 'asc' ? 'desc' : 'asc';
}

/**
 * A sorted copy. Ties break by newest start first, then bundle id, so the order is deterministic.
 * Default direction: 'desc' for start time and progress (newest / furthest first), 'asc' for state and region.
 * Tasks without progress sort as lower than 0%.
 */
export function sortTasks<T extends SortableTask>(
	tasks: readonly T[],
	key: TaskSortKey,
	direction: SortDirection = defaultSortDirection(key),
): T[] {
	const sign = direction === 'asc' ? 1 : -1;
	return [...tasks].sort((a, b) => {
		const primary = sign * compareBy(key, a, b);
		if (primary !== 0) {
			return primary;
		}

		const newest = b.startTime.getTime() - a.startTime.getTime();
		if (newest !== 0) {
			return newest;
		}

		return a.bundleId < b.bundleId ? -1 : a.bundleId > b.bundleId ? 1 : 0;
	});
}

/** The fields a filter query searches. */
export type FilterableTask = {
	bundleId: string;
	instanceId: string;
	instanceName?: string | undefined;
	bucket: string;
	prefix: string;
	state: TaskState;
	region: string;
	error?: {code: string} | undefined;
	/** The KIND column (image -> S3 rows); undefined is a bundle */
	kind?: string | undefined;
};

/**
 * Tasks matching a filter query, in their order. Case-insensitive substring search over bundle id, instance id,
 * instance name, bucket, prefix, state (code and label, 'Cancelled' for a cancelled task), region (name and the
 * short code the table shows, use1) and kind (bundle, image, store, restore, copy). Whitespace separates terms that
 * must all match. An empty query keeps everything.
 */
export function filterTasks<T extends FilterableTask>(tasks: readonly T[], query: string): T[] {
	const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
	if (terms.length === 0) {
		return [...tasks];
	}

	return tasks.filter((task) => {
		const haystack = [
			task.bundleId,
			task.instanceId,
			task.instanceName ?? '',
			task.bucket,
			task.prefix,
			task.state,
			taskStateLabel(task),
			task.region,
			shortRegion(task.region),
			task.kind ?? 'bundle',
		]
			.join('\n')
			.toLowerCase();
		return terms.every((term) => haystack.includes(term));
	});
}
