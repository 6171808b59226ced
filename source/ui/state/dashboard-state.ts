/**
 * The dashboard's state: live tasks per watched region (last good data kept on errors), the observed state
 * timeline and progress samples of each task, history entries, image states, poll status, selection, sort,
 * filter and the open dialog. One reducer; one `cycle` action per poll.
 */

import {type EtaBook, updateEtaBook} from '../../core/eta.js';
import type {BundleHistoryEntry} from '../../core/history.js';
import {
	defaultSortDirection,
	isActiveState,
	isCancelledTask,
	isTerminalState,
	nextSortKey,
	reverseDirection,
	type SortDirection,
	stateLabel,
	type TaskSortKey,
	taskKey,
	taskStateLabel,
} from '../../core/task-model.js';
import type {BundleState, BundleTask, Image, ImageState, Snapshot, StoredObject} from '../../core/types.js';
import {isActiveWork, type StoreChain, type WorkKind} from '../../core/work-model.js';
import type {StoreOutcome} from './dashboard-cycle.js';
import {buildRows, type DashboardRow, visibleRows} from './dashboard-rows.js';
import {buildWorkRows, emptyWorkSources, updateDoneAt, updateWorkEta, type WorkSources} from './dashboard-work-rows.js';
import {deregisterTarget} from './deregister-dialog-state.js';
import {type EditKey, editText} from './list-and-text.js';
import {retryTarget} from './retry-dialog-state.js';

export type TimelineEvent = {state: BundleState; at: Date};

export type TrackedTask = {
	task: BundleTask;
	/** State transitions observed in this session (first entry: the state when first seen). */
	timeline: readonly TimelineEvent[];
};

export type RegionProblem = 'throttled' | 'unreachable' | 'error';

export type RegionStatus = {
	/** epoch ms of the last successful DescribeBundleTasks */
	lastOk: number | undefined;
	/** One line, set while the last attempt failed */
	error: string | undefined;
	problem: RegionProblem | undefined;
};

export type RegionOutcome =
	| {region: string; ok: true; tasks: BundleTask[]}
	| {region: string; ok: false; error: string; problem: RegionProblem};

export type ImageStatus = {state: ImageState | 'not-found' | 'unknown'; error?: string | undefined};

export type CycleResult = {
	at: number;
	outcomes: RegionOutcome[];
	/** Images described this cycle (region + id), and the ones asked for but not returned. */
	images: Image[];
	missingImages: Array<{region: string; imageId: string}>;
	history: BundleHistoryEntry[];
	/** The image -> S3 path: store tasks per region, the snapshots of pending AMIs, the saved chains */
	stores?: StoreOutcome[] | undefined;
	snapshots?: Snapshot[] | undefined;
	chains?: StoreChain[] | undefined;
	/** epoch ms of the next poll */
	nextPollAt: number;
	failures: number;
};

export type DialogState =
	| {kind: 'none'}
	/** `scroll`: the first help line shown (a help longer than the terminal scrolls). */
	| {kind: 'help'; scroll?: number | undefined}
	/** `d` / Enter: the selected row in full (scrolls as the help does) */
	| {kind: 'describe'; key: string; scroll?: number | undefined}
	| {kind: 'regions'}
	| {kind: 'register'; key: string}
	| {kind: 'migrate'; key: string}
	| {kind: 'cancel'; key: string}
	/** `r` on a complete store task */
	| {kind: 'restore'; key: string}
	/** `D` on a row with an AMI bundledeck registered or restored */
	| {kind: 'deregister'; key: string}
	/** `t` on a failed or cancelled bundle or store task */
	| {kind: 'retry'; key: string};

export type Notice = {
	text: string;
	tone: 'info' | 'success' | 'error';
	/** Cleared by the next poll result (e.g. "Refreshing…"). */
	transient?: boolean | undefined;
	/** epoch ms when shown (set by the reducer); notices fade after {@link noticeLifetimeMs}. */
	shownAt?: number | undefined;
	/** An AMI this notice is about: when a poll sees it settle, the notice says so. */
	image?: {region: string; imageId: string; name: string; note?: string | undefined} | undefined;
	/** A task (taskKey) this notice is about (a cancel): when a poll sees it end, the notice says how. */
	task?: string | undefined;
};

