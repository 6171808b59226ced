#!/usr/bin/env node
/**
 * The bin. Its fast path answers `--help`, `<command> --help` and `history` (without --sandbox-reset) from one small
 * file: the help texts and the routing table are computed at build time (cli-table.ts) and history is a local file.
 * Everything else loads the whole CLI (main.tsx). Built on its own by scripts/bundles.js, so that nothing here is
 * shared with main's chunks: a shared module would cost one more file to load on every fast run.
 */
import {fail, runAsProcess} from './command-process.js';
import {wantsHelp} from './commands/args.js';
import {cliTable} from './commands/cli-table.js';
import {historyCommand} from './commands/history.js';
import {findRoute} from './commands/route.js';
import {runDefinition} from './commands/run-command.js';
import {firstLine} from './core/app-error.js';
import {openSessionHistory} from './session-history.js';

async function history(argv: string[]): Promise<number> {
	return runAsProcess((context) => runDefinition(historyCommand, argv, context), {
		// `history` opens a session only for --sandbox-reset, which main.tsx runs.
		openSession: async () => {
			throw new Error('history opened a session on the fast path');
		},
		openHistory: (options) => openSessionHistory(options, process.env),
	});
}

async function fastPath(argv: string[]): Promise<number | undefined> {
	const table = cliTable();
	const found = findRoute(argv, table.routes);
	if (wantsHelp(argv)) {
		process.stdout.write(table.help[found.kind === 'command' ? found.name : ''] ?? '');
		return 0;
	}

	if (found.kind === 'command' && found.name === 'history' && !argv.includes('--sandbox-reset')) {
		return history(found.rest);
	}

	return undefined;
}

// No top-level await: the bin is CommonJS (see scripts/bundles.js).
fastPath(process.argv.slice(2))
	.then(async (code) => {
		if (code === undefined) {
			await import('./main.js');
		} else {
			process.exitCode = code;
		}
	})
	.catch((error: unknown) => {
		process.exitCode = fail(`unexpected error: ${firstLine(error)}`, 1);
	});
