/**
 * Runs one command definition: parses argv (global flags may appear anywhere), runs it and returns its exit code.
 * Every failure is one line on stderr, never a stack trace. Apart from index.ts (which lists every command) so that
 * the bin's fast path can run `history` without loading the other commands.
 */
import {isAppError} from '../core/app-error.js';
import {type ParsedCommand, parseCommandArgs, wantsHelp} from './args.js';
import {type CommandDefinition, commandInput} from './command.js';
import type {CommandContext, CommandStream} from './context.js';
import {CommandFailure, exitCodes, InterruptedError, UsageError} from './exit-codes.js';
import {commandHelp} from './help.js';
import {lostOutputLine, oneLine} from './output.js';
import {withRunFlags} from './run-flags.js';

function errorLine(error: unknown): string {
	if (isAppError(error)) {
		return error.toLine();
	}

	const message = error instanceof Error ? error.message : String(error);
	return `unexpected error: ${oneLine(message.split('\n')[0] ?? message)}`;
}

/** One line on stderr for a failed command, unless stdout's reader went away; returns the exit code. */
export function failCommand(context: CommandContext, line: string, code: number): number {
	if (context.io.isOutputClosed?.()) {
		// The reader of stdout went away (`| head`): stopping is expected, not an error to report.
		return code;
	}

	context.io.stderr.write(`bundledeck: ${oneLine(line)}\n`);
	return code;
}

/** Runs one command: its --help, or its flags parsed and its run; every failure one line; returns the exit code. */
export async function runDefinition(
	command: CommandDefinition,
	argv: string[],
	context: CommandContext,
): Promise<number> {
	const {stdout} = context.io;
	const fail = (line: string, code: number) => failCommand(context, line, code);
	if (wantsHelp(argv)) {
		stdout.write(commandHelp(command.spec));
		return exitCodes.ok;
	}

	let parsed: ParsedCommand;
	try {
		parsed = parseCommandArgs(command.spec, argv, context.io.env);
	} catch (error) {
		return fail(error instanceof UsageError ? error.message : errorLine(error), exitCodes.usage);
	}

	if (context.signal?.aborted) {
		return fail('interrupted', exitCodes.interrupted);
	}

	const input = commandInput(parsed, context);
	const output = watchOutput(stdout);
	try {
		const code = await command.run(input);
		const failed = await output.failure();
		return failed ? fail(failed, exitCodes.failed) : code;
	} catch (error) {
		const [classified, code] = classify(error, context.signal);
		const line = withRunFlags(classified, parsed.globals);
		if (parsed.globals.json && code === exitCodes.failed && !input.print.printedJson) {
			// Scripts reading stdout get a JSON document either way.
			input.print.json({error: errorJson(error, line)});
		}

		return fail(line, code);
	} finally {
		output.stop();
	}
}

/**
 * Write errors on stdout other than a closed pipe (a full disk, `> /dev/full`): the output was lost, so the
 * command failed whatever it did. A closed pipe is the reader stopping on purpose (handled by the caller).
 */
function watchOutput(stdout: CommandStream): {failure(): Promise<string | undefined>; stop(): void} {
	let lost: NodeJS.ErrnoException | undefined;
	const onError = (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
			lost ??= error;
		}
	};

	stdout.on('error', onError);
	return {
		async failure() {
			// An empty write's callback runs once everything before it was written (or failed).
			await new Promise<void>((resolve) => {
				if ((stdout as {destroyed?: boolean}).destroyed) {
					resolve();
					return;
				}

				stdout.write('', () => {
					resolve();
				});
			});
			return lost ? lostOutputLine(lost) : undefined;
		},
		stop() {
			stdout.off('error', onError);
		},
	};
}

function classify(error: unknown, signal: AbortSignal | undefined): [string, number] {
	if (error instanceof UsageError) {
		return [error.message, exitCodes.usage];
	}

	if (error instanceof InterruptedError) {
		return [error.message, exitCodes.interrupted];
	}

	if (signal?.aborted) {
		return ['interrupted', exitCodes.interrupted];
	}

	if (error instanceof CommandFailure) {
		return [error.message, error.exitCode];
	}

	return [errorLine(error), exitCodes.failed];
}

/** The JSON error document: {"error": {"code", "message", "requestId": string|null}} */
function errorJson(error: unknown, line: string): {code: string; message: string; requestId: string | null} {
	if (isAppError(error)) {
		return {code: error.code, message: line, requestId: error.requestId ?? null};
	}

	return {code: error instanceof CommandFailure ? 'CommandFailed' : 'UnexpectedError', message: line, requestId: null};
}
