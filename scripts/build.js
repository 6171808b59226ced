// Builds distribution/ (see bundles.js): the whole CLI (main.js + chunks), the bin's body (cli-body.cjs) and the bin
// (cli.cjs, scripts/bin.cjs) with the body's code cache. `npm run build`.
import {execFileSync} from 'node:child_process';
import {chmod, copyFile, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {build} from 'esbuild';
import {binOptions, buildCliTable, mainOptions, requireBanner} from './bundles.js';

await rm('distribution', {recursive: true, force: true});
const results = [await build(mainOptions()), await build(binOptions(await buildCliTable()))];

// Only the chunks that call require() keep the banner: creating a require costs start-up time in every chunk
// loaded. The banner's line stays (empty) so the source maps' line numbers still match.
for (const result of results) {
	for (const file of Object.keys(result.metafile.outputs).filter((name) => name.endsWith('.js'))) {
		const text = await readFile(file, 'utf8');
		const body = text.replace(requireBanner, '');
		if (!/\brequire\b/.test(body)) {
			await writeFile(file, body);
		}
	}
}

await copyFile('scripts/bin.cjs', 'distribution/cli.cjs');
await chmod('distribution/cli.cjs', 0o755);
// The body's code cache, made by this Node after a run of `history --json` (an empty history of its own).
const cacheFile = path.resolve('distribution/cli-body.cjs.cache');
const home = await mkdtemp(path.join(tmpdir(), 'bundledeck-build-'));
try {
	execFileSync(process.execPath, ['distribution/cli.cjs', 'history', '--json'], {
		env: {...process.env, HOME: home, BUNDLEDECK_CONFIG_DIR: home, BUNDLEDECK_WRITE_CODE_CACHE: cacheFile},
		stdio: 'ignore',
	});
} finally {
	await rm(home, {recursive: true, force: true});
}
