/** Derives the table rows (live tasks + history-only tasks, sorted and filtered) from the dashboard state. */

import {type EtaState, initialEtaState} from '../../core/eta.js';
import type {BundleHistoryEntry} from '../../core/history.js';
import {
	filterTasks,
	isActiveState,
	mergeTasksWithHistory,
	type SortDirection,
	sortTasks,
	type TaskRow,
	type TaskSortKey,
} from '../../core/task-model.js';
import type {BundleTask} from '../../core/types.js';
import type {WorkKind} from '../../core/work-model.js';
import type {DashboardState, TimelineEvent, TrackedTask} from './dashboard-state.js';
import {buildWorkRows, type WorkRowInfo, type WorkSources} from './dashboard-work-rows.js';

export type DashboardRow = TaskRow & {
	/** A cancel was requested here and AWS has not reported it yet. */
	cancelRequested: boolean;
	timeline: readonly TimelineEvent[];
	/** The ETA estimator of a running task (estimate it with the current time); undefined when not running. */
	eta: EtaState | undefined;
	history: BundleHistoryEntry | undefined;
	/** A history row in a region AWS has not answered for yet (unreachable, failing): not "no longer listed". */
	unanswered?: boolean | undefined;
	/** Undefined for bundle tasks; image / store / restore / copy for the rows of the image -> S3 path */
	kind?: WorkKind | undefined;
	/** The image -> S3 row's own data (chain, store task, AMI), for the detail pane and the keys */
	work?: WorkRowInfo | undefined;
};

/**
 * The timeline of a row: the phases history kept (from earlier runs) merged with the states observed in this session,
 * in time order, a state repeated next to itself kept once (its earliest time).
 */
export function mergedTimeline(
	phases: BundleHistoryEntry['phases'],
	observed: readonly TimelineEvent[] | undefined,
): readonly TimelineEvent[] {
	if (!phases || phases.length === 0) {
		return observed ?? [];
	}

	const events = [...phases.map((phase) => ({state: phase.state, at: new Date(phase.at)})), ...(observed ?? [])].filter(
		(event) => !Number.isNaN(event.at.getTime()),
	);
	events.sort((a, b) => a.at.getTime() - b.at.getTime());
	const merged: TimelineEvent[] = [];
	for (const event of events) {
		if (merged.at(-1)?.state !== event.state) {
			merged.push(event);
		}
	}

	return merged;
}

/** Every row in the watched regions, unsorted. Recomputed once per poll (not per render). */
export function buildRows(
	live: DashboardState['live'],
	history: readonly BundleHistoryEntry[],
	watched: readonly string[],
	cancelling: DashboardState['cancelling'],
	eta: DashboardState['eta'],
	work?: WorkSources,
): DashboardRow[] {
	const tracked = new Map<string, TrackedTask>();
	const tasks: BundleTask[] = [];
	for (const region of watched) {
		for (const [key, item] of Object.entries(live[region] ?? {})) {
			tracked.set(key, item);
			tasks.push(item.task);
		}
	}

	const historyByKey = new Map<string, BundleHistoryEntry>();
	for (const entry of history) {
		historyByKey.set(`${entry.region}/${entry.bundleId}`, entry);
	}

	const bundleRows = mergeTasksWithHistory(tasks, history, watched).map((row): DashboardRow => {
		const item = tracked.get(row.key);
		const active = isActiveState(row.state) && !row.fromHistory;
		const entry = historyByKey.get(row.key);
		const cancelRequested = Boolean(cancelling[row.key]) && row.state !== 'cancelling' && active;
		return {
			...row,
			cancelRequested,
			timeline: mergedTimeline(entry?.phases, item?.timeline),
			// A task being cancelled has no time left to estimate: it ends when AWS has undone it.
			eta: active && !cancelRequested && row.state !== 'cancelling' ? (eta[row.key] ?? initialEtaState) : undefined,
			history: entry,
			unanswered: row.fromHistory && live[row.region] === undefined,
		};
	});
	return work ? [...bundleRows, ...buildWorkRows(work, watched, eta)] : bundleRows;
}

export function visibleRows(
	rows: readonly DashboardRow[],
	sort: TaskSortKey,
	filter: string,
	direction?: SortDirection | undefined,
): DashboardRow[] {
	return sortTasks(filterTasks(rows, filter), sort, direction);
}

/** True when any live task in the watched regions is still working. */
export function anyActive(live: DashboardState['live'], watched: readonly string[]): boolean {
	for (const region of watched) {
		for (const item of Object.values(live[region] ?? {})) {
			if (isActiveState(item.task.state)) {
				return true;
			}
		}
	}

	return false;
}
