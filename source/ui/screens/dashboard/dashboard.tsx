/**
 * The dashboard: every bundle task in the watched regions (live from DescribeBundleTasks, plus tasks from local
 * history that AWS no longer lists), a detail pane for the selected one, one-key register / migrate / cancel,
 * polling with backoff, and notifications when a watched task completes or fails. Keys go through
 * dashboardScreenReducer; an open dialog owns its keys, the dashboard only routes to it.
 */
import {Box, Text, useStdout} from 'ink';
import {type ReactNode, useCallback, useEffect, useMemo, useReducer, useRef} from 'react';
import {isActiveState, type SortDirection, sortKeyLabel, type TaskSortKey} from '../../../core/task-model.js';
import {safeText} from '../../../core/terminal-text.js';
import {Header} from '../../components/header.js';
import {HelpOverlay, helpScrollMax} from '../../components/help-overlay.js';
import {KeyFooter} from '../../components/key-footer.js';
import {describeRow} from '../../components/row-description.js';
import {StatusLine} from '../../components/status-line.js';
import {TaskDetail} from '../../components/task-detail.js';
import {layoutColumns, TaskTable} from '../../components/task-table.js';
import {useDashboardPoll} from '../../hooks/use-dashboard-poll.js';
import {useNow} from '../../hooks/use-now.js';
import {keepStartedRegion, useSavedWatched} from '../../hooks/use-saved-watched.js';
import {useIntent, useKeys} from '../../hooks/use-screen-calls.js';
import {useStoredObject} from '../../hooks/use-stored-object.js';
import {useTerminalSize} from '../../hooks/use-terminal-size.js';
import {useAppContext} from '../../state/app-context.js';
import {clockFace} from '../../state/clock-face.js';
import {useDashboardConfig} from '../../state/dashboard-config.js';
import {dashboardScreenReducer} from '../../state/dashboard-input.js';
import {rememberedView, rememberView, watchedOnMount} from '../../state/dashboard-memory.js';
import {buildRows, type DashboardRow, visibleRows} from '../../state/dashboard-rows.js';
import {initialDashboardState, noticeLifetimeMs, selectionIndex} from '../../state/dashboard-state.js';
import {deregisterTarget} from '../../state/deregister-dialog-state.js';
import {type RetryTarget, retryTarget} from '../../state/retry-dialog-state.js';
import {CancelDialog} from './cancel-dialog.js';
import {dashboardHelpKeys, footerKeys} from './dashboard-keys.js';
import {dashboardLayout} from './dashboard-layout.js';
import {DeregisterDialog} from './deregister-dialog.js';
import {MigrateDialog} from './migrate-dialog.js';
import {NoticeLine} from './notice-line.js';
import {RegionPicker} from './region-picker.js';
import {RegisterDialog} from './register-dialog.js';
import {RestoreDialog} from './restore-dialog.js';
import {RetryDialog} from './retry-dialog.js';
import {useDialogOutcomes} from './use-dialog-outcomes.js';

/** The task the wizard just started: its row is selected and its region watched. */
/** note: what the dashboard says first about it (a lost answer's task adopted) */
export type StartedTask = {region: string; key: string; note?: string | undefined};

export type DashboardProps = {started: StartedTask | undefined; onNewBundle(): void};

function summaryText(
	rows: DashboardRow[],
	allRows: DashboardRow[],
	sort: TaskSortKey,
	direction: SortDirection,
): string {
	const active = allRows.filter((row) => isActiveState(row.state) && !row.fromHistory).length;
	const fromHistory = allRows.filter((row) => row.fromHistory).length;
	return [
		rows.length === allRows.length
			? `${allRows.length} task${allRows.length === 1 ? '' : 's'}`
			: `${rows.length} of ${allRows.length} tasks`,
		active > 0 ? `${active} active` : undefined,
		// No-break spaces keep "sort start time ↓" together when the line wraps (at 80 columns with many active tasks).
		`sort\u00A0${sortKeyLabel(sort).replaceAll(' ', '\u00A0')}\u00A0${direction === 'asc' ? '↑' : '↓'}`,
		fromHistory > 0 ? '* = from history' : undefined,
	]
		.filter(Boolean)
		.join(' · ');
}

