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
import {inkCachesAcrossFrames, memoizedStringWidth, yogaWithoutFetch} from '../../scripts/bundle-plugins.js';

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
		expect(patched.text).toContain('cachesAcrossFrames');
		const frames = [
			['updated 12:00:01, next 24 s', '› bun-1  ██████████ 100%  古池や'],
			['updated 12:00:01, next 23 s', '› bun-1  ██████████ 100%  古池や'],
			['\u001B[1mbold\u001B[22m next 22 s', '  bun-2  ████░░░░░░  40%'],
			['updated 12:00:01, next 24 s', '› bun-1  ██████████ 100%  古池や'],
		];
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