export const noticeLifetimeMs = 15_000;

export type DashboardState = {
	watched: readonly string[];
	/** Live tasks by taskKey, per region (a region's entry is replaced on each successful poll). */
	live: Readonly<Record<string, Readonly<Record<string, TrackedTask>>>>;
	history: readonly BundleHistoryEntry[];
	regions: Readonly<Record<string, RegionStatus>>;
	images: Readonly<Record<string, ImageStatus>>;
	/** What the poll saw of the image -> S3 path (store tasks, AMIs, snapshots, chains) */
	work: WorkSources;
	/** HeadObject of complete store tasks' objects (their size), or the line why not, by row key */
	stored: Readonly<Record<string, StoredObject | string>>;
	/** ETA estimators by taskKey, fed with each poll's snapshot. */
	eta: EtaBook;
	/** Cancels requested in this session and not yet reflected by a poll: taskKey -> true */
	cancelling: Readonly<Record<string, true>>;
	loaded: boolean;
	polling: boolean;
	lastCycleAt: number | undefined;
	nextPollAt: number | undefined;
	failures: number;
	selectedKey: string | undefined;
	sort: TaskSortKey;
	/** Set by S (reverse); a new sort key starts in its own default direction. */
	sortDirection: SortDirection;
	filter: string;
	filterEditing: boolean;
	dialog: DialogState;
	notice: Notice | undefined;
	/** Rows a page of the table holds (PgUp / PgDn). */
	page: number;
	/** The open overlay's (help or describe) largest scroll at the current terminal size (0 when it fits). */
	helpScrollMax: number;
	/** What only the screen can do: quit, open the wizard, poll now. */
	intent: DashboardIntent | undefined;
};

export type DashboardIntent =
	| {type: 'quit'}
	| {type: 'new-bundle'}
	| {type: 'refresh'}
	/** Put `text` on the terminal's clipboard (OSC 52). */
	| {type: 'copy'; text: string};

export type DashboardAction =
	| {type: 'cycle-start'}
	| {type: 'cycle'; result: CycleResult}
	| {type: 'history'; history: BundleHistoryEntry[]}
	/** A chain was saved or a restore recorded (store-chains): the rows show it before the next poll */
	| {type: 'chains'; chains: StoreChain[]}
	| {type: 'stored'; key: string; object: StoredObject | string}
	/** `keepDialog`: the regions saved in the settings arrived after mount; whatever dialog is open stays. */
	| {type: 'watch'; regions: string[]; keepDialog?: boolean}
	| {type: 'select'; key: string | undefined}
	/** Moves the selection in the rows as they are now (rows, page or ends). */
	| {type: 'move'; delta: number | 'start' | 'end'}
	/** y: copies the selected row's id (the clipboard of the terminal, OSC 52). */
	| {type: 'copy-id'}
	/** r / m / c on the selected row: opens the dialog, or says why not. */
	| {type: 'open'; kind: 'register' | 'migrate' | 'cancel'}
	/** D on the selected row: the deregister dialog when it has an AMI bundledeck made, else why not */
	| {type: 'open-deregister'}
	/** d / Enter: the selected row in full */
	| {type: 'open-describe'}
	/** t: the retry dialog on a failed or cancelled task, else why not */
	| {type: 'open-retry'}
	| {type: 'sort'; sort?: TaskSortKey | undefined}
	| {type: 'sort-reverse'}
	| {type: 'filter-edit'; editing: boolean}
	| {type: 'filter'; filter: string}
	| {type: 'filter-input'; input: string; key: EditKey}
	| {type: 'dialog'; dialog: DialogState}
	| {type: 'notice'; notice: Notice | undefined}
	| {type: 'cancel-requested'; task: BundleTask}
	| {type: 'image'; region: string; imageId: string; status: ImageStatus};

