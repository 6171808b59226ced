// Builds distribution/: source/cli.tsx bundled by esbuild into ES modules with code splitting, so each command
// loads only what it needs (`--help` loads no AWS SDK, sandbox or Ink), with source maps next to every file.
// React and the libraries run in production mode (NODE_ENV fixed at build time). `npm run build` runs this.
import {readFile, rm, writeFile} from 'node:fs/promises';
import {build} from 'esbuild';

// The bundled CommonJS libraries (the AWS SDK's credential providers, React) call require() for Node's built-ins.
// Created on the first call: createRequire costs start-up time that `--help` and `history` need not pay.
const requireBanner =
	"import {createRequire as __bundledeckCreateRequire} from 'node:module'; let __bundledeckRequire; function require(id) { __bundledeckRequire ??= __bundledeckCreateRequire(import.meta.url); return __bundledeckRequire(id); }";

await rm('distribution', {recursive: true, force: true});
const result = await build({
	entryPoints: {cli: 'source/cli.tsx'},
	outdir: 'distribution',
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	splitting: true,
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
	banner: {js: requireBanner},
	metafile: true,
});

// Only the chunks that call require() keep the banner: creating a require costs start-up time in every chunk
// loaded. The banner's line stays (empty) so the source maps' line numbers still match.
for (const file of Object.keys(result.metafile.outputs).filter((name) => name.endsWith('.js'))) {
	const text = await readFile(file, 'utf8');
	const body = text.replace(requireBanner, '');
	if (!/\brequire\b/.test(body)) {
		await writeFile(file, body);
	}
}
