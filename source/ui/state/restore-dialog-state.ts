/**
 * The restore dialog (`r` on a complete store task): reads the stored object (the AMI's name) and the AMI names
 * already taken in the region, prefills a free name from the stored one, validates as you type (format and
 * free), then CreateRestoreImageTask. Pure (see remote.ts).
 */
import type {StoredObject} from '../../core/types.js';
import {type ValidationResult, validateAmiName} from '../../core/validation.js';
import {submitDialogPress} from './confirm-keys.js';
import {dialogKeys, type ScreenKey} from './key-burst.js';
import {editText} from './list-and-text.js';
import {type Call, matchesSeq, type Remote, type RequestFailed} from './remote.js';

export type RestoreLoad = {stored: StoredObject; takenNames: string[]};

export type RestoreIntent = {type: 'quit'} | {type: 'close'} | {type: 'restored'; imageId: string};

export type RestoreState = {
	seq: number;
	load: Remote<RestoreLoad>;
	name: string;
	/** True once the user typed: a late load no longer replaces the name */
	edited: boolean;
	submit: Call | undefined;
	intent: RestoreIntent | undefined;
};

export type RestoreAction =
	| {type: 'key'; input: string; key: ScreenKey}
	| {type: 'loaded'; seq: number; load: RestoreLoad}
	| {type: 'restored'; seq: number; imageId: string}
	| RequestFailed
	| {type: 'intent-done'};

export function initialRestoreState(fallbackName: string): RestoreState {
	return {
		seq: 1,
		load: {status: 'loading', seq: 1},
		name: fallbackName,
		edited: false,
		submit: undefined,
		intent: undefined,
	};
}

/** The stored AMI's name when it is free in the region, else the first free "<name>-restored[-N]". */
export function freeRestoreName(storedName: string, taken: readonly string[]): string {
	const names = new Set(taken);
	if (!names.has(storedName)) {
		return storedName;
	}

	const base = `${storedName.slice(0, 118)}-restored`;
	for (let index = 1; ; index++) {
		const candidate = index === 1 ? base : `${base}-${index}`;
		if (!names.has(candidate)) {
			return candidate;
		}
	}
}

/** The name's format, then whether an AMI of yours in the region already has it. */
export function checkRestoreName(state: RestoreState): ValidationResult {
	const format = validateAmiName(state.name);
	if (!format.ok || state.load.status !== 'ready') {
		return format;
	}

	return state.load.data.takenNames.includes(state.name)
		? {ok: false, reason: 'An AMI of yours in this region already has this name'}
		: format;
}

export function canRestore(state: RestoreState): boolean {
	return state.load.status === 'ready' && checkRestoreName(state).ok && state.submit?.status !== 'running';
}

function press(state: RestoreState, input: string, key: ScreenKey): RestoreState {
	const shared = submitDialogPress(state, input, key);
	if (shared) {
		return shared;
	}

	if (key.return) {
		const seq = state.seq + 1;
		if (state.load.status === 'failed') {
			return {...state, seq, load: {status: 'loading', seq}};
		}

		return canRestore(state) ? {...state, seq, submit: {status: 'running', seq}} : state;
	}

	const next = editText(state.name, input, key);
	return next === undefined ? state : {...state, name: next, edited: true, submit: undefined};
}

export function restoreReducer(state: RestoreState, action: RestoreAction): RestoreState {
	switch (action.type) {
		case 'key': {
			return dialogKeys(state, action, press, (current) => current.submit?.status !== 'running');
		}

		case 'loaded': {
			if (!matchesSeq(state.load, action.seq)) {
				return state;
			}

			const {stored, takenNames} = action.load;
			const name = state.edited ? state.name : freeRestoreName(stored.amiName ?? state.name, takenNames);
			return {...state, load: {status: 'ready', data: action.load}, name};
		}

		case 'restored': {
			return matchesSeq(state.submit, action.seq)
				? {...state, intent: {type: 'restored', imageId: action.imageId}}
				: state;
		}

		case 'failed': {
			const failed = {status: 'failed', failure: action.failure} as const;
			if (matchesSeq(state.load, action.seq)) {
				return {...state, load: failed};
			}

			return matchesSeq(state.submit, action.seq) ? {...state, submit: failed} : state;
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}
	}
}
