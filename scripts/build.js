// Builds distribution/: source/cli.tsx bundled by esbuild into ES modules with code splitting, so each command
// loads only what it needs (`--help` loads no AWS SDK, sandbox or Ink), with source maps next to every file.
// React and the libraries run in production mode (NODE_ENV fixed at build time). `npm run build` runs this.
import {rm} from 'node:fs/promises';
import {build} from 'esbuild';

await rm('distribution', {recursive: true, force: true});
await build({
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
	// The bundled CommonJS libraries (the AWS SDK among them) call require() for Node's built-ins.
	banner: {
		js: "import {createRequire as __bundledeckRequire} from 'node:module'; const require = __bundledeckRequire(import.meta.url);",
	},
});