export function imageKey(region: string, imageId: string): string {
	return `${region}/${imageId}`;
}

/**
 * What an earlier mount of the dashboard left in this session (a trip to the wizard and back): what it observed
 * (timelines, ETAs, AMI states) and how the user left it (sort, filter, selected row).
 */
export type RestoredView = Pick<DashboardState, 'live' | 'eta' | 'images' | 'regions'> &
	Partial<Pick<DashboardState, 'work' | 'sort' | 'sortDirection' | 'filter' | 'selectedKey'>>;

export function initialDashboardState(options: {
	watched: string[];
	history: BundleHistoryEntry[];
	/** The row to select (a task just started); else the one selected when the dashboard was left */
	selectedKey: string | undefined;
	restored?: RestoredView | undefined;
}): DashboardState {
	const sort = options.restored?.sort ?? 'start';
	return {
		watched: options.watched,
		live: options.restored?.live ?? {},
		history: options.history,
		regions: options.restored?.regions ?? {},
		images: options.restored?.images ?? {},
		// When the image -> S3 rows ended stays known across a trip to the wizard
		work: options.restored?.work ?? emptyWorkSources,
		stored: {},
		eta: options.restored?.eta ?? {},
		cancelling: {},
		loaded: false,
		polling: false,
		lastCycleAt: undefined,
		nextPollAt: undefined,
		failures: 0,
		selectedKey: options.selectedKey ?? options.restored?.selectedKey,
		sort,
		sortDirection: options.restored?.sortDirection ?? defaultSortDirection(sort),
		filter: options.restored?.filter ?? '',
		filterEditing: false,
		dialog: {kind: 'none'},
		notice: undefined,
		page: 10,
		helpScrollMax: 0,
		intent: undefined,
	};
}

/** The table rows of a state, sorted and filtered (what the screen shows). */
export function currentRows(state: DashboardState): DashboardRow[] {
	return visibleRows(
		buildRows(state.live, state.history, state.watched, state.cancelling, state.eta, state.work),
		state.sort,
		state.filter,
		state.sortDirection,
	);
}

/** Index of the selected row: by key, else the same bundle id in another region, else the first row. */
export function selectionIndex(rows: readonly DashboardRow[], selectedKey: string | undefined): number {
	if (selectedKey === undefined) {
		return 0;
	}

	const index = rows.findIndex((row) => row.key === selectedKey);
	if (index >= 0) {
		return index;
	}

	const bundleId = selectedKey.slice(selectedKey.lastIndexOf('/') + 1);
	return Math.max(
		0,
		rows.findIndex((row) => row.bundleId === bundleId),
	);
}

function moveSelection(state: DashboardState, delta: number | 'start' | 'end'): DashboardState {
	const rows = currentRows(state);
	if (rows.length === 0) {
		return state;
	}

	const index = selectionIndex(rows, state.selectedKey);
	const next =
		delta === 'start' ? 0 : delta === 'end' ? rows.length - 1 : Math.min(rows.length - 1, Math.max(0, index + delta));
	const key = rows[next]?.key;
	return key === state.selectedKey ? state : {...state, selectedKey: key};
}

function withNotice(state: DashboardState, notice: Notice, at = Date.now()): DashboardState {
	return {...state, notice: {...notice, shownAt: at}};
}

/** Why AWS offers no cancel for a kind of the image -> S3 path (the help overlay says the same). */
export const noCancelReason: Record<WorkKind, string> = {
	bundle: '',
	image: 'AWS has no cancel for CreateImage (deregister the AMI once it is available)',
	store: 'AWS has no cancel for store tasks (DescribeStoreImageTasks only; it ends by itself)',
	restore: 'AWS has no cancel for restore tasks (deregister the AMI once it is available)',
	copy: 'CopyImage is not cancelled here (deregister the copy once it is available)',
};

