/**
 * One command run as the whole process: its streams, Ctrl+C / kill / a closed terminal stop it (exit 130), a reader
 * that went away (`bundledeck tasks | head -1`) stops it quietly (exit 0). Shared by main.tsx and the bin's fast path.
 */
import {writeSync} from 'node:fs';
import type {CommandContext} from './commands/context.js';

/** One line on stderr; returns the exit code. */
export function fail(line: string, code: number): number {
	process.stderr.write(`bundledeck: ${line}\n`);
	return code;
}

/**
 * Writes a help text on stdout with write(2) itself: process.stdout would load node:stream, a few milliseconds of
 * `--help`'s start-up. A reader that went away (`bundledeck --help | head -1`) ends it quietly, as it does a command.
 */
export function writeHelp(text: string): number {
	const bytes = Buffer.from(text);
	let written = 0;
	try {
		while (written < bytes.length) {
			written += writeSync(1, bytes, written);
		}
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EAGAIN') {
			// A full non-blocking pipe: the stream waits until the reader makes room.
			process.stdout.on('error', () => undefined).write(bytes.subarray(written));
		} else if (code !== 'EPIPE' && code !== 'EBADF') {
			return fail(`could not write to standard output (${code ?? String(error)})`, 1);
		}
	}

	return 0;
}

export async function runAsProcess(
	run: (context: CommandContext) => Promise<number>,
	sessions: Pick<CommandContext, 'openSession' | 'openHistory'>,
): Promise<number> {
	const controller = new AbortController();
	const interrupt = () => {
		controller.abort();
	};

	// A reader that went away: stop quietly, exit 0, no EPIPE stack trace.
	let outputClosed = false;
	const onOutputError = (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
			outputClosed = true;
			controller.abort();
		}
	};

	// Kill and a closed terminal stop a command like Ctrl+C (an in-process sandbox is saved); kept to the end, as in
	// run-dashboard.tsx.
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) {
		process.on(signal, interrupt);
	}

	process.stdout.on('error', onOutputError);
	try {
		const code = await run({
			io: {
				stdout: process.stdout,
				stderr: process.stderr,
				// Read when asked: creating process.stdin costs start-up time that `tasks --json` never needs.
				get stdinIsTTY() {
					return Boolean(process.stdin.isTTY);
				},
				env: process.env,
				isOutputClosed: () => outputClosed,
			},
			...sessions,
			signal: controller.signal,
		});
		return outputClosed ? 0 : code;
	} finally {
		for (const signal of signals) {
			process.off(signal, interrupt);
		}
	}
}
