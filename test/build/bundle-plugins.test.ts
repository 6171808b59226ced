/**
 * The main build's plugins (scripts/bundle-plugins.js) change how Ink, yoga-layout and string-width run, never what
 * they produce: each patched library, bundled in memory, answers as the library does unpatched.
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build, type Plugin} from 'esbuild';
import stringWidth from 'string-width';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {
	inkCachesAcrossFrames,
	leanStyledChars,
	memoizedStringWidth,
	standAloneCharacters,
	yogaWithoutFetch,
} from '../../scripts/bundle-plugins.js';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-plugins-'));
});
afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

/** Bundles `contents` (an ES module resolved from the project) with the plugins and imports the result. */
async function bundled<T>(name: string, contents: string, plugins: Plugin[]): Promise<{module: T; text: string}> {
	const result = await build({
		stdin: {contents, resolveDir: process.cwd(), loader: 'js'},
		bundle: true,
		format: 'esm',
		platform: 'node',
		write: false,
		logLevel: 'silent',
		plugins,
	});
	const text = result.outputFiles[0]!.text;
	const file = path.join(dir, `${name}.mjs`);
	await writeFile(file, text);
	return {module: (await import(pathToFileURL(file).href)) as T, text};
}

type OutputClass = new (options: {
	width: number;
	height: number;
}) => {
	write(x: number, y: number, text: string, options: {transformers: unknown[]}): void;
	get(): {output: string; height: number};
};

