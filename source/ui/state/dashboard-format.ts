/** Compact relative time for the dashboard's narrow "updated" column (core/format has the long forms), and elapsed times. */
import {formatDuration} from '../../core/format.js';
import {isActiveState} from '../../core/task-model.js';
import {isActiveWork} from '../../core/work-model.js';
import type {DashboardRow} from './dashboard-rows.js';

/** Age of a time: "12s", "4m", "2h", "3d"; "—" when unknown. */
export function formatAgo(then: Date | undefined, now: number): string {
	if (!then) {
		return '—';
	}

	const seconds = Math.max(0, Math.floor((now - then.getTime()) / 1000));
	if (seconds < 60) {
		return `${seconds}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m`;
	}

	const hours = Math.floor(minutes / 60);
	return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}

/** True while the row's task is still working (its elapsed time grows with the clock). */
export function isRunningRow(row: DashboardRow): boolean {
	return row.work ? isActiveWork(row.work.item.state) : isActiveState(row.state) && !row.fromHistory;
}

/**
 * How long the row's task ran: up to now while it runs, up to its end once it ended (the table, the detail pane and
 * the clock face all read this one rule); undefined when the end is not known (an image -> S3 row already ended
 * when first seen: AWS gives no end time).
 */
export function elapsedMs(row: DashboardRow, now: number): number | undefined {
	const start = row.startTime.getTime();
	if (isRunningRow(row)) {
		return Math.max(0, now - start);
	}

	const end = row.work ? row.work.endedAt : row.updateTime?.getTime();
	return end === undefined ? undefined : Math.max(0, end - start);
}

/** "4m 12s", or "—" when the end is not known. */
export function elapsedText(row: DashboardRow, now: number): string {
	const ms = elapsedMs(row, now);
	return ms === undefined ? '—' : formatDuration(ms);
}
