/** The dashboard's watched-regions picker (`g`): several or all regions, toggled with space. Pure (see remote.ts). */
import {dialogKeys, type ScreenKey} from './key-burst.js';
import {listDelta, moveIndex} from './list-and-text.js';
import {matchesSeq, type Remote, type RequestFailed} from './remote.js';

export type RegionPickerIntent = {type: 'quit'} | {type: 'close'} | {type: 'apply'; regions: string[]};

export type RegionPickerState = {
	seq: number;
	/** The current session region (marked, and what "none" keeps). */
	current: string;
	/** The regions watched when the picker opened (listed even if DescribeRegions leaves them out). */
	watched: readonly string[];
	regions: Remote<string[]>;
	cursor: number;
	chosen: readonly string[];
	warning: string | undefined;
	/** Rows a page of the list holds (PgUp / PgDn). */
	page: number;
	intent: RegionPickerIntent | undefined;
};

export type RegionPickerAction =
	| {type: 'key'; input: string; key: ScreenKey}
	| {type: 'layout'; page: number}
	| {type: 'regions-loaded'; seq: number; regions: string[]}
	| RequestFailed
	| {type: 'intent-done'};

export function initialRegionPickerState({
	watched,
	current,
}: {
	watched: readonly string[];
	current: string;
}): RegionPickerState {
	return {
		seq: 1,
		current,
		watched,
		regions: {status: 'loading', seq: 1},
		cursor: 0,
		chosen: watched,
		warning: undefined,
		page: 10,
		intent: undefined,
	};
}

function toggle(chosen: readonly string[], region: string): string[] {
	return chosen.includes(region) ? chosen.filter((item) => item !== region) : [...chosen, region];
}

function press(state: RegionPickerState, input: string, key: ScreenKey): RegionPickerState {
	if (key.ctrl && input === 'c') {
		return {...state, intent: {type: 'quit'}};
	}

	if (key.escape) {
		return {...state, intent: {type: 'close'}};
	}

	if (state.regions.status === 'failed' && input === 'r') {
		const seq = state.seq + 1;
		return {...state, seq, regions: {status: 'loading', seq}};
	}

	if (state.regions.status !== 'ready') {
		return state;
	}

	const regions = state.regions.data;
	const delta = listDelta(input, key, state.page);
	if (delta !== 0) {
		return {...state, cursor: moveIndex(regions.length, state.cursor, delta)};
	}

	if (input === ' ') {
		const region = regions[state.cursor];
		return region ? {...state, chosen: toggle(state.chosen, region), warning: undefined} : state;
	}

	if (input === 'a') {
		return {...state, chosen: state.chosen.length === regions.length ? [state.current] : regions, warning: undefined};
	}

	if (key.return) {
		const picked = regions.filter((region) => state.chosen.includes(region));
		return picked.length === 0
			? {...state, warning: 'Pick at least one region (space toggles).'}
			: {...state, intent: {type: 'apply', regions: picked}};
	}

	return state;
}

export function regionPickerReducer(state: RegionPickerState, action: RegionPickerAction): RegionPickerState {
	switch (action.type) {
		case 'key': {
			return dialogKeys(state, action, press);
		}

		case 'layout': {
			return action.page === state.page ? state : {...state, page: Math.max(1, action.page)};
		}

		case 'regions-loaded': {
			if (!matchesSeq(state.regions, action.seq)) {
				return state;
			}

			const all = [...new Set([...action.regions, ...state.watched])].sort();
			const cursor = Math.max(0, all.indexOf(state.watched[0] ?? state.current));
			return {...state, regions: {status: 'ready', data: all}, cursor};
		}

		case 'failed': {
			return matchesSeq(state.regions, action.seq)
				? {...state, regions: {status: 'failed', failure: action.failure}}
				: state;
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}
	}
}
