// esbuild plugins of the main build that change how libraries of the dashboard run, never what they produce
// (test/build/bundle-plugins.test.ts checks each against the library as published). Each one fails the build when
// the library no longer has the text it rewrites, so an upgrade is reviewed rather than silently unpatched.
import {readFile} from 'node:fs/promises';

/**
 * yoga-layout (Ink's layout engine) embeds its WebAssembly as a data: URL and fetch()es it where fetch exists: on Node
 * that loads undici and decodes the URL through it, about 40 ms before the dashboard's first frame. Told there is no
 * fetch, it decodes the same bytes itself.
 */
export const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(context) {
		context.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async (args) => {
			const text = await readFile(args.path, 'utf8');
			const contents = text.replaceAll('typeof fetch', 'typeof undefined');
			if (contents === text) {
				throw new Error(`${args.path} no longer tests typeof fetch: review the yoga-without-fetch plugin`);
			}

			return {contents, loader: 'js'};
		});
	},
};

/**
 * string-width (how many columns a string takes) remembered per string. Ink measures every text node, line and
 * character again on every frame, and the dashboard's frame changes once a second by a clock: measuring the same
 * strings again was a tenth of its CPU watching active tasks. A string's width never changes; the memory is bounded.
 * A string new to it whose every character stands alone (no mark, joiner or format character can join two into one
 * cluster: Latin, Greek, Cyrillic, punctuation, arrows, box drawing, blocks, shapes) is the sum of its characters'
 * widths: the table's rows (progress bars, arrows, dots) skip the grapheme segmenter, measured at 14% of that CPU.
 */
export const memoizedStringWidth = {
	name: 'memoized-string-width',
	setup(context) {
		context.onLoad({filter: /[\\/]string-width[\\/]index\.js$/}, async (args) => {
			const text = await readFile(args.path, 'utf8');
			const measured = replaced(args.path, text, [
				['export default function stringWidth(', 'function measuredStringWidth('],
			]);
			const contents = `${measured}
const rememberedWidths = new Map();
const standAloneCharacters = ${standAloneCharacters};
const characterWidths = new Map();
function widthOfCharacters(input) {
	let width = 0;
	for (const character of input) {
		let characterWidth = characterWidths.get(character);
		if (characterWidth === undefined) {
			characterWidth = measuredStringWidth(character);
			characterWidths.set(character, characterWidth);
		}

		width += characterWidth;
	}

	return width;
}

export default function stringWidth(input, options) {
	if (options !== undefined || typeof input !== 'string') {
		return measuredStringWidth(input, options);
	}

	let width = rememberedWidths.get(input);
	if (width === undefined) {
		width = standAloneCharacters.test(input) ? widthOfCharacters(input) : measuredStringWidth(input);
		if (rememberedWidths.size >= 20000) {
			rememberedWidths.clear();
		}

		rememberedWidths.set(input, width);
	}

	return width;
}
`;
			return {contents, loader: 'js'};
		});
	},
};

/**
 * Characters that are each a grapheme cluster of their own whatever surrounds them (test/build/bundle-plugins.test.ts
 * checks every one against Intl.Segmenter): printable ASCII, Latin-1 and Latin Extended without the soft hyphen,
 * Greek and Cyrillic without their combining marks, general punctuation without separators and format characters,
 * super/subscripts, currency, letterlike symbols to miscellaneous symbols and arrows (no combining marks for symbols).
 */
export const standAloneCharacters =
	/^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u0370-\u0482\u048A-\u052F\u2010-\u2027\u2030-\u205E\u2070-\u20CF\u2100-\u2BFF]*$/;

/**
 * Ink's output caches (each line's styled characters, string widths) kept from one frame to the next instead of
 * being rebuilt for every frame: a dashboard frame that changes by one clock differs from the last in a line or
 * two. The cached values are only read (placed in the frame's grid). Two generations bound the memory: when the
 * newer fills, the older is dropped, and what the frames still show comes back from it as it is used (a single
 * map cleared at 20000 lines had grown to 36 000 styled characters, ~10 MB, in 30 s of 20 active tasks). The blank
 * cells each frame's grid starts with are one shared cell, not a new object per cell per frame.
 */
