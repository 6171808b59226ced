// The two esbuild builds of distribution/ (scripts/build.js runs them; test/build checks what the bin loads).
// main: source/main.tsx, the whole CLI, ES modules with code splitting so each command loads only what it needs.
// bin: source/cli.ts -> distribution/cli-body.cjs, one file with the help texts and routing table computed at build
// time and `history`, run by distribution/cli.cjs (scripts/bin.cjs), which imports main.js for everything else. A
// separate build: esbuild puts a module shared by several entry points in a chunk of its own, and every chunk is one
// more file to load on the fast path. CommonJS: Node 20 starts a CommonJS main file several milliseconds sooner than
// an ES module (no ES module loader to set up).
// React and the libraries run in production mode (NODE_ENV fixed at build time). Source maps next to every file.
import {rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {inkCachesAcrossFrames, leanStyledChars, memoizedStringWidth, yogaWithoutFetch} from './bundle-plugins.js';

// The bundled CommonJS libraries (the AWS SDK's credential providers, React) call require() for Node's built-ins.
// Created on the first call: createRequire costs start-up time that `--help` and `history` need not pay.
export const requireBanner =
	"import {createRequire as __bundledeckCreateRequire} from 'node:module'; let __bundledeckRequire; function require(id) { __bundledeckRequire ??= __bundledeckCreateRequire(import.meta.url); return __bundledeckRequire(id); }";

const common = {
	bundle: true,
	format: 'esm',
	platform: 'node',
	// The ES module builds (the AWS SDK's dist-es) let esbuild keep only the commands bundledeck sends.
	mainFields: ['module', 'main'],
	target: 'node20',
	sourcemap: true,
	minifySyntax: true,
	minifyWhitespace: true,
	legalComments: 'linked',
	logLevel: 'warning',
	define: {'process.env.NODE_ENV': '"production"'},
	// Ink loads it only with DEV=true (React DevTools); it is not installed, as before the bundle.
	external: ['react-devtools-core'],
	metafile: true,
};

/** The whole CLI: distribution/main.js and its chunks. */
export function mainOptions(outdir = 'distribution') {
	return {
		...common,
		entryPoints: {main: 'source/main.tsx'},
		outdir,
		chunkNames: 'chunks/[name]-[hash]',
		splitting: true,
		banner: {js: requireBanner},
		plugins: [yogaWithoutFetch, memoizedStringWidth, inkCachesAcrossFrames, leanStyledChars],
	};
}

/** cliTable() of source/commands/cli-table.ts, run once here so that the bin carries its value. */
export async function buildCliTable() {
	const result = await build({
		...common,
		entryPoints: ['source/commands/cli-table.ts'],
		sourcemap: false,
		legalComments: 'none',
		metafile: false,
		write: false,
		banner: {js: requireBanner},
		// cliTable() reads the specs only: what a command loads when it runs stays out.
		plugins: [
			{
				name: 'dynamic-imports-stay-out',
				setup(context) {
					context.onResolve({filter: /.*/}, (args) =>
						args.kind === 'dynamic-import' ? {path: args.path, external: true} : undefined,
					);
				},
			},
		],
	});
	const file = path.join(tmpdir(), `bundledeck-cli-table-${process.pid}.mjs`);
	await writeFile(file, result.outputFiles[0].contents);
	try {
		const {cliTable} = await import(pathToFileURL(file).href);
		return cliTable();
	} finally {
		await rm(file, {force: true});
	}
}

/** The bin's body starts with this line (build.js): the function Node wraps a CommonJS module in, with its arguments. */
export const bodyHead = '(function (exports, require, module, __filename, __dirname) {';

/** The bin's body: distribution/cli-body.cjs, with `table` (buildCliTable()) in place of the module that computes it. */
export function binOptions(table, outdir = 'distribution') {
	return {
		...common,
		entryPoints: {'cli-body': 'source/cli.ts'},
		outdir,
		format: 'cjs',
		outExtension: {'.js': '.cjs'},
		splitting: false,
		// Its one use, createRequire() in crypto-on-demand.ts (Node before 20.16), takes a path as well as a URL.
		define: {...common.define, 'import.meta.url': '__filename'},
		plugins: [
			{
				name: 'bin',
				setup(context) {
					// An object literal: its strings come with the code cache, where JSON.parse made them again at every
					// run (0.5 ms of `history --json`).
					context.onLoad({filter: /[\\/]commands[\\/]cli-table\.ts$/}, () => ({
						contents: `export function cliTable() { return ${JSON.stringify(table)}; }`,
						loader: 'js',
					}));
				},
			},
		],
	};
}
