/** The keys of a y/N dialog (cancel a bundle task, deregister an AMI): only an explicit y runs the one call. */
import type {ScreenKey} from './key-burst.js';
import type {Call} from './remote.js';

export type ConfirmBase = {seq: number; call: Call | undefined; intent: {type: string} | undefined};

export function confirmPress<S extends ConfirmBase>(state: S, input: string, key: ScreenKey): S {
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
