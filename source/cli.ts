/**
 * The bin's body (distribution/cli-body.cjs, run by scripts/bin.cjs through V8's code cache). Its fast path answers `--help`, `<command> --help` and `history` (without --sandbox-reset) from one small
 * file: the help texts and the routing table are computed at build time (cli-table.ts) and history is a local file.
 * Everything else loads the whole CLI (main.tsx). Built on its own by scripts/bundles.js, so that nothing here is
 * shared with main's chunks: a shared module would cost one more file to load on every fast run.
 */
import {fail, writeHelp} from './command-process.js';
import {wantsHelp} from './commands/args.js';
import {cliTable} from './commands/cli-table.js';
import {routeWith} from './commands/route.js';
import {firstLine} from './core/app-error.js';
import {reportProcessWarnings} from './process-warnings.js';

async function fastPath(argv: string[]): Promise<number | undefined> {
	const table = cliTable();
	const found = routeWith(argv, table.route);
	if (wantsHelp(argv)) {
		return writeHelp(table.help[found.kind === 'command' ? found.name : ''] ?? '');
	}

	if (found.kind === 'command' && found.name === 'history' && !argv.includes('--sandbox-reset')) {
		const {runLocalHistory} = await import('./local-history.js');
		return runLocalHistory(found.rest);
	}

	return undefined;
}

/**
 * Runs the command line. `importMain` loads main.js: an import() written in the bin itself, since this body runs as
 * a vm script, whose own import() Node 20 does not serve without an experimental flag.
 */
export function runCli(importMain: () => Promise<unknown>): void {
	reportProcessWarnings((line) => process.stderr.write(`${line}\n`));
	// No top-level await: the bin is CommonJS (see scripts/bundles.js).
	fastPath(process.argv.slice(2))
		.then(async (code) => {
			if (code === undefined) {
				await importMain();
			} else {
				process.exitCode = code;
			}
		})
		.catch((error: unknown) => {
			process.exitCode = fail(`unexpected error: ${firstLine(error)}`, 1);
		});
}
