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
 */
export const memoizedStringWidth = {
	name: 'memoized-string-width',
	setup(context) {
		context.onLoad({filter: /[\\/]string-width[\\/]index\.js$/}, async (args) => {
			const text = await readFile(args.path, 'utf8');
			const declaration = 'export default function stringWidth(';
			if (!text.includes(declaration)) {
				throw new Error(`${args.path} no longer declares ${declaration}: review the memoized-string-width plugin`);
			}

			const contents = `${text.replace(declaration, 'function measuredStringWidth(')}
const rememberedWidths = new Map();
export default function stringWidth(input, options) {
	if (options !== undefined || typeof input !== 'string') {
		return measuredStringWidth(input, options);
	}

	let width = rememberedWidths.get(input);
	if (width === undefined) {
		width = measuredStringWidth(input);
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
 * Ink's output caches (each line's styled characters, string widths) kept from one frame to the next instead of
 * being rebuilt for every frame: a dashboard frame that changes by one clock differs from the last in a line or
 * two. The cached values are only read (placed in the frame's grid); the memory is bounded. With the plugin above:
 * 2.3% -> 1.9% of a core watching 15 active tasks, 1.5% -> 1.1% idle (measured on a 2-core machine).
 */
export const inkCachesAcrossFrames = {
	name: 'ink-caches-across-frames',
	setup(context) {
		context.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, async (args) => {
			const text = await readFile(args.path, 'utf8');
			const field = 'caches = new OutputCaches();';
			if (!text.includes(field)) {
				throw new Error(`${args.path} no longer has ${field}: review the ink-caches-across-frames plugin`);
			}

			const contents = `${text.replace(field, 'caches = cachesAcrossFrames();')}
let sharedCaches = new OutputCaches();
function cachesAcrossFrames() {
	if (sharedCaches.styledChars.size + sharedCaches.widths.size + sharedCaches.blockWidths.size > 20000) {
		sharedCaches = new OutputCaches();
	}

	return sharedCaches;
}
`;
			return {contents, loader: 'js'};
		});
	},
};
