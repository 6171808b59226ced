/**
 * The keys dialogs share: a y/N dialog's (cancel a bundle task, deregister an AMI), where only an explicit y runs the
 * one call, and the first keys of a dialog with a form and one submit call (register, restore, retry).
 */
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

export type SubmitBase = {submit: Call | undefined; intent: {type: string} | undefined};

/**
 * The keys a dialog with one submit call (register, restore, retry) handles alike: Ctrl+C quits, nothing else is
 * taken while the call runs, Esc closes. Undefined: the key is the dialog's own.
 */
export function submitDialogPress<S extends SubmitBase>(state: S, input: string, key: ScreenKey): S | undefined {
	if (key.ctrl && input === 'c') {
		return {...state, intent: {type: 'quit'}};
	}

	if (state.submit?.status === 'running') {
		return state;
	}

	if (key.escape) {
		return {...state, intent: {type: 'close'}};
	}

	return undefined;
}
