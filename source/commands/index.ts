/**
 * The scriptable commands: `route(argv)` finds the command word, `runCommand(name, argv, context)` parses argv
 * (global flags may appear anywhere), runs the command and returns its exit code. Every failure is one line on
 * stderr, never a stack trace.
 */
import {parseArgs} from 'node:util';
import {isAppError} from '../core/app-error.js';
import {
	type CommandSpec,
	type FlagSpec,
	type ParsedCommand,
	parseCommandArgs,
	parseOptions,
	specFlags,
	wantsHelp,
} from './args.js';
import {bundleCommand} from './bundle.js';
import {cancelCommand} from './cancel.js';
import {type CommandDefinition, commandInput} from './command.js';
import type {CommandContext, CommandStream} from './context.js';
import {copyImageCommand} from './copy-image.js';
import {dashboardSpec} from './dashboard-spec.js';
import {CommandFailure, exitCodes, InterruptedError, UsageError} from './exit-codes.js';
import {commandHelp, commandList, topLevelHelp} from './help.js';
import {historyCommand} from './history.js';
import {migrateCommand} from './migrate.js';
import {oneLine} from './output.js';
import {registerCommand} from './register.js';
import {restoreCommand} from './restore.js';
import {withRunFlags} from './run-flags.js';
import {sandboxCommand} from './sandbox.js';
import {serviceCommands} from './sandbox-service-specs.js';
import {storeCommand} from './store.js';
import {tasksCommand} from './tasks.js';
import {waitCommand} from './wait.js';

export type {CommandContext, CommandIo} from './context.js';
export {exitCodes} from './exit-codes.js';

const commands: readonly CommandDefinition[] = [
	bundleCommand,
	storeCommand,
	restoreCommand,
	tasksCommand,
	waitCommand,
	cancelCommand,
	registerCommand,
	migrateCommand,
	copyImageCommand,
	historyCommand,
	sandboxCommand,
	...serviceCommands,
];

export const commandNames = commands.map((command) => command.spec.name) as readonly string[];

/** Every spec: the dashboard first, then the commands. */
export const allSpecs: readonly CommandSpec[] = [dashboardSpec, ...commands.map((command) => command.spec)];

/** The command list for the top-level --help. */
export function usage(): string {
	return commandList(commands.map((command) => command.spec));
}

/** `bundledeck --help`. */
export function helpText(): string {
	return topLevelHelp(dashboardSpec, allSpecs.slice(1));
}

export function commandHelpText(name: string): string | undefined {
	const command = commands.find((candidate) => candidate.spec.name === name);
	return command ? commandHelp(command.spec) : undefined;
}

export type Route = {kind: 'command'; name: string; rest: string[]} | {kind: 'dashboard'};

/**
 * The command in argv: the first words that name one, also after global flags (`bundledeck --sandbox tasks`); the
 * longest name wins ('sandbox status' over 'sandbox'). The rest keeps every other word: flags may come anywhere.
 */
export function findRoute(argv: string[], specs: readonly CommandSpec[]): Route {
	// Every flag any spec knows, so that a flag's value is never taken for the command word.
	const known: Record<string, FlagSpec> = {};
	for (const spec of specs) {
		Object.assign(known, specFlags(spec));
	}

	let tokens: ReturnType<typeof parseArgs>['tokens'];
	try {
		({tokens} = parseArgs({
			args: argv,
			options: parseOptions(known),
			allowPositionals: true,
			strict: false,
			tokens: true,
		}));
	} catch {
		return {kind: 'dashboard'};
	}

	const terminator = tokens.findIndex((token) => token.kind === 'option-terminator');
	const words = tokens.filter(
		(token): token is Extract<typeof token, {kind: 'positional'}> =>
			token.kind === 'positional' && (terminator < 0 || tokens.indexOf(token) < terminator),
	);
	const names = specs.map((spec) => spec.name).filter((name) => name !== '');
	for (const name of names.sort((a, b) => b.split(' ').length - a.split(' ').length)) {
		const parts = name.split(' ');
		if (parts.every((part, index) => words[index]?.value === part)) {
			const used = new Set(words.slice(0, parts.length).map((word) => word.index));
			return {kind: 'command', name, rest: argv.filter((_, index) => !used.has(index))};
		}
	}

	return {kind: 'dashboard'};
}

export function route(argv: string[]): Route {
	return findRoute(argv, allSpecs);
}

function errorLine(error: unknown): string {
	if (isAppError(error)) {
		return error.toLine();
	}

	const message = error instanceof Error ? error.message : String(error);
	return `unexpected error: ${oneLine(message.split('\n')[0] ?? message)}`;
}

export async function runCommand(name: string, argv: string[], context: CommandContext): Promise<number> {
	const {stderr, stdout} = context.io;
	const fail = (line: string, code: number) => {
		if (context.io.isOutputClosed?.()) {
			// The reader of stdout went away (`| head`): stopping is expected, not an error to report.
			return code;
		}

		stderr.write(`bundledeck: ${oneLine(line)}\n`);
		return code;
	};

	const command = commands.find((candidate) => candidate.spec.name === name);
	if (!command) {
		return fail(`unknown command '${name}' (commands: ${commandNames.join(', ')})`, exitCodes.usage);
	}

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
			return lost
				? `could not write to standard output (${lost.code ?? lost.message}${lost.code === 'ENOSPC' ? ': no space left on the device' : ''}), so the output is incomplete — send it somewhere writable`
				: undefined;
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
