/** The cancel dialog (`c` on an active task): asks y/N, then one CancelBundleTask. Pure (see remote.ts). */
import type {BundleTask} from '../../core/types.js';
import {dialogKeys, type ScreenKey} from './key-burst.js';
import {type Call, matchesSeq, type RequestFailed} from './remote.js';

export type CancelIntent = {type: 'quit'} | {type: 'close'} | {type: 'cancelled'; task: BundleTask};

export type CancelState = {
	seq: number;
	/** Undefined while the question is asked. */
	call: Call | undefined;
	intent: CancelIntent | undefined;
};

export type CancelAction =
	| {type: 'key'; input: string; key: ScreenKey}
	| {type: 'cancelled'; seq: number; task: BundleTask}
	| RequestFailed
	| {type: 'intent-done'};

export const initialCancelState: CancelState = {seq: 0, call: undefined, intent: undefined};

function press(state: CancelState, input: string, key: ScreenKey): CancelState {
	if (key.ctrl && input === 'c') {
		return {...state, intent: {type: 'quit'}};
	}

	if (state.call?.status === 'running') {
		return state;
	}

	if (state.call === undefined && (input === 'y' || input === 'Y')) {
		const seq = state.seq + 1;
		return {...state, seq, call: {status: 'running', seq}};
	}

	if (state.call || key.escape || key.return || input === 'n' || input === 'N' || input === 'q') {
		return {...state, intent: {type: 'close'}};
	}

	return state;
}

export function cancelReducer(state: CancelState, action: CancelAction): CancelState {
	switch (action.type) {
		case 'key': {
			return dialogKeys(state, action, press);
		}

		case 'cancelled': {
			return matchesSeq(state.call, action.seq) ? {...state, intent: {type: 'cancelled', task: action.task}} : state;
		}

		case 'failed': {
			return matchesSeq(state.call, action.seq) ? {...state, call: {status: 'failed', failure: action.failure}} : state;
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}
	}
}
