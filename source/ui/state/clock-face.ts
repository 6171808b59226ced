/**
 * Every text the dashboard derives from the clock, as one string: when it is the same at the next tick as at the
 * last, the tick is skipped, and an idle dashboard is not redrawn (a full Ink render) every second for nothing.
 */
import {type StatusLineProps, statusText} from '../components/status-line.js';
import {etaText} from '../components/task-table.js';
import {elapsedText, formatAgo} from './dashboard-format.js';
import type {DashboardRow} from './dashboard-rows.js';

export type ClockFaceInput = {
	/** The rows on screen (the selected one included). */
	rows: readonly DashboardRow[];
	status: StatusLineProps;
	/** When the notice shown was put up, and how long it stays. */
	notice: {shownAt: number; lifetimeMs: number} | undefined;
};

function rowFace(row: DashboardRow, now: number): string {
	return [formatAgo(row.updateTime, now), elapsedText(row, now), etaText(row, now)].join('|');
}

export function clockFace(input: ClockFaceInput, now: number): string {
	const notice = input.notice ? now - input.notice.shownAt < input.notice.lifetimeMs : false;
	return [statusText({...input.status, now}).text, String(notice), ...input.rows.map((row) => rowFace(row, now))].join(
		'\n',
	);
}
