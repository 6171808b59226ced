/** The cancel dialog (`c` on an active task): asks y/N, then one CancelBundleTask. Pure (see remote.ts). */
import type {BundleTask} from '../../core/types.js';
import {confirmPress} from './confirm-keys.js';
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

export function cancelReducer(state: CancelState, action: CancelAction): CancelState {
	switch (action.type) {
		case 'key': {
			return dialogKeys(state, action, confirmPress);
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
