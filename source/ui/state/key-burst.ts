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
 * The keys of a burst that may mix printable characters with Enter, Tab and Backspace ("jj\r"), one per key;
 * undefined when `input` is a single key, a modified key, or holds other control characters (e.g. ESC).
 */
export function burstKeys(input: string, key: {ctrl: boolean; meta: boolean}): string[] | undefined {
	if (key.ctrl || key.meta) {
		return undefined;
	}

	const chars = [...input];
	if (chars.length < 2 || chars.some((char) => control.test(char) && !'\r\n\t\b\u007F'.includes(char))) {
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