export const inkCachesAcrossFrames = {
	name: 'ink-caches-across-frames',
	setup(context) {
		context.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, async (args) => {
			const text = await readFile(args.path, 'utf8');
			const shared = replaced(args.path, text, [
				['caches = new OutputCaches();', 'caches = sharedCaches;'],
				[
					/row\.push\(\{\s*type: 'char',\s*value: ' ',\s*fullWidth: false,\s*styles: \[\],\s*\}\);/,
					'row.push(blankCell);',
				],
			]);
			const contents = `${shared}
// Every cell a frame starts with: cells are only ever replaced in the grid, never changed.
const blankCell = {type: 'char', value: ' ', fullWidth: false, styles: []};

class TwoGenerations {
	constructor(limit) {
		this.limit = limit;
		this.newer = new Map();
		this.older = new Map();
	}

	get(key) {
		let value = this.newer.get(key);
		if (value === undefined) {
			value = this.older.get(key);
			if (value !== undefined) {
				this.set(key, value);
			}
		}

		return value;
	}

	set(key, value) {
		if (this.newer.size >= this.limit) {
			this.older = this.newer;
			this.newer = new Map();
		}

		this.newer.set(key, value);
	}
}

const sharedCaches = new OutputCaches();
sharedCaches.styledChars = new TwoGenerations(400);
sharedCaches.widths = new TwoGenerations(2000);
sharedCaches.blockWidths = new TwoGenerations(400);
`;
			return {contents, loader: 'js'};
		});
	},
};

/**
 * Ink's styled characters, made and turned back into text with less work and garbage (they were half of a busy
 * dashboard's allocation, about 5 MB/s with 20 active tasks, and a fifth of its main thread):
 * - A line whose every character stands alone (or is an escape) is split by code unit, which is what the grapheme
 *   segmenter gives for it, without the segmenter.
 * - The characters are literals of one shape instead of spreads ({...token, styles}), which gave every character
 *   object a hidden class of its own (V8): 36 000 of them (~8 MB of maps) in 30 s. A run of characters shares its
 *   styles array (never changed in place: each escape makes a new one) instead of a copy per character.
 * - Back to text, the style diff between neighbours whose styles are the same (always empty) is skipped: it built
 *   three Sets and four arrays per character of every frame.
 * The characters have the same fields, in the same order, with the same values, and the text is the same.
 */
export const leanStyledChars = {
	name: 'lean-styled-chars',
	setup(context) {
		context.onLoad({filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/}, async (args) => {
			const text = await readFile(args.path, 'utf8');
			const contents = replaced(args.path, text, [
				[
					/for \(const \{ segment, index \} of segmenter\.segment\(str\)\) \{/,
					`const alone = standAloneOrEscape.test(str);
    const segments = alone ? undefined : segmenter.segment(str)[Symbol.iterator]();
    for (let position = 0; ; ) {
        let segment;
        let index;
        if (alone) {
            if (position >= str.length)
                break;
            index = position;
            segment = str[position++];
        }
        else {
            const next = segments.next();
            if (next.done)
                break;
            ({ segment, index } = next.value);
        }`,
				],
			]);
			// Escapes are controls: a grapheme cluster ends before and after each (Unicode's rules GB4, GB5).
			const standAloneOrEscape = new RegExp(standAloneCharacters.source.replace('^[', '^[\\u001B'));
			return {contents: `${contents}\nconst standAloneOrEscape = ${standAloneOrEscape};\n`, loader: 'js'};
		});
		context.onLoad({filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/}, async (args) => {
			const text = await readFile(args.path, 'utf8');
			const contents = replaced(args.path, text, [
				[
					/ret\.push\(\{\s*\.\.\.token,\s*styles: \[\.\.\.codes\],\s*\}\);/,
					'ret.push({type: token.type, value: token.value, fullWidth: token.fullWidth, styles: codes});',
				],
				[
					/ret \+= ansiCodesToString\(char\.styles\);/,
					"ret += char.styles.length === 0 ? '' : ansiCodesToString(char.styles);",
				],
				[
					/ret \+= ansiCodesToString\(diffAnsiCodes\(chars\[i - 1\]\.styles, char\.styles\)\);/,
					"ret += sameCodes(chars[i - 1].styles, char.styles) ? '' : ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));",
				],
				[
					/ret \+= ansiCodesToString\(diffAnsiCodes\(char\.styles, \[\]\)\);/,
					"ret += char.styles.length === 0 ? '' : ansiCodesToString(diffAnsiCodes(char.styles, []));",
				],
			]);
			// diffAnsiCodes reads only each code's code and endCode: equal ones in the same order diff to nothing.
			return {
				contents: `${contents}
function sameCodes(from, to) {
	if (from === to) {
		return true;
	}

	if (from.length !== to.length) {
		return false;
	}

	for (let index = 0; index < from.length; index++) {
		if (from[index].code !== to[index].code || from[index].endCode !== to[index].endCode) {
			return false;
		}
	}

	return true;
}
`,
				loader: 'js',
			};
		});
	},
};

/**
 * `text` with each pattern (a string or a regular expression, its first match) replaced, or an error naming the file
 * when the library no longer has one of them.
 */
function replaced(file, text, replacements) {
	let contents = text;
	for (const [pattern, replacement] of replacements) {
		if (typeof pattern === 'string' ? !contents.includes(pattern) : !pattern.test(contents)) {
			throw new Error(`${file} no longer matches ${pattern}: review scripts/bundle-plugins.js`);
		}

		contents = contents.replace(pattern, replacement);
	}

	return contents;
}
