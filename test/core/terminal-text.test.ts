import {describe, expect, test} from 'vitest';
import {hasUnsafeCharacters, safeJson, safeLine, safeText} from '../../source/core/terminal-text.js';

describe('safeText', () => {
	test('control and bidi characters are shown as code points', () => {
		expect(safeText('a\u001B]0;pwned\u0007b')).toBe('a<ESC>]0;pwned<U+0007>b');
		expect(safeText('evil\u202Etxt.exe')).toBe('evil<U+202E>txt.exe');
		expect(safeText('x\u009By\u007Fz\r\n')).toBe('x<U+009B>y<U+007F>z<U+000D><U+000A>');
		expect(safeText('tab\there', {keepTabs: true})).toBe('tab\there');
		expect(hasUnsafeCharacters(safeText('\u001B[2J\u2066'))).toBe(false);
	});

	test('long values are cut with an ellipsis; ordinary text is unchanged', () => {
		const cut = safeText('x'.repeat(100_000));
		expect(Array.from(cut)).toHaveLength(600);
		expect(cut.endsWith('…')).toBe(true);
		expect(safeText('web01-20261126/ünïcode ✓')).toBe('web01-20261126/ünïcode ✓');
	});
});

describe('safeLine', () => {
	test('cuts each long value but keeps the words around it', () => {
		const line = safeLine(`prefix '${'a'.repeat(100_000)}' is too long — choose another`);
		expect(line.length).toBeLessThan(700);
		expect(line).toContain('choose another');
	});

	test('the whole line is capped', () => {
		expect(Array.from(safeLine('word '.repeat(100_000))).length).toBeLessThanOrEqual(2000);
	});
});

test('safeJson escapes what JSON.stringify leaves raw, and stays the same JSON', () => {
	const value = {name: 'a\u202Eb\u0085c\u001Bd'};
	const json = safeJson(JSON.stringify(value));
	expect(hasUnsafeCharacters(json)).toBe(false);
	expect(JSON.parse(json)).toEqual(value);
});

test('safeJson escapes each raw character beside astral ones, and leaves a clean document as it is', () => {
	const raw = ['\u007F', '\u0085', '\u009F', '\u061C', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069'];
	const value = {names: raw.map((char) => `😀${char}𝄞`)};
	const json = safeJson(JSON.stringify(value));
	expect(hasUnsafeCharacters(json)).toBe(false);
	expect(json).toContain('😀\\u202e𝄞');
	expect(JSON.parse(json)).toEqual(value);
	const clean = JSON.stringify({name: 'erp01 😀 — ok', arrow: '→'}, null, 2);
	expect(safeJson(clean)).toBe(clean);
});
