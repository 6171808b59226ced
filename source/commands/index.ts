/**
 * The scriptable commands: `route(argv)` finds the command word, `runCommand(name, argv, context)` parses argv
 * (global flags may appear anywhere), runs the command and returns its exit code. Every failure is one line on
 * stderr, never a stack trace.
 */
import type {CommandSpec} from './args.js';
import {bundleCommand} from './bundle.js';
import {cancelCommand} from './cancel.js';
import type {CommandDefinition} from './command.js';
import type {CommandContext} from './context.js';
import {copyImageCommand} from './copy-image.js';
import {dashboardSpec} from './dashboard-spec.js';
import {exitCodes} from './exit-codes.js';
import {commandHelp, commandList, topLevelHelp} from './help.js';
import {historyCommand} from './history.js';
import {migrateCommand} from './migrate.js';
import {registerCommand} from './register.js';
import {restoreCommand} from './restore.js';
import {findRoute, type Route} from './route.js';
import {failCommand, runDefinition} from './run-command.js';
import {sandboxCommand} from './sandbox.js';
import {serviceCommands} from './sandbox-service-specs.js';
import {storeCommand} from './store.js';
import {tasksCommand} from './tasks.js';
import {waitCommand} from './wait.js';

export type {CommandContext, CommandIo} from './context.js';
export {exitCodes} from './exit-codes.js';
export {findRoute, type Route} from './route.js';

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

export function route(argv: string[]): Route {
	return findRoute(argv, allSpecs);
}

/** Runs the command `name` (its --help, or its flags parsed and its run); returns the exit code. */
export async function runCommand(name: string, argv: string[], context: CommandContext): Promise<number> {
	const command = commands.find((candidate) => candidate.spec.name === name);
	if (!command) {
		return failCommand(context, `unknown command '${name}' (commands: ${commandNames.join(', ')})`, exitCodes.usage);
	}

	return runDefinition(command, argv, context);
}
