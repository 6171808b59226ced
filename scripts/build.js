// Builds distribution/ (see bundles.js): the whole CLI (main.js + chunks) and the bin (cli.cjs). `npm run build`.
import {readFile, rm, writeFile} from 'node:fs/promises';
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
