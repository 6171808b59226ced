/**
 * The scriptable commands: `runCommand(name, argv, context)` parses argv (global flags may appear anywhere),
 * runs the command and returns its exit code. Every failure is one line on stderr, never a stack trace.
 * `sandbox` is not here: the CLI calls runSandboxCommand directly.
 */
import {isAppError} from '../core/app-error.js';
import {commandHelp, type ParsedCommand, parseCommandArgs, wantsHelp} from './args.js';
import {bundleCommand} from './bundle.js';
import {cancelCommand} from './cancel.js';
import {type CommandDefinition, commandInput} from './command.js';
import type {CommandContext} from './context.js';
import {copyImageCommand} from './copy-image.js';
import {CommandFailure, exitCodes, exitCodesHelp, InterruptedError, UsageError} from './exit-codes.js';
import {historyCommand} from './history.js';
import {migrateCommand} from './migrate.js';
import {oneLine} from './output.js';
import {registerCommand} from './register.js';
import {tasksCommand} from './tasks.js';
import {waitCommand} from './wait.js';

export type {CommandContext, CommandIo} from './context.js';
export {exitCodes} from './exit-codes.js';

const commands: readonly CommandDefinition[] = [
	bundleCommand,
	tasksCommand,
	waitCommand,
	cancelCommand,
	registerCommand,
	migrateCommand,
	copyImageCommand,
	historyCommand,
];

export const commandNames = commands.map((command) => command.spec.name) as readonly string[];

/** The command list for the top-level --help. */
export function usage(): string {
	const list = commands.flatMap((command) => [
		`  ${command.spec.usage[0] ?? command.spec.name}`,
		`      ${command.spec.summary}`,
	]);
	return [
		'Commands',
		...list,
		'',
		'Every command takes --json (only JSON on stdout, no prompts) and the global flags --profile, --region,',
		'--endpoint-url, --sandbox, --sandbox-dir, --sandbox-reset, --no-color. See bundledeck <command> --help.',
		'With --json a failure (exit 1) also prints {"error": {"code", "message", "requestId": string|null}} on stdout.',
		'',
		exitCodesHelp,
		'',
	].join('\n');
}

export function commandHelpText(name: string): string | undefined {
	const command = commands.find((candidate) => candidate.spec.name === name);
	return command ? commandHelp(command.spec, exitCodesHelp) : undefined;
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
		return fail(`unknown command '${name}' (commands: ${commandNames.join(', ')}, sandbox)`, exitCodes.usage);
	}

	if (wantsHelp(argv)) {
		stdout.write(commandHelp(command.spec, exitCodesHelp));
		return exitCodes.ok;
	}

	let parsed: ParsedCommand;
	try {
		parsed = parseCommandArgs(command.spec, argv);
	} catch (error) {
		return fail(error instanceof UsageError ? error.message : errorLine(error), exitCodes.usage);
	}

	if (context.signal?.aborted) {
		return fail('interrupted', exitCodes.interrupted);
	}

	const input = commandInput(parsed, context);
	try {
		return await command.run(input);
	} catch (error) {
		const [line, code] = classify(error, context.signal);
		if (parsed.globals.json && code === exitCodes.failed && !input.print.printedJson) {
			// Scripts reading stdout get a JSON document either way.
			input.print.json({error: errorJson(error, line)});
		}

		return fail(line, code);
	}
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