/** r / m / c on a row of the image -> S3 path. */
function openForWork(
	state: DashboardState,
	row: DashboardRow,
	kind: 'register' | 'migrate' | 'cancel',
): DashboardState {
	const what = row.kind ?? 'bundle';
	if (kind === 'cancel') {
		// An ended row has nothing to cancel: the reason for a running one ("it ends by itself") would not be true
		const text = isActiveWork(row.work?.item.state ?? 'unknown')
			? `${row.bundleId}: ${noCancelReason[what]}.`
			: `${row.bundleId} is ${taskStateLabel(row)}: only running tasks can be cancelled.`;
		return withNotice(state, {text, tone: 'info'});
	}

	if (what !== 'store' || row.state !== 'complete') {
		const verb = kind === 'register' ? 'restored' : 'migrated';
		return withNotice(state, {
			text: `${row.bundleId} is a ${what} row (${row.state === 'complete' ? 'complete' : 'not complete'}): only complete store tasks can be ${verb}.`,
			tone: 'info',
		});
	}

	return {...state, dialog: {kind: kind === 'register' ? 'restore' : 'migrate', key: row.key}};
}

function openFor(state: DashboardState, kind: 'register' | 'migrate' | 'cancel'): DashboardState {
	const rows = currentRows(state);
	const row = rows[selectionIndex(rows, state.selectedKey)];
	if (!row) {
		return withNotice(state, {text: 'No task selected.', tone: 'info'});
	}

	if (row.work) {
		return openForWork(state, row, kind);
	}

	if (kind === 'cancel') {
		if (!isActiveState(row.state) || row.fromHistory) {
			return withNotice(state, {
				text: `${row.bundleId} is ${taskStateLabel(row)}: only running tasks can be cancelled.`,
				tone: 'info',
			});
		}
	} else if (row.state !== 'complete') {
		return withNotice(state, {
			text: `${row.bundleId} is ${taskStateLabel(row)}: only complete bundles can be ${kind === 'register' ? 'registered' : 'migrated'}.`,
			tone: 'info',
		});
	}

	return {...state, dialog: {kind, key: row.key}};
}

const settledImageStates = new Set<ImageStatus['state']>([
	'available',
	'failed',
	'invalid',
	'deregistered',
	'error',
	'not-found',
]);

/** The notice about an AMI being followed, once a poll has seen that AMI settle. */
function settledNotice(notice: Notice | undefined, images: DashboardState['images'], at: number): Notice | undefined {
	if (!notice?.image) {
		return notice;
	}

	const {region, imageId, name, note} = notice.image;
	const status = images[imageKey(region, imageId)];
	if (!status || !settledImageStates.has(status.state)) {
		return notice;
	}

	const available = status.state === 'available';
	const what = status.state === 'not-found' ? 'is not found' : `is ${status.state}`;
	return {
		// A note (an adopted image) outlives the settling: it is what the user could not learn otherwise.
		text: `${imageId} (${name}) ${what} in ${region}${note ? ` (${note})` : ''}${available ? '.' : ': see the detail pane.'}`,
		tone: available ? 'success' : 'error',
		shownAt: at,
	};
}

/** The notice about a task being cancelled, once a poll has seen the task end. */
function endedNotice(notice: Notice | undefined, live: DashboardState['live'], at: number): Notice | undefined {
	if (!notice?.task) {
		return notice;
	}

	const region = notice.task.slice(0, notice.task.indexOf('/'));
	const task = live[region]?.[notice.task]?.task;
	if (!task || !isTerminalState(task.state)) {
		return notice;
	}

	const cancelled = isCancelledTask(task);
	return {
		text: cancelled
			? `${task.bundleId} is cancelled: the instance is restarted and no bundle is kept.`
			: task.state === 'complete'
				? `${task.bundleId} completed before the cancel took effect.`
				: `${task.bundleId} ended ${stateLabel(task.state)}${task.error ? ` (${task.error.code})` : ''}: see the detail pane.`,
		tone: cancelled ? 'info' : task.state === 'complete' ? 'success' : 'error',
		shownAt: at,
	};
}

function track(previous: TrackedTask | undefined, task: BundleTask): TrackedTask {
	if (!previous) {
		return {task, timeline: [{state: task.state, at: task.updateTime}]};
	}

	const timeline =
		previous.task.state === task.state
			? previous.timeline
			: [...previous.timeline, {state: task.state, at: task.updateTime}];
	return {task, timeline};
}

