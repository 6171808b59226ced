/**
 * useInput with a stable subscription that always runs the handler of the latest render. Ink re-subscribes when
 * the handler changes, in an effect: a key arriving between a render and that effect would otherwise reach the
 * previous render's handler (stale lists, stale cursor). The ref is updated during render, so it never lags.
 *
 * Keys that arrive in one read reach Ink's handler as ONE input ("jj"): unless `textInput()` says a text field has
 * the keyboard, such a burst of printable characters is handed to the handler one character at a time (a text field
 * gets the rest of the burst whole, as a paste). All characters run against the same render, so handlers must
 * apply them through the reducer / functional updates / refs, not compute from the render's values. A handler
 * returns 'stop' when the rest of the burst must not reach it (it opened a dialog, left the screen, quit).
 */
import {type Key, useInput} from 'ink';
import {useCallback, useRef} from 'react';
import {burstChars, charKey} from '../state/key-burst.js';

/** Returns 'stop' to drop the rest of a burst; anything else goes on. */
export type InputHandler = (input: string, key: Key) => unknown;

export type StableInputOptions = {
	isActive?: boolean;
	/** True while a text field has the keyboard (checked before each character of a burst). */
	textInput?: (() => boolean) | undefined;
};

/** Runs `handler` for a key, or for each character of a burst (see the module comment). */
export function dispatchKeys(
	handler: InputHandler,
	input: string,
	key: Key,
	textInput: (() => boolean) | undefined,
): void {
	const chars = textInput?.() ? undefined : burstChars(input, key);
	if (!chars) {
		handler(input, key);
		return;
	}

	for (const [index, char] of chars.entries()) {
		if (textInput?.()) {
			handler(chars.slice(index).join(''), key);
			return;
		}

		if (handler(char, charKey(key, char)) === 'stop') {
			return;
		}
	}
}

export function useStableInput(handler: InputHandler, options: StableInputOptions = {}): void {
	const latest = useRef({handler, textInput: options.textInput});
	latest.current = {handler, textInput: options.textInput};
	const stable = useCallback((input: string, key: Key) => {
		const {handler: current, textInput} = latest.current;
		dispatchKeys(current, input, key, textInput);
	}, []);
	useInput(stable, {isActive: options.isActive});
}
