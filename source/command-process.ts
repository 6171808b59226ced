/**
 * One command run as the whole process: its streams, Ctrl+C / kill / a closed terminal stop it (exit 130), a reader
 * that went away (`bundledeck tasks | head -1`) stops it quietly (exit 0). Shared by main.tsx and the bin's fast path.
 */
import {writeSync} from 'node:fs';
import type {CommandContext, CommandIo, CommandStream} from './commands/context.js';
import {lostOutputLine} from './commands/output.js';

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
	const written = writeOut(1, [text]);
	return typeof written === 'string'
		? 0
		: fail(`could not write to standard output (${written.code ?? String(written)})`, 1);
}

/** All of `texts`, in order, on fd 1 or 2 with write(2): written, its reader went away (closed), or the error that stopped it. */
function writeOut(fd: 1 | 2, texts: string[]): 'written' | 'closed' | NodeJS.ErrnoException {
	// Encoded one by one: joined first, the strings would be copied into one more on the heap (a 100 KB history);
	// Buffer.concat copies outside it
	const bytes = texts.length === 1 ? Buffer.from(texts[0]!) : Buffer.concat(texts.map((text) => Buffer.from(text)));
	let written = 0;
	try {
		// At least one write, even of nothing: as process.stdout's empty write does, it finds a full disk before any byte.
		do {
			written += writeSync(fd, bytes, written);
		} while (written < bytes.length);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EAGAIN') {
			// A full non-blocking pipe: the stream waits until the reader makes room.
			(fd === 1 ? process.stdout : process.stderr).on('error', () => undefined).write(bytes.subarray(written));
		} else if (code === 'EPIPE' || code === 'EBADF') {
			return 'closed';
		} else {
			return error as NodeJS.ErrnoException;
		}
	}

	return 'written';
}

/**
 * stdout and stderr held in memory, in the order written, and written with write(2) when the command is done: for a
 * command that prints all at once (`history`), process.stdout would load node:stream, a few milliseconds of start-up,
 * and the output goes out in one write per stream. A reader that went away ends it quietly, as in runAsProcess.
 */
export function heldOutput(): {io: Pick<CommandIo, 'stdout' | 'stderr'>; flush: (code: number) => number} {
	const chunks: Array<{fd: 1 | 2; texts: string[]}> = [];
	const stream = (fd: 1 | 2): CommandStream => {
		const held = {
			// Not a terminal: it is a buffer, so nothing is drawn in place (no progress line). node:tty's isatty would
			// load node:net and node:stream, the cost this avoids.
			isTTY: false,
			// What runDefinition asks of stdout: write errors come out of flush() instead.
			on: () => held,
			off: () => held,
			write(chunk: string | Uint8Array, done?: () => void) {
				const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
				const last = chunks.at(-1);
				if (last?.fd === fd) {
					last.texts.push(text);
				} else {
					chunks.push({fd, texts: [text]});
				}

				done?.();
				return true;
			},
		};
		// Only write(), on(), off() and isTTY are used by the commands run this way (runDefinition, the printer).
		return held as unknown as CommandStream;
	};

	return {
		io: {stdout: stream(1), stderr: stream(2)},
		flush(code) {
			for (const {fd, texts} of chunks) {
				const written = writeOut(fd, texts);
				// stderr's errors are ignored, as process.stderr's are.
				if (fd === 2 || written === 'written') {
					continue;
				}

				// A reader that went away stops it quietly with 0, as runAsProcess does; other errors lost the output.
				return written === 'closed' ? 0 : fail(lostOutputLine(written), 1);
			}

			return code;
		},
	};
}

export async function runAsProcess(
	run: (context: CommandContext) => Promise<number>,
	sessions: Pick<CommandContext, 'openSession' | 'openHistory'>,
	/** Streams in place of process.stdout and process.stderr (heldOutput), whose errors are their owner's. */
	streams?: Pick<CommandIo, 'stdout' | 'stderr'>,
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

	if (!streams) {
		process.stdout.on('error', onOutputError);
	}

	try {
		const code = await run({
			io: {
				stdout: streams?.stdout ?? process.stdout,
				stderr: streams?.stderr ?? process.stderr,
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