export function Dashboard({started, onNewBundle}: DashboardProps) {
	const {services, history, settings, account, region, quit} = useAppContext();
	const config = useDashboardConfig();
	const {columns: width, rows: height} = useTerminalSize();
	const clockFaceRef = useRef<((now: number) => string) | undefined>(undefined);
	const now = useNow(config.clockMs, clockFaceRef, config.clock);
	const [state, dispatch] = useReducer(dashboardScreenReducer, undefined, () =>
		initialDashboardState({
			watched: watchedOnMount(services, region, started?.region),
			history: history.bundles(),
			selectedKey: started?.key,
			restored: rememberedView(services),
		}),
	);
	const stateRef = useRef(state);
	stateRef.current = state;
	// Kept for the next mount (a trip to the wizard and back): timelines, ETAs, AMI states, the watched regions, the
	// sort, the filter and the selected row go on from here.
	useEffect(
		() => () => {
			const {live, eta, images, regions, watched, work, sort, sortDirection, filter, selectedKey} = stateRef.current;
			rememberView(services, {live, eta, images, regions, watched, work, sort, sortDirection, filter, selectedKey});
		},
		[services],
	);

	// biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount (the wizard just started a task)
	useEffect(() => {
		if (started !== undefined) {
			keepStartedRegion(services, settings, stateRef.current.watched, started.region);
		}

		if (started?.note) {
			dispatch({type: 'notice', notice: {text: started.note, tone: 'info'}});
		}
	}, []);

	const {refresh} = useDashboardPoll(stateRef, dispatch, state.watched);
	// The regions saved by an earlier run (checked against DescribeRegions) replace the current-region-only start.
	useSavedWatched(services, settings, region, (regions) => {
		dispatch({type: 'watch', regions, keepDialog: true});
	});

	// Rows are rebuilt once per poll, sorted/filtered only when those change.
	const allRows = useMemo(
		() => buildRows(state.live, state.history, state.watched, state.cancelling, state.eta, state.work),
		[state.live, state.history, state.watched, state.cancelling, state.eta, state.work],
	);
	const rows = useMemo(
		() => visibleRows(allRows, state.sort, state.filter, state.sortDirection),
		[allRows, state.sort, state.filter, state.sortDirection],
	);
	const selectedIndex = selectionIndex(rows, state.selectedKey);
	const selected = rows[selectedIndex];
	useStoredObject(selected, dispatch);
	const status = {
		watched: state.watched,
		regions: state.regions,
		loaded: state.loaded,
		lastCycleAt: state.lastCycleAt,
		nextPollAt: state.nextPollAt,
		now,
		summary: summaryText(rows, allRows, state.sort, state.sortDirection),
	};
	const layout = dashboardLayout({state, rows, selectedIndex, status, now, width, height});
	// What the frame shows of the time: a clock tick that leaves it unchanged is skipped (no redraw when idle).
	const shownRows = rows.slice(layout.window.start, layout.window.end);
	const noticeTimer =
		!(state.filterEditing || state.filter.length > 0) && state.notice?.shownAt !== undefined
			? {shownAt: state.notice.shownAt, lifetimeMs: noticeLifetimeMs}
			: undefined;
	clockFaceRef.current = (time) =>
		clockFace({rows: selected ? [...shownRows, selected] : shownRows, status, notice: noticeTimer}, time);
	const longestRegion = Math.max(...state.watched.map((name) => name.length));
	const mixedKinds = allRows.some((row) => row.kind !== undefined);
	const tableColumns = useMemo(
		() => layoutColumns(width, state.watched.length > 1, longestRegion, mixedKinds),
		[width, state.watched.length, longestRegion, mixedKinds],
	);

	const {dialog} = state;
	useKeys(dispatch, dialog.kind === 'none' || dialog.kind === 'help' || dialog.kind === 'describe');
	const dialogRow = 'key' in dialog ? allRows.find((row) => row.key === dialog.key) : undefined;
	// The help and the describe overlay are drawn (and scrolled) alike: labelled entries, wrapped, never cut
	const overlay =
		dialog.kind === 'describe'
			? {
					title: dialogRow ? `Task ${dialogRow.bundleId} in full` : 'Task in full',
					keys: dialogRow
						? describeRow(dialogRow, state.images, state.stored[dialogRow.key], now)
						: [{key: 'task', label: 'no longer listed (filtered out or gone)'}],
					closeKeys: 'd, enter or esc',
				}
			: {title: 'Dashboard keys', keys: dashboardHelpKeys, closeKeys: undefined};
	// Wrapping every help line was a twentieth of a busy dashboard's garbage, each frame: the keys list is the same
	// array until a describe dialog opens.
	const helpMax = useMemo(() => helpScrollMax(overlay.keys, width, layout.body), [overlay.keys, width, layout.body]);
	useEffect(() => {
		dispatch({type: 'layout', page: layout.pageSize, helpScrollMax: helpMax});
	}, [layout.pageSize, helpMax]);
	const {write} = useStdout();
	const copy = useCallback(
		({text}: {text: string}) => {
			// OSC 52: the terminal (and tmux with set-clipboard on) puts the text on the system clipboard.
			write(`\u001B]52;c;${Buffer.from(text).toString('base64')}\u0007`);
		},
		[write],
	);
	useIntent(state.intent, dispatch, {quit, 'new-bundle': onNewBundle, refresh, copy});

	const outcomes = useDialogOutcomes(dialogRow, dispatch, refresh);
	const dialogProps = {width, height: layout.paneHeight, onClose: outcomes.closeDialog};

	let content: ReactNode;
	if (dialog.kind === 'help' || dialog.kind === 'describe') {
		content = <HelpOverlay {...overlay} maxLines={layout.body} width={width} scroll={dialog.scroll ?? 0} />;
	} else if (dialog.kind === 'regions') {
		content = <RegionPicker {...dialogProps} height={layout.body} watched={state.watched} onApply={outcomes.onWatch} />;
	} else {
		const empty = state.loaded && allRows.length === 0;
		const where = state.watched.length === 1 ? state.watched[0] : `${state.watched.length} regions`;
		let pane: ReactNode = null;
		if (dialogRow && dialog.kind === 'register') {
			pane = <RegisterDialog {...dialogProps} row={dialogRow} onRegistered={outcomes.onRegistered} />;
		} else if (dialogRow && dialog.kind === 'migrate') {
			const object = state.stored[dialogRow.key];
			pane = (
				<MigrateDialog
					{...dialogProps}
					row={dialogRow}
					onProgressRecorded={outcomes.onMigration}
					storedName={typeof object === 'object' ? object.amiName : undefined}
				/>
			);
		} else if (dialogRow && dialog.kind === 'deregister' && deregisterTarget(dialogRow)) {
			pane = (
				<DeregisterDialog
					{...dialogProps}
					target={deregisterTarget(dialogRow)!}
					onDeregistered={outcomes.onDeregistered}
				/>
			);
		} else if (dialogRow && dialog.kind === 'restore') {
			pane = <RestoreDialog {...dialogProps} row={dialogRow} onRestored={outcomes.onRestored} />;
		} else if (dialogRow && dialog.kind === 'retry' && typeof retryTarget(dialogRow) !== 'string') {
			const target = retryTarget(dialogRow) as RetryTarget;
			const known = allRows.filter((row) => row.bucket === target.bucket && !row.work).map((row) => row.prefix);
			pane = <RetryDialog {...dialogProps} target={target} known={known} onStarted={outcomes.onRetried} />;
		} else if (dialogRow && dialog.kind === 'cancel') {
			pane = <CancelDialog {...dialogProps} row={dialogRow} onCancelled={outcomes.onCancelled} />;
		} else if (layout.paneHeight > 0) {
			pane = (
				<TaskDetail
					row={selected}
					images={state.images}
					stored={state.stored}
					now={now}
					width={width}
					height={layout.paneHeight}
				/>
			);
		}

		content = (
			<>
				{empty ? (
					<Text wrap="truncate-end">No tasks in {where}. n starts one; g watches other regions.</Text>
				) : rows.length === 0 && state.filter ? (
					<Text wrap="truncate-end">
						No task matches {safeText(state.filter)} (of {allRows.length}). esc clears the filter.
					</Text>
				) : (
					<TaskTable
						rows={shownRows}
						hidden={{above: layout.window.start, below: rows.length - layout.window.end}}
						selectedKey={selected?.key}
						columns={tableColumns}
						now={now}
					/>
				)}
				{pane}
			</>
		);
	}

	return (
		<Box flexDirection="column" width={width}>
			<Header title="tasks" account={account} region={region} mode={services.mode} width={width} />
			<StatusLine {...status} width={width} maxLines={layout.statusMax} />
			<NoticeLine
				filter={state.filter}
				filterEditing={state.filterEditing}
				notice={layout.noticeLines.length > 0 ? state.notice : undefined}
				width={width}
				maxLines={layout.noticeLines.length}
			/>
			{content}
			<KeyFooter
				width={width}
				keys={dialog.kind === 'none' ? footerKeys(selected, state.filterEditing) : [{key: 'ctrl+c', label: 'quit'}]}
			/>
		</Box>
	);
}
