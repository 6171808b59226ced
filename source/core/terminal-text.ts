/**
 * Text from input, AWS or S3 made safe to show on a terminal: control characters (ESC, BEL, C1...) and bidi
 * overrides cannot clear the screen, set the window title or reorder a line; they are shown as code points
 * (<ESC>, <U+202E>). Long values are cut with an ellipsis. Pure.
 */

/** Bidi embeddings, overrides, isolates and marks. */
const bidi = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const control = /[\u0000-\u001F\u007F-\u009F]/u;
const unsafe = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** Longest value shown in full (code points); longer ones are cut with "…". */
export const safeTextMaxLength = 600;

function codePoint(char: string): string {
	if (char === '\u001B') {
		return '<ESC>';
	}

	return `<U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** True when the text holds a character a terminal would act on rather than show. */
export function hasUnsafeCharacters(text: string): boolean {
	return control.test(text) || bidi.test(text);
}

export type SafeTextOptions = {
	/** Cut after this many characters (default safeTextMaxLength); Infinity keeps everything. */
	maxLength?: number | undefined;
	/** Keep tabs as they are (column separators in command output). */
	keepTabs?: boolean | undefined;
};

/** The one sanitiser for untrusted text on the terminal (see the file comment). */
export function safeText(value: unknown, options: SafeTextOptions = {}): string {
	const text = typeof value === 'string' ? value : String(value);
	const maxLength = options.maxLength ?? safeTextMaxLength;
	const chars = Array.from(text);
	const kept = chars.length > maxLength ? `${chars.slice(0, Math.max(0, maxLength - 1)).join('')}…` : text;
	return kept.replaceAll(unsafe, (char) => (options.keepTabs && char === '\t' ? char : codePoint(char)));
}

// All in the Basic Multilingual Plane: no `u` flag needed, and matching by code unit is the faster scan.
const rawInJson = /[\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** A JSON document with the characters JSON.stringify leaves raw (DEL, C1, bidi) written as \u escapes. */
export function safeJson(json: string): string {
	// Most documents have none: tested first, they are not copied.
	if (!rawInJson.test(json)) {
		return json;
	}

	return json.replaceAll(
		new RegExp(rawInJson, 'g'),
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

/** Longest line shown (code points), after long values in it were cut. */
export const safeLineMaxLength = 2000;

/**
 * A whole line holding untrusted values (an error line, an output row): every value (a run without spaces or tabs)
 * longer than safeTextMaxLength is cut, unsafe characters are shown as code points, and the line is capped.
 */
export function safeLine(line: string, options: {keepTabs?: boolean | undefined} = {}): string {
	const cut = line
		.split(/([ \t]+)/)
		.map((token) => (/^[ \t]+$/.test(token) ? token : safeText(token, {maxLength: safeTextMaxLength})))
		.join('');
	return safeText(cut, {maxLength: safeLineMaxLength, keepTabs: options.keepTabs});
}
