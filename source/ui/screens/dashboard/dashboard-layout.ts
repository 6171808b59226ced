/**
 * How the dashboard shares the terminal (the frame stays at least one line shorter): header, status, notice and
 * footer take a line each (status and notice wrap to 2 on 20+ rows); the table (heading + rows, windowed) and the
 * detail pane or dialog share the rest; the pane takes the lines its items need as long as the table keeps a few rows.
 */
import {type StatusLineProps, statusLines} from '../../components/status-line.js';
import {detailHeight, detailLineCount} from '../../components/task-detail.js';
import {wrappedText} from '../../components/wrapped-text.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import {type DashboardState, noticeLifetimeMs} from '../../state/dashboard-state.js';
import {windowStart} from '../../state/list-and-text.js';

export type DashboardLayout = {
	noticeLines: string[];
	statusMax: number;
	/** Lines for the table and the pane (or a full-body dialog). */
	body: number;
	/** The register / migrate / cancel / retry dialogs sit under the table, in the pane's place. */
	inlineDialog: boolean;
	paneHeight: number;
	/** The rows of the table shown: [start, end). */
	window: {start: number; end: number};
	pageSize: number;
};

export function dashboardLayout(options: {
	state: DashboardState;
	rows: DashboardRow[];
	selectedIndex: number;
	status: StatusLineProps;
	now: number;
	width: number;
	height: number;
}): DashboardLayout {
	const {state, rows, selectedIndex, status, now, width, height} = options;
	const selected = rows[selectedIndex];
	const filtering = state.filterEditing || state.filter.length > 0;
	const showNotice = !filtering && state.notice !== undefined && now - (state.notice.shownAt ?? now) < noticeLifetimeMs;
	const noticeLines =
		showNotice && state.notice ? wrappedText(state.notice.text, {width, maxLines: height >= 20 ? 2 : 1}) : [];
	const statusMax = height >= 20 ? 2 : 1;
	const statusCount = statusLines(status, width, statusMax).length;
	const body = Math.max(3, height - 1 - 2 - statusCount - Math.max(1, noticeLines.length));
	const {kind} = state.dialog;
	const inlineDialog = kind === 'register' || kind === 'migrate' || kind === 'cancel' || kind === 'retry';
	const tableMin = 1 + Math.min(3, Math.max(1, rows.length));
	const paneRoom = body - tableMin;
	const paneWanted = Math.max(detailHeight, detailLineCount(selected, state.images, now, width));
	const paneHeight = inlineDialog
		? Math.min(11, Math.max(3, body - 4))
		: paneRoom >= 4
			? Math.min(paneWanted, paneRoom)
			: 0;
	const tableRows = Math.max(0, body - 1 - paneHeight);
	const start = windowStart(rows.length, selectedIndex, tableRows);
	return {
		noticeLines,
		statusMax,
		body,
		inlineDialog,
		paneHeight,
		window: {start, end: Math.min(rows.length, start + tableRows)},
		pageSize: Math.max(1, tableRows - 1),
	};
}
