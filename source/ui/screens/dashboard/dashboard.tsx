/**
 * The dashboard: every bundle task in the watched regions (live from DescribeBundleTasks, plus tasks from local
 * history that AWS no longer lists), a detail pane for the selected one, one-key register / migrate / cancel,
 * polling with backoff, and notifications when a watched task completes or fails.
 */
import {Box, Text} from 'ink';
import {type ReactNode, useCallback, useEffect, useMemo, useReducer, useRef} from 'react';
import {isActiveState, sortKeyLabel, stateLabel, taskKey} from '../../../core/task-model.js';
import type {BundleTask} from '../../../core/types.js';
import {Header} from '../../components/header.js';
import {HelpOverlay} from '../../components/help-overlay.js';
import {KeyFooter} from '../../components/key-footer.js';
import {StatusLine, statusLines} from '../../components/status-line.js';
import {detailHeight, detailLineCount, TaskDetail} from '../../components/task-detail.js';
import {layoutColumns, TaskTable} from '../../components/task-table.js';
import {wrappedText} from '../../components/wrapped-text.js';
import {useDashboardPoll} from '../../hooks/use-dashboard-poll.js';
import {useNow} from '../../hooks/use-now.js';
import {saveWatched, useSavedWatched} from '../../hooks/use-saved-watched.js';
import {useStableInput} from '../../hooks/use-stable-input.js';
import {useTerminalSize} from '../../hooks/use-terminal-size.js';
import {useAppContext} from '../../state/app-context.js';
import {useDashboardConfig} from '../../state/dashboard-config.js';
import {rememberedView, rememberedWatched, rememberView} from '../../state/dashboard-memory.js';
import {buildRows, type DashboardRow, visibleRows} from '../../state/dashboard-rows.js';
import {
	dashboardReducer,
	initialDashboardState,
	noticeLifetimeMs,
	selectionIndex,
} from '../../state/dashboard-state.js';
import {CancelDialog} from './cancel-dialog.js';
import {dashboardHelpKeys, footerKeys} from './dashboard-keys.js';
import {MigrateDialog, type MigrationOutcome} from './migrate-dialog.js';
import {RegionPicker} from './region-picker.js';
import {RegisterDialog, type RegisteredImage} from './register-dialog.js';

export type DashboardProps = {selectBundleId: string | undefined; onNewBundle(): void};

/** Window of `size` rows around `selected` (kept roughly centred). */
export function windowAround(count: number, selected: number, size: number): {start: number; end: number} {
	if (count <= size) {
		return {start: 0, end: count};
	}

	const start = Math.min(Math.max(0, selected - Math.floor(size / 2)), count - size);
	return {start, end: start + size};
}

/** A BundleTask rebuilt from a row (to create the history entry of a task bundledeck did not start). */
function rowTask(row: DashboardRow): BundleTask {
	return {
		bundleId: row.bundleId,
		instanceId: row.instanceId,
		region: row.region,
		state: row.state === 'unknown' ? 'complete' : row.state,
		progress: row.progress,
		startTime: row.startTime,
		updateTime: row.updateTime ?? row.startTime,
		bucket: row.bucket,
		prefix: row.prefix,
		error: row.error,
	};
}

/** True while the filter line (not a notice) takes the line under the status. */
function filterEditingNow(state: {filterEditing: boolean; filter: string}): boolean {
	return state.filterEditing || state.filter.length > 0;
}

