/**
 * The dashboard's keys (table, filter line, help overlay) as a pure reducer over dashboardReducer; the open dialog
 * owns its own keys (see remote.ts for the pattern).
 */
import {type DashboardAction, type DashboardIntent, type DashboardState, dashboardReducer} from './dashboard-state.js';
import {reduceKeys, type ScreenKey} from './key-burst.js';

export type DashboardScreenAction =
	| DashboardAction
	| {type: 'key'; input: string; key: ScreenKey}
	| {type: 'layout'; page: number; helpScrollMax?: number | undefined}
	| {type: 'intent-done'};

const intents: Record<string, DashboardIntent> = {q: {type: 'quit'}, n: {type: 'new-bundle'}};

const commands: Record<string, DashboardAction> = {
	j: {type: 'move', delta: 1},
	k: {type: 'move', delta: -1},
	G: {type: 'move', delta: 'end'},
	s: {type: 'sort'},
	S: {type: 'sort-reverse'},
	y: {type: 'copy-id'},
	r: {type: 'open', kind: 'register'},
	m: {type: 'open', kind: 'migrate'},
	c: {type: 'open', kind: 'cancel'},
	D: {type: 'open-deregister'},
	// k9s's describe key; Enter too (it did nothing on the table)
	d: {type: 'open-describe'},
	// "try again": r is register/restore, R refresh
	t: {type: 'open-retry'},
	g: {type: 'dialog', dialog: {kind: 'regions'}},
	'?': {type: 'dialog', dialog: {kind: 'help'}},
	'/': {type: 'filter-edit', editing: true},
};

function moveKey(state: DashboardState, key: ScreenKey): DashboardAction | undefined {
	const delta = key.upArrow ? -1 : key.downArrow ? 1 : key.pageUp ? -state.page : key.pageDown ? state.page : undefined;
	return delta === undefined ? undefined : {type: 'move', delta};
}

type Overlay = Extract<DashboardState['dialog'], {kind: 'help' | 'describe'}>;

function isOverlay(dialog: DashboardState['dialog']): dialog is Overlay {
	return dialog.kind === 'help' || dialog.kind === 'describe';
}

/** The help and describe overlays: ↑↓ j k PgUp PgDn Home End G scroll them; esc q and their own key close them. */
function overlayKey(state: DashboardState, overlay: Overlay, input: string, key: ScreenKey): DashboardState {
	const own = overlay.kind === 'help' ? input === '?' : input === 'd' || key.return;
	if (key.escape || own || input === 'q') {
		return {...state, dialog: {kind: 'none'}};
	}

	const scroll = overlay.scroll ?? 0;
	const max = state.helpScrollMax;
	const page = Math.max(1, state.page);
	const next =
		key.upArrow || input === 'k'
			? scroll - 1
			: key.downArrow || input === 'j'
				? scroll + 1
				: key.pageUp
					? scroll - page
					: key.pageDown || input === ' '
						? scroll + page
						: key.home
							? 0
							: key.end || input === 'G'
								? max
								: scroll;
	const clamped = Math.min(max, Math.max(0, next));
	return clamped === scroll ? state : {...state, dialog: {...overlay, scroll: clamped}};
}

function filterKey(state: DashboardState, input: string, key: ScreenKey): DashboardState {
	if (key.escape) {
		return {...state, filter: '', filterEditing: false};
	}

	if (key.return) {
		return {...state, filterEditing: false};
	}

	return dashboardReducer(state, {type: 'filter-input', input, key});
}

function press(state: DashboardState, input: string, key: ScreenKey): DashboardState {
	if (key.ctrl && input === 'c') {
		return {...state, intent: {type: 'quit'}};
	}

	if (isOverlay(state.dialog)) {
		return overlayKey(state, state.dialog, input, key);
	}

	const move = key.home || key.end ? ({type: 'move', delta: key.home ? 'start' : 'end'} as const) : moveKey(state, key);
	if (move) {
		return dashboardReducer(state, move);
	}

	if (state.filterEditing) {
		return filterKey(state, input, key);
	}

	if (key.return) {
		return dashboardReducer(state, {type: 'open-describe'});
	}

	if (input === 'R') {
		const notice = {text: 'Refreshing…', tone: 'info', transient: true} as const;
		return {...dashboardReducer(state, {type: 'notice', notice}), intent: {type: 'refresh'}};
	}

	if (Object.hasOwn(intents, input)) {
		return {...state, intent: intents[input]};
	}

	const command = Object.hasOwn(commands, input) ? commands[input] : undefined;
	if (command) {
		return dashboardReducer(state, command);
	}

	return key.escape && state.filter.length > 0 ? {...state, filter: ''} : state;
}

export function dashboardScreenReducer(state: DashboardState, action: DashboardScreenAction): DashboardState {
	switch (action.type) {
		case 'key': {
			return reduceKeys(state, action.input, action.key, press, {
				typing: (current) => current.filterEditing,
				// A burst stops where a dialog opened or the screen has something to do.
				stopped: (current) =>
					current.intent !== undefined || !['none', 'help', 'describe'].includes(current.dialog.kind),
			});
		}

		case 'layout': {
			const helpScrollMax = action.helpScrollMax ?? state.helpScrollMax;
			return action.page === state.page && helpScrollMax === state.helpScrollMax
				? state
				: {...state, page: Math.max(1, action.page), helpScrollMax};
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}

		default: {
			return dashboardReducer(state, action);
		}
	}
}
