/**
 * `bundledeck history` as the bin's fast path runs it: the history command over the local file, no session.
 * Loaded only for `history`: `--help` does not pay for the history store's modules.
 */
import {heldOutput} from './command-process.js';
import {historyCommand} from './commands/history.js';
import {runDefinition} from './commands/run-command.js';
import {openSessionHistory} from './session-history.js';

export async function runLocalHistory(argv: string[]): Promise<number> {
	// Printed all at once at the end: no node:stream to load, one write of the output.
	const output = heldOutput();
	let code = 1;
	try {
		// Not runAsProcess: reading and printing the file is synchronous, so a Ctrl+C handler (and the AbortController
		// it aborts, 0.3 ms to load) could only run once all is done. Without one, Ctrl+C stops it as it stops `cat`.
		code = await runDefinition(historyCommand, argv, {
			io: {
				...output.io,
				get stdinIsTTY() {
					return Boolean(process.stdin.isTTY);
				},
				env: process.env,
			},
			// `history` opens a session only for --sandbox-reset, which the bin leaves to main.tsx.
			openSession: async () => {
				throw new Error('history opened a session on the fast path');
			},
			openHistory: (options) => openSessionHistory(options, process.env),
		});
	} finally {
		// Also before an unexpected error's line (cli.ts): what the command wrote first is not lost.
		code = output.flush(code);
	}

	return code;
}