describe('the main build plugins (issue 16)', () => {
	test('string-width remembered: the same widths as string-width, options honoured', async () => {
		const {module} = await bundled<{default: typeof stringWidth}>(
			'string-width',
			"export {default} from 'string-width';",
			[memoizedStringWidth],
		);
		const samples = ['', 'abc', '古池や', '👍🏽 ok', '\u001B[31mred\u001B[39m', 'e\u0301', '› bun-1 ██ 100%', '±'];
		for (const round of [1, 2]) {
			for (const sample of samples) {
				expect(module.default(sample), `${sample} (round ${round})`).toBe(stringWidth(sample));
				for (const options of [{countAnsiEscapeCodes: true}, {ambiguousIsNarrow: false}]) {
					expect(module.default(sample, options)).toBe(stringWidth(sample, options));
				}
			}
		}
	});

	test('string-width adds up stand-alone characters: each is a cluster of its own, and sums agree', async () => {
		const {module} = await bundled<{default: typeof stringWidth}>(
			'string-width-sum',
			"export {default} from 'string-width';",
			[memoizedStringWidth],
		);
		const segmenter = new Intl.Segmenter();
		const members: string[] = [];
		for (let codePoint = 0; codePoint <= 0x2fff; codePoint++) {
			const character = String.fromCodePoint(codePoint);
			if (standAloneCharacters.test(character)) {
				members.push(character);
			}
		}

		expect(members.length).toBeGreaterThan(3000);
		// Between any two of its characters (or beside a letter) no cluster forms: the width of a run is its sum.
		for (const character of members) {
			for (const neighbour of ['a', character]) {
				const segments = [...segmenter.segment(`${neighbour}${character}${neighbour}`)];
				expect(segments.length, `U+${character.codePointAt(0)!.toString(16)}`).toBe(3);
			}
		}

		// What does join (a combining accent, a joiner, a variation selector, a Thai vowel, a jamo, a skin tone) is out.
		for (const joiner of ['\u0301', '\u200D', '\uFE0F', '\u0E33', '\u1100', '\u{1F3FB}', '\u00AD']) {
			expect(standAloneCharacters.test(`a${joiner}`)).toBe(false);
		}

		// Runs of them, with emoji-presentation symbols (width 2) among them, measure as unpatched.
		let seed = 7;
		const pick = () => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return members[seed % members.length]!;
		};

		for (let run = 0; run < 300; run++) {
			const sample = Array.from({length: 1 + (run % 40)}, pick).join('') + (run % 3 === 0 ? '⌚✅⭐' : '');
			expect(module.default(sample), sample).toBe(stringWidth(sample));
		}
	});

	test("Ink's lean styled characters: the same characters, styles and text as published", async () => {
		type Tokenize = {
			tokenize(text: string, endChar?: number): unknown[];
			styledCharsFromTokens(tokens: unknown[]): unknown[];
			styledCharsToString(chars: unknown[]): string;
		};
		const source = "export {tokenize, styledCharsFromTokens, styledCharsToString} from '@alcalzone/ansi-tokenize';";
		const patched = await bundled<Tokenize>('tokenize-patched', source, [leanStyledChars]);
		const original = await bundled<Tokenize>('tokenize', source, []);
		expect(patched.text).not.toContain('...token');
		expect(patched.text).toContain('sameCodes');
		expect(patched.text).toContain('standAloneOrEscape');
		const samples = [
			'',
			'plain › bun-1 ██░░ 40%',
			'\u001B[1m\u001B[31mbold red\u001B[39m rest\u001B[22m',
			'古池や 👍🏽 e\u0301',
			'\u001B]8;;https://example.com\u0007link\u001B]8;;\u0007',
			// Runs of one style, styles that change inside a run, bold and dim together, a style left open at the end.
			'\u001B[7m › bun-1 \u001B[27m  \u001B[2mended\u001B[1m both\u001B[22m\u001B[32m ok\u001B[39m',
			'\u001B[1m\u001B[2mbold dim\u001B[22m plain \u001B[4m\u001B[31munderlined red',
			'\u001B[31mred\u001B[39m\u001B[31mred again\u001B[39m \u001B[90mgrey\u001B[39m\u001B[37mwhite\u001B[39m',
		];
		// Random lines of stand-alone characters, escapes (styles, compound styles, links) and, in some, characters that
		// join or are wide (which take the segmenter's way).
		const pieces = [
			'a',
			'Z',
			' ',
			'›',
			'█',
			'░',
			'é',
			'Ж',
			'—',
			'\u001B[1m',
			'\u001B[22m',
			'\u001B[31m',
			'\u001B[39m',
			'\u001B[1;4;38;5;208m',
			'\u001B[0m',
			'\u001B[7m',
			'\u001B[27m',
			'\u001B]8;;https://example.com\u0007',
			'\u001B]8;;\u0007',
			'\u001B',
		];
		const joining = ['e\u0301', '👍🏽', '古', '\u{1F1EF}\u{1F1F5}', '\uFE0F', '\r\n'];
		let seed = 11;
		const next = (limit: number) => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return seed % limit;
		};

		for (let run = 0; run < 400; run++) {
			const line = Array.from({length: 1 + next(60)}, () => pieces[next(pieces.length)]!);
			if (run % 4 === 0) {
				line.splice(next(line.length), 0, joining[next(joining.length)]!);
			}

			samples.push(line.join(''));
		}

		for (const sample of samples) {
			const tokens = patched.module.tokenize(sample);
			expect(tokens, JSON.stringify(sample)).toEqual(original.module.tokenize(sample));
			const chars = patched.module.styledCharsFromTokens(tokens);
			const published = original.module.styledCharsFromTokens(original.module.tokenize(sample));
			expect(chars).toEqual(published);
			expect(patched.module.styledCharsToString(chars)).toBe(original.module.styledCharsToString(published));
		}

		// A line that stops at a width (Ink's own slicing) stops at the same character.
		for (const sample of samples.slice(0, 60)) {
			expect(patched.module.tokenize(sample, 7)).toEqual(original.module.tokenize(sample, 7));
		}
	});

	test("Ink's output caches kept across frames: every frame is still its own text", async () => {
		const patched = await bundled<{default: OutputClass}>(
			'ink-output-patched',
			"export {default} from './node_modules/ink/build/output.js';",
			[inkCachesAcrossFrames, memoizedStringWidth],
		);
		const original = await bundled<{default: OutputClass}>(
			'ink-output',
			"export {default} from './node_modules/ink/build/output.js';",
			[],
		);
		expect(patched.text).toContain('TwoGenerations');
		const frames = [
			['updated 12:00:01, next 24 s', '› bun-1  ██████████ 100%  古池や'],
			['updated 12:00:01, next 23 s', '› bun-1  ██████████ 100%  古池や'],
			['\u001B[1mbold\u001B[22m next 22 s', '  bun-2  ████░░░░░░  40%'],
			['updated 12:00:01, next 24 s', '› bun-1  ██████████ 100%  古池や'],
		];
		// More distinct lines than a generation holds: old ones are dropped, and come back right when drawn again.
		for (let frame = 0; frame < 900; frame++) {
			frames.push([`updated 12:${String(frame % 60).padStart(2, '0')}:01, next ${frame} s`, frames[frame % 4]![1]!]);
		}

		for (const lines of frames) {
			const render = (Output: OutputClass) => {
				const output = new Output({width: 60, height: 3});
				for (const [index, line] of lines.entries()) {
					output.write(0, index, line, {transformers: []});
				}

				return output.get();
			};

			expect(render(patched.module.default)).toEqual(render(original.module.default));
		}
	});

	test('yoga-layout decodes its own wasm, without fetch, and lays out as before', async () => {
		type Yoga = {
			default: {
				Node: {create(): {setWidth(width: number): void; calculateLayout(): void; getComputedWidth(): number}};
			};
		};
		const {module, text} = await bundled<Yoga>('yoga', "export {default} from 'yoga-layout';", [yogaWithoutFetch]);
		expect(text).not.toContain('typeof fetch');
		const node = module.default.Node.create();
		node.setWidth(42);
		node.calculateLayout();
		expect(node.getComputedWidth()).toBe(42);
	});
});