export function Dashboard({selectBundleId, onNewBundle}: DashboardProps) {
	const {services, history, settings, account, region, quit} = useAppContext();
	const config = useDashboardConfig();
	const size = useTerminalSize();
	const now = useNow(config.clockMs);
	const [state, dispatch] = useReducer(dashboardReducer, undefined, () =>
		initialDashboardState({
			watched: rememberedWatched(services, region),
			history: history.list(),
			selectedKey: selectBundleId ? taskKey(region, selectBundleId) : undefined,
			restored: rememberedView(services),
		}),
	);
	const stateRef = useRef(state);
	stateRef.current = state;
	// Kept for the next mount (a trip to the wizard and back): timelines, ETAs and AMI states go on from here.
	useEffect(
		() => () => {
			const {live, eta, images, regions} = stateRef.current;
			rememberView(services, {live, eta, images, regions});
		},
		[services],
	);

	const {refresh} = useDashboardPoll(stateRef, dispatch, state.watched);
	// The regions saved by an earlier run (checked against DescribeRegions) replace the current-region-only start.
	useSavedWatched(services, settings, region, (regions) => {
		dispatch({type: 'watch', regions, keepDialog: true});
	});

	// ---- rows: rebuilt once per poll, sorted/filtered only when those change
	const allRows = useMemo(
		() => buildRows(state.live, state.history, state.watched, state.cancelling, state.eta),
		[state.live, state.history, state.watched, state.cancelling, state.eta],
	);
	const rows = useMemo(() => visibleRows(allRows, state.sort, state.filter), [allRows, state.sort, state.filter]);
	const selectedIndex = selectionIndex(rows, state.selectedKey);
	const selected = rows[selectedIndex];

	// ---- status (counts, sort, poll state)
	const activeCount = allRows.filter((row) => isActiveState(row.state) && !row.fromHistory).length;
	const historyCount = allRows.filter((row) => row.fromHistory).length;
	const summary = [
		rows.length === allRows.length
			? `${allRows.length} task${allRows.length === 1 ? '' : 's'}`
			: `${rows.length} of ${allRows.length} tasks`,
		activeCount > 0 ? `${activeCount} active` : undefined,
		`sort ${sortKeyLabel(state.sort)}`,
		historyCount > 0 ? '* = from history' : undefined,
	]
		.filter(Boolean)
		.join(' · ');

	const statusProps = {
		watched: state.watched,
		regions: state.regions,
		loaded: state.loaded,
		lastCycleAt: state.lastCycleAt,
		nextPollAt: state.nextPollAt,
		now,
		summary,
	};

	// ---- layout (the frame stays at least one line shorter than the terminal): header, status, notice and footer
	// take a line each; the table (heading + rows, windowed) and the detail pane or dialog share the rest. The pane
	// takes the lines its wrapped items need (at least detailHeight) as long as the table keeps a few rows.
	const {columns: width, rows: height} = size;
	const dialog = state.dialog;
	// The notice wraps (up to 2 lines, so a long AMI name does not cut what happened to it).
	const showNotice =
		!filterEditingNow(state) && state.notice !== undefined && now - (state.notice.shownAt ?? now) < noticeLifetimeMs;
	const noticeLines =
		showNotice && state.notice ? wrappedText(state.notice.text, {width, maxLines: height >= 20 ? 2 : 1}) : [];
	// The status line wraps too (a region's failure and its retry countdown are never cut).
	const statusMax = height >= 20 ? 2 : 1;
	const statusCount = statusLines(statusProps, width, statusMax).length;
	const body = Math.max(3, height - 1 - 2 - statusCount - Math.max(1, noticeLines.length));
	const inlineDialog = dialog.kind === 'register' || dialog.kind === 'migrate' || dialog.kind === 'cancel';
	const dialogHeight = inlineDialog ? Math.min(11, Math.max(3, body - 4)) : 0;
	const tableMin = 1 + Math.min(3, Math.max(1, rows.length));
	const paneRoom = body - tableMin;
	const paneWanted = Math.max(detailHeight, detailLineCount(selected, state.images, now, width));
	const paneHeight = inlineDialog ? dialogHeight : paneRoom >= 4 ? Math.min(paneWanted, paneRoom) : 0;
	const tableRows = Math.max(0, body - 1 - paneHeight);
	const window = windowAround(rows.length, selectedIndex, tableRows);
	const longestRegion = Math.max(...state.watched.map((name) => name.length));
	const tableColumns = useMemo(
		() => layoutColumns(width, state.watched.length > 1, longestRegion),
		[width, state.watched.length, longestRegion],
	);
	const pageSize = Math.max(1, tableRows - 1);

	// ---- keys: moves and dialogs go through the reducer, so each key of a burst ("jj") acts on the latest state
	const move = useCallback((delta: number | 'start' | 'end') => {
		dispatch({type: 'move', delta});
	}, []);

	const filterEditing = state.filterEditing;
	const filter = state.filter;
	// Keys can arrive faster than renders (and several in one input): the mode is tracked in a ref updated as the
	// keys are handled.
	const mode = useRef({editing: filterEditing, filtered: filter.length > 0});
	mode.current.editing = filterEditing;
	mode.current.filtered = filter.length > 0;
	useStableInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				quit();
				return undefined;
			}

			if (key.upArrow) {
				move(-1);
				return undefined;
			}

			if (key.downArrow) {
				move(1);
				return undefined;
			}

			if (key.pageUp) {
				move(-pageSize);
				return undefined;
			}

			if (key.pageDown) {
				move(pageSize);
				return undefined;
			}

			if (key.home || key.end) {
				move(key.home ? 'start' : 'end');
				return undefined;
			}

			if (mode.current.editing) {
				if (key.escape) {
					mode.current = {editing: false, filtered: false};
					dispatch({type: 'filter', filter: ''});
					dispatch({type: 'filter-edit', editing: false});
				} else if (key.return) {
					mode.current.editing = false;
					dispatch({type: 'filter-edit', editing: false});
				} else {
					mode.current.filtered = true;
					dispatch({type: 'filter-input', input, key});
				}

				return undefined;
			}

			switch (input) {
				case 'q': {
					quit();
					return 'stop';
				}

				case 'j': {
					move(1);
					return undefined;
				}

				case 'k': {
					move(-1);
					return undefined;
				}

				case 'G': {
					move('end');
					return undefined;
				}

				case '/': {
					mode.current.editing = true;
					dispatch({type: 'filter-edit', editing: true});
					return undefined;
				}

				case 's': {
					dispatch({type: 'sort'});
					return undefined;
				}

				case 'R': {
					dispatch({type: 'notice', notice: {text: 'Refreshing…', tone: 'info', transient: true}});
					refresh();
					return undefined;
				}

				case 'r': {
					dispatch({type: 'open', kind: 'register'});
					return 'stop';
				}

				case 'm': {
					dispatch({type: 'open', kind: 'migrate'});
					return 'stop';
				}

				case 'c': {
					dispatch({type: 'open', kind: 'cancel'});
					return 'stop';
				}

				case 'g': {
					dispatch({type: 'dialog', dialog: {kind: 'regions'}});
					return 'stop';
				}

				case 'n': {
					onNewBundle();
					return 'stop';
				}

				case '?': {
					dispatch({type: 'dialog', dialog: {kind: 'help'}});
					return 'stop';
				}

				default: {
					break;
				}
			}

			if (key.escape && mode.current.filtered) {
				mode.current.filtered = false;
				dispatch({type: 'filter', filter: ''});
			}

			return undefined;
		},
		{isActive: dialog.kind === 'none', textInput: () => mode.current.editing},
	);

	useStableInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				quit();
			} else if (key.escape || input === '?' || input === 'q') {
				dispatch({type: 'dialog', dialog: {kind: 'none'}});
				return 'stop';
			}

			return undefined;
		},
		{isActive: dialog.kind === 'help'},
	);

	// ---- dialog outcomes
	const closeDialog = useCallback(() => {
		dispatch({type: 'dialog', dialog: {kind: 'none'}});
	}, []);

	const ensureHistory = useCallback(
		(row: DashboardRow) => {
			if (!history.get(row.bundleId)) {
				history.recordBundle(rowTask(row), row.instanceName);
			}
		},
		[history],
	);

	const dialogRow = inlineDialog ? allRows.find((row) => row.key === dialog.key) : undefined;

	const onRegistered = useCallback(
		(image: RegisteredImage) => {
			const row = dialogRow;
			if (row) {
				ensureHistory(row);
				history.recordImage(row.bundleId, {
					imageId: image.imageId,
					region: image.region,
					name: image.name,
					kind: 'registered',
					at: new Date().toISOString(),
				});
			}

			dispatch({type: 'image', region: image.region, imageId: image.imageId, status: {state: 'unknown'}});
			dispatch({type: 'history', history: history.list()});
			dispatch({type: 'dialog', dialog: {kind: 'none'}});
			dispatch({
				type: 'notice',
				notice: {
					text: `Registered ${image.imageId} (${image.name}); following its state…`,
					tone: 'success',
					image: {region: image.region, imageId: image.imageId, name: image.name},
				},
			});
			refresh();
		},
		[dialogRow, ensureHistory, history, refresh],
	);

	const onMigration = useCallback(
		(outcome: MigrationOutcome) => {
			const row = dialogRow;
			if (!row) {
				return;
			}

			ensureHistory(row);
			const at = new Date().toISOString();
			if (outcome.kind === 'bundle') {
				history.recordMigration(row.bundleId, {
					destinationRegion: outcome.destinationRegion,
					destinationBucket: outcome.destinationBucket,
					destinationManifestLocation: outcome.destinationManifestLocation,
					at,
					complete: outcome.complete,
				});
				if (outcome.imageId) {
					history.recordImage(row.bundleId, {
						imageId: outcome.imageId,
						region: outcome.destinationRegion,
						name: outcome.name,
						kind: 'migrated',
						at,
					});
				}
			} else {
				history.recordImage(row.bundleId, {
					imageId: outcome.imageId,
					region: outcome.destinationRegion,
					name: outcome.name,
					kind: 'copied',
					at,
					sourceImageId: outcome.sourceImageId,
				});
			}

			dispatch({type: 'history', history: history.list()});
			if (outcome.kind === 'image' || outcome.imageId) {
				refresh();
			}
		},
		[dialogRow, ensureHistory, history, refresh],
	);

	const onCancelled = useCallback(
		(task: BundleTask) => {
			dispatch({type: 'cancel-requested', task});
			dispatch({type: 'dialog', dialog: {kind: 'none'}});
			dispatch({
				type: 'notice',
				notice: {
					text: `Cancel requested for ${task.bundleId}: ${stateLabel(task.state)}…`,
					tone: 'info',
					task: taskKey(task.region, task.bundleId),
				},
			});
			refresh();
		},
		[refresh],
	);

	const onWatch = useCallback(
		(regions: string[]) => {
			saveWatched(services, settings, regions);
			dispatch({type: 'watch', regions});
		},
		[services, settings],
	);

	let noticeLine: ReactNode = <Text> </Text>;
	if (filterEditing || filter.length > 0) {
		noticeLine = (
			<Text wrap="truncate-end">
				<Text bold>/ </Text>
				{filter}
				{filterEditing ? <Text inverse> </Text> : null}
				<Text dimColor> {filterEditing ? '(enter keeps, esc clears)' : '(esc clears)'}</Text>
			</Text>
		);
	} else if (state.notice && noticeLines.length > 0) {
		const tone = state.notice.tone;
		const color = tone === 'error' ? 'red' : tone === 'success' ? 'green' : undefined;
		noticeLine = noticeLines.map((line, index) => (
			// biome-ignore lint/suspicious/noArrayIndexKey: the lines of one notice, in order
			<Text key={index} wrap="truncate-end" color={color}>
				{line}
			</Text>
		));
	}

	let content: ReactNode;
	if (dialog.kind === 'help') {
		content = <HelpOverlay title="Dashboard keys" keys={dashboardHelpKeys} maxLines={body} />;
	} else if (dialog.kind === 'regions') {
		content = (
			<RegionPicker watched={state.watched} width={width} height={body} onApply={onWatch} onClose={closeDialog} />
		);
	} else {
		const empty = state.loaded && allRows.length === 0;
		const where = state.watched.length === 1 ? state.watched[0] : `${state.watched.length} regions`;
		let pane: ReactNode = null;
		if (dialogRow && dialog.kind === 'register') {
			pane = (
				<RegisterDialog
					row={dialogRow}
					width={width}
					height={dialogHeight}
					onRegistered={onRegistered}
					onClose={closeDialog}
				/>
			);
		} else if (dialogRow && dialog.kind === 'migrate') {
			pane = (
				<MigrateDialog
					row={dialogRow}
					width={width}
					height={dialogHeight}
					onProgressRecorded={onMigration}
					onClose={closeDialog}
				/>
			);
		} else if (dialogRow && dialog.kind === 'cancel') {
			pane = (
				<CancelDialog
					row={dialogRow}
					width={width}
					height={dialogHeight}
					onCancelled={onCancelled}
					onClose={closeDialog}
				/>
			);
		} else if (paneHeight > 0) {
			pane = <TaskDetail row={selected} images={state.images} now={now} width={width} height={paneHeight} />;
		}

		content = (
			<>
				{empty ? (
					<Text wrap="truncate-end">No bundle tasks in {where}. n starts one; g watches other regions.</Text>
				) : (
					<TaskTable
						rows={rows.slice(window.start, window.end)}
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
			<Header title="bundle tasks" account={account} region={region} mode={services.mode} width={width} />
			<StatusLine {...statusProps} width={width} maxLines={statusMax} />
			{noticeLine}
			{content}
			<KeyFooter
				width={width}
				keys={dialog.kind === 'none' ? footerKeys(selected, filterEditing) : [{key: 'ctrl+c', label: 'quit'}]}
			/>
		</Box>
	);
}
