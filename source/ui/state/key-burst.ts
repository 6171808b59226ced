/**
 * Ink 6 hands over the keys that arrive in one read as ONE input string ("jj" when j is pressed twice quickly or
 * sent by `tmux send-keys j j`, "web01\r" when a name and Enter are typed fast); only escape sequences are split.
 * Navigation and command keys must act once per key, text fields take runs of text whole (a paste).
 */

const control = /[\u0000-\u001F\u007F]/;

/** The characters of a burst of plain printable keys, or undefined when `input` is a single key or not printable. */
export function burstChars(input: string, key: {ctrl: boolean; meta: boolean}): string[] | undefined {
	if (key.ctrl || key.meta) {
		return undefined;
	}

	const chars = [...input];
	if (chars.length < 2 || chars.some((char) => control.test(char))) {
		return undefined;
	}

	return chars;
}

/**
 * The keys of a burst that may mix printable characters with Enter, Tab, Backspace and Ctrl+U ("jj\r",
 * "\x15web02\r": a field cleared, typed and entered in one read), one per key; undefined when `input` is a single key,
 * a modified key, or holds other control characters (e.g. ESC).
 */
export function burstKeys(input: string, key: {ctrl: boolean; meta: boolean}): string[] | undefined {
	if (key.ctrl || key.meta) {
		return undefined;
	}

	const chars = [...input];
	if (chars.length < 2 || chars.some((char) => control.test(char) && !'\r\n\t\b\u007F\u0015'.includes(char))) {
		return undefined;
	}

	return chars;
}

/** True for the keys of a burst that end a text field's input (Enter, Tab). */
export function endsText(char: string): boolean {
	return char === '\r' || char === '\n' || char === '\t';
}

/**
 * The input and key flags Ink gives one key of a burst: a printable character (shift for capitals), or Enter, Tab,
 * Backspace (0x08) or Delete (0x7F, what most terminals send for Backspace) with an empty input.
 */
export function singleKey<K extends object>(template: K, char: string): {input: string; key: K} {
	const key: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(template)) {
		key[name] = typeof value === 'boolean' ? false : value;
	}

	key['return'] = char === '\r' || char === '\n';
	key['tab'] = char === '\t';
	key['backspace'] = char === '\b';
	key['delete'] = char === '\u007F';
	key['shift'] = /[A-Z]/.test(char);
	return {input: control.test(char) ? '' : char, key: key as K};
}

/** The key flags Ink gives a single printable character. */
export function charKey<K extends object>(template: K, char: string): K {
	return singleKey(template, char).key;
}

/** The key flags a screen reducer reads (a subset of Ink's Key, so Ink's Key can be dispatched as is). */
export type ScreenKey = {
	upArrow: boolean;
	downArrow: boolean;
	leftArrow: boolean;
	rightArrow: boolean;
	return: boolean;
	escape: boolean;
	tab: boolean;
	shift: boolean;
	pageUp: boolean;
	pageDown: boolean;
	home?: boolean;
	end?: boolean;
	backspace: boolean;
	delete: boolean;
	ctrl: boolean;
	meta: boolean;
};

export type KeyRules<S> = {
	/** True while a text field has the keyboard: a run of text goes in whole (a paste). */
	typing(state: S): boolean;
	/** True when the rest of the burst must not act (an intent is waiting: quit, close, leave). */
	stopped(state: S): boolean;
};

/**
 * A key action in a screen reducer. Several keys in one input (a burst: "jj", "web01\r") act one at a time, each on
 * the state the one before left: outside a text field one key per character; in a text field a run of text goes in
 * whole and Enter / Tab after it act as keys.
 */
export function reduceKeys<S, K extends {return: boolean; tab: boolean; ctrl: boolean; meta: boolean}>(
	state: S,
	input: string,
	key: K,
	press: (state: S, input: string, key: K) => S,
	rules: KeyRules<S>,
): S {
	const chars = burstKeys(input, key);
	if (!chars) {
		return rules.stopped(state) ? state : press(state, input, key);
	}

	let result = state;
	let index = 0;
	while (index < chars.length && !rules.stopped(result)) {
		if (rules.typing(result) && !endsText(chars[index] ?? '')) {
			let end = index;
			while (end < chars.length && !endsText(chars[end] ?? '')) {
				end++;
			}

			result = press(result, chars.slice(index, end).join(''), {...key, return: false, tab: false});
			index = end;
			continue;
		}

		const single = singleKey(key, chars[index] ?? '');
		result = press(result, single.input, single.key);
		index++;
	}

	return result;
}

/** reduceKeys for a dialog: a burst stops once the state holds an intent (close, quit, an outcome). */
export function dialogKeys<S extends {intent: unknown}>(
	state: S,
	action: {input: string; key: ScreenKey},
	press: (state: S, input: string, key: ScreenKey) => S,
	typing: (state: S) => boolean = () => false,
): S {
	return reduceKeys(state, action.input, action.key, press, {
		typing,
		stopped: (current) => current.intent !== undefined,
	});
}
