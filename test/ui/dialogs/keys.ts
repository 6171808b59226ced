/** Key actions for the screen reducers' tests (no Ink). */
import type {ScreenKey} from '../../../source/ui/state/key-burst.js';

export const none: ScreenKey = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	return: false,
	escape: false,
	tab: false,
	shift: false,
	pageUp: false,
	pageDown: false,
	backspace: false,
	delete: false,
	ctrl: false,
	meta: false,
};

export function key(input: string, flags: Partial<ScreenKey> = {}): {type: 'key'; input: string; key: ScreenKey} {
	return {type: 'key', input, key: {...none, ...flags}};
}

export const enter = key('', {return: true});
export const esc = key('', {escape: true});
export const down = key('', {downArrow: true});

export function run<S, A>(reducer: (state: S, action: A) => S, state: S, ...actions: A[]): S {
	return actions.reduce(reducer, state);
}