function applyOutcome(
	live: DashboardState['live'],
	outcome: Extract<RegionOutcome, {ok: true}>,
): Readonly<Record<string, TrackedTask>> {
	const before = live[outcome.region] ?? {};
	const next: Record<string, TrackedTask> = {};
	for (const task of outcome.tasks) {
		const key = taskKey(task.region, task.bundleId);
		next[key] = track(before[key], task);
	}

	return next;
}

/** The image -> S3 part of a cycle: a region's store tasks are replaced on success, kept on failure. */
function reduceWork(work: WorkSources, result: CycleResult): WorkSources {
	const stores = {...work.stores};
	const storeAt = {...work.storeAt};
	for (const outcome of result.stores ?? []) {
		if (outcome.ok) {
			stores[outcome.region] = outcome.tasks;
			storeAt[outcome.region] = result.at;
		}
	}

	const imageData = {...work.imageData};
	const missing = {...work.missing};
	for (const image of result.images) {
		imageData[imageKey(image.region, image.imageId)] = image;
		delete missing[imageKey(image.region, image.imageId)];
	}

	for (const gone of result.missingImages) {
		missing[imageKey(gone.region, gone.imageId)] = true;
	}

	return {
		stores,
		storeAt,
		imageData,
		missing,
		snapshots: result.snapshots ?? work.snapshots,
		chains: result.chains ?? work.chains,
		doneAt: work.doneAt,
	};
}

function reduceCycle(state: DashboardState, result: CycleResult): DashboardState {
	const live = {...state.live};
	const regions = {...state.regions};
	let cancelling = state.cancelling;
	let {eta} = state;
	for (const outcome of result.outcomes) {
		const before = regions[outcome.region];
		if (outcome.ok) {
			live[outcome.region] = applyOutcome(state.live, outcome);
			regions[outcome.region] = {lastOk: result.at, error: undefined, problem: undefined};
			for (const task of outcome.tasks) {
				const key = taskKey(task.region, task.bundleId);
				if (!isTerminalState(task.state)) {
					// One estimate per task, not per state: progress runs on across bundling and storing, so a state
					// change keeps the learned rate; if a phase restarts at 0%, the backwards step restarts the estimate.
					eta = updateEtaBook(eta, key, {timeMs: result.at, progress: task.progress});
				}

				if (cancelling[key] && (task.state === 'cancelling' || isTerminalState(task.state))) {
					const {[key]: _done, ...rest} = cancelling;
					cancelling = rest;
				}
			}
		} else {
			regions[outcome.region] = {lastOk: before?.lastOk, error: outcome.error, problem: outcome.problem};
		}
	}

	for (const outcome of result.stores ?? []) {
		const status = regions[outcome.region];
		if (!outcome.ok && status && status.error === undefined) {
			// The bundle tasks came through: the region is reachable, only its store tasks are missing this time
			regions[outcome.region] = {...status, error: `store tasks: ${outcome.error}`, problem: 'error'};
		}
	}

	let images = state.images;
	if (result.images.length > 0 || result.missingImages.length > 0) {
		const next = {...state.images};
		for (const image of result.images) {
			next[imageKey(image.region, image.imageId)] = {state: image.state};
		}

		for (const missing of result.missingImages) {
			next[imageKey(missing.region, missing.imageId)] = {state: 'not-found'};
		}

		images = next;
	}

	const work = updateDoneAt(state.work, reduceWork(state.work, result), state.watched, result.at);
	eta = updateWorkEta(eta, buildWorkRows(work, state.watched, eta), result.at);
	return {
		...state,
		live,
		regions,
		images,
		work,
		eta,
		cancelling,
		history: result.history,
		notice: state.notice?.transient
			? undefined
			: endedNotice(settledNotice(state.notice, images, result.at), live, result.at),
		loaded: true,
		polling: false,
		lastCycleAt: result.at,
		nextPollAt: result.nextPollAt,
		failures: result.failures,
	};
}

