// Builds distribution/ (see bundles.js): the whole CLI (main.js + chunks), the bin's body (cli-body.cjs) and the bin
// (cli.cjs, scripts/bin.cjs) with the body's code cache. `npm run build`.
import {execFileSync} from 'node:child_process';
import {chmod, copyFile, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {build} from 'esbuild';
import {binOptions, bodyHead, buildCliTable, mainOptions, requireBanner} from './bundles.js';

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

await leanBuiltinImports('distribution/cli-body.cjs');
await wrapBody('distribution/cli-body.cjs');
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

/**
 * The bin's body takes only Node's built-ins through esbuild's __toESM (checked here). Its copy of every property
 * (a hundred for fs, more for process) was ~0.4 ms of each `history`. A built-in is never an ES module, so a view
 * whose prototype is the module reads the same properties. Padded to the old length: the source map still fits.
 */
async function leanBuiltinImports(file) {
	const text = await readFile(file, 'utf8');
	const helper =
		/__toESM=\(mod,isNodeMode,target\)=>\(target=mod!=null\?__create\(__getProtoOf\(mod\)\):\{\},__copyProps\(isNodeMode\|\|!mod\|\|!mod\.__esModule\?__defProp\(target,"default",\{value:mod,enumerable:!0\}\):target,mod\)\)/;
	const others = (text.match(/__toESM\([^)]*\)/g) ?? []).filter(
		(call) => !/^__toESM\(require\("node:[\w/]+"\)$/.test(call),
	);
	if (!helper.test(text) || others.length > 0) {
		throw new Error(
			`${file}: esbuild's __toESM changed or takes more than built-ins (${others.join(', ')}): review build.js`,
		);
	}

	const lean = '__toESM=mod=>__create(mod,{default:{value:mod,enumerable:!0}})';
	await writeFile(
		file,
		text.replace(helper, (original) => lean.padEnd(original.length, ' ')),
	);
}

/**
 * The body as the function CommonJS wraps a module in, written so at build time: the bin compiles the file as it is,
 * where wrapping it at every run made a copy of its 100 KB (a string joined, then flattened to compile). The head has
 * a line of its own and the source map one more empty line first, so its line numbers still match.
 */
async function wrapBody(file) {
	const text = await readFile(file, 'utf8');
	await writeFile(file, `${bodyHead}\n${text}\n});\n`);
	const map = JSON.parse(await readFile(`${file}.map`, 'utf8'));
	map.mappings = `;${map.mappings}`;
	await writeFile(`${file}.map`, JSON.stringify(map));
}
