/** The one list-cursor / text-edit key layer every screen reducer uses (pure). */

export type EditKey = {backspace: boolean; delete: boolean; ctrl: boolean; meta: boolean};

/**
 * The value after a key press in a text field, or undefined when the key is not an edit.
 * Backspace arrives as `key.delete` from most terminals (0x7F): both erase the last character.
 * Printable input (several characters when pasted) is appended; control characters are dropped, except a
 * backspace inside a burst ("ab\x7fc" when typing fast), which erases one character, and Ctrl+U inside a burst
 * ("\x15web02" when typing fast), which clears what came before it.
 */
export function editText(value: string, input: string, key: EditKey): string | undefined {
	if (key.backspace || key.delete) {
		return value.slice(0, -1);
	}

	if (key.ctrl && input === 'u') {
		return '';
	}

	if (key.ctrl || key.meta) {
		return undefined;
	}

	let next = [...value];
	let edited = false;
	for (const char of input) {
		if (char === '\u0008' || char === '\u007F') {
			next = next.slice(0, -1);
			edited = true;
		} else if (char === '\u0015') {
			next = [];
			edited = true;
		} else if (!/[\u0000-\u001F]/.test(char)) {
			next.push(char);
			edited = true;
		}
	}

	return edited ? next.join('') : undefined;
}

export type ListKey = {
	upArrow: boolean;
	downArrow: boolean;
	pageUp: boolean;
	pageDown: boolean;
	home?: boolean | undefined;
	end?: boolean | undefined;
};

/**
 * How far a key moves a list's cursor: one row (arrows; j k unless typing), a page (PgUp PgDn), to the first or last
 * row (Home End; G unless typing, as in k9s and less: ±Infinity, moveIndex keeps it inside the list), or 0.
 */
export function listDelta(input: string, key: ListKey, page: number, typing = false): number {
	if (key.home) {
		return Number.NEGATIVE_INFINITY;
	}

	if (key.end || (!typing && input === 'G')) {
		return Number.POSITIVE_INFINITY;
	}

	if (key.pageUp) {
		return -page;
	}

	if (key.pageDown) {
		return page;
	}

	if (key.upArrow || (!typing && input === 'k')) {
		return -1;
	}

	if (key.downArrow || (!typing && input === 'j')) {
		return 1;
	}

	return 0;
}

/** The cursor index after moving `delta` rows in a list of `count` (kept inside it; 0 for an empty list). */
export function moveIndex(count: number, index: number, delta: number): number {
	return count === 0 ? 0 : Math.min(count - 1, Math.max(0, index + delta));
}

/** First row of a window of `rows` rows that keeps `selected` visible, roughly centred. */
export function windowStart(count: number, selected: number, rows: number): number {
	if (count <= rows) {
		return 0;
	}

	const centred = Math.max(0, selected) - Math.floor(rows / 2);
	return Math.min(Math.max(0, centred), count - rows);
}

/** The rows a list of `count` items shows in `height` lines: a window around `selected`, and a scroll line when cut. */
export function listWindow(count: number, selected: number, height: number) {
	const overflow = count > height;
	const rows = overflow ? Math.max(1, height - 1) : count;
	const start = windowStart(count, selected, rows);
	const end = Math.min(count, start + rows);
	const below = count - end;
	const more = overflow
		? `  ${start > 0 ? `↑ ${start} more` : ''}${start > 0 && below > 0 ? ' · ' : ''}${below > 0 ? `↓ ${below} more` : ''}`
		: undefined;
	return {start, end, more};
}