export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
	switch (action.type) {
		case 'cycle-start': {
			return state.polling ? state : {...state, polling: true};
		}

		case 'cycle': {
			return reduceCycle(state, action.result);
		}

		case 'history': {
			return {...state, history: action.history};
		}

		case 'chains': {
			return {...state, work: {...state.work, chains: action.chains}};
		}

		case 'stored': {
			return {...state, stored: {...state.stored, [action.key]: action.object}};
		}

		case 'watch': {
			return {
				...state,
				watched: action.regions,
				dialog: action.keepDialog ? state.dialog : {kind: 'none'},
				nextPollAt: undefined,
			};
		}

		case 'select': {
			return state.selectedKey === action.key ? state : {...state, selectedKey: action.key};
		}

		case 'move': {
			return moveSelection(state, action.delta);
		}

		case 'open': {
			return state.dialog.kind === 'none' ? openFor(state, action.kind) : state;
		}

		case 'copy-id': {
			const rows = currentRows(state);
			const row = rows[selectionIndex(rows, state.selectedKey)];
			if (!row) {
				return withNotice(state, {text: 'No task selected.', tone: 'info'});
			}

			const notice = {text: `Copied ${row.bundleId} to the clipboard (OSC 52).`, tone: 'info'} as const;
			return {...withNotice(state, notice), intent: {type: 'copy', text: row.bundleId}};
		}

		case 'open-describe': {
			const rows = currentRows(state);
			const row = rows[selectionIndex(rows, state.selectedKey)];
			if (state.dialog.kind !== 'none') {
				return state;
			}

			return row
				? {...state, dialog: {kind: 'describe', key: row.key}}
				: withNotice(state, {text: 'No task selected.', tone: 'info'});
		}

		case 'open-retry': {
			const rows = currentRows(state);
			const row = rows[selectionIndex(rows, state.selectedKey)];
			if (state.dialog.kind !== 'none') {
				return state;
			}

			const target = row ? retryTarget(row) : 'No task selected.';
			return typeof target === 'string' || !row
				? withNotice(state, {text: typeof target === 'string' ? target : 'No task selected.', tone: 'info'})
				: {...state, dialog: {kind: 'retry', key: row.key}};
		}

		case 'open-deregister': {
			if (state.dialog.kind !== 'none') {
				return state;
			}

			const rows = currentRows(state);
			const row = rows[selectionIndex(rows, state.selectedKey)];
			return row && deregisterTarget(row)
				? {...state, dialog: {kind: 'deregister', key: row.key}}
				: withNotice(state, {
						text: 'D deregisters an AMI bundledeck registered or restored: select its bundle or restore row.',
						tone: 'info',
					});
		}

		case 'sort': {
			const sort = action.sort ?? nextSortKey(state.sort);
			return {...state, sort, sortDirection: defaultSortDirection(sort)};
		}

		case 'sort-reverse': {
			return {...state, sortDirection: reverseDirection(state.sortDirection)};
		}

		case 'filter-edit': {
			return {...state, filterEditing: action.editing};
		}

		case 'filter': {
			return {...state, filter: action.filter};
		}

		case 'filter-input': {
			const next = editText(state.filter, action.input, action.key);
			return next === undefined ? state : {...state, filter: next};
		}

		case 'dialog': {
			return {...state, dialog: action.dialog};
		}

		case 'notice': {
			return action.notice ? withNotice(state, action.notice) : {...state, notice: undefined};
		}

		case 'cancel-requested': {
			const key = taskKey(action.task.region, action.task.bundleId);
			const regionLive = state.live[action.task.region] ?? {};
			const previous = regionLive[key];
			return {
				...state,
				cancelling: {...state.cancelling, [key]: true},
				live: {...state.live, [action.task.region]: {...regionLive, [key]: track(previous, action.task)}},
			};
		}

		case 'image': {
			return {...state, images: {...state.images, [imageKey(action.region, action.imageId)]: action.status}};
		}
	}
}
