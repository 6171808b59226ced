/**
 * `sandbox start|stop|status|logs` as command specs of the one parser (routing, flags, help); the service code
 * itself (sandbox-service.ts) loads only when one of them runs.
 */
import type {CommandSpec} from './args.js';
import type {CommandDefinition} from './command.js';

export const serviceActions = ['start', 'stop', 'status', 'logs'] as const;
export type ServiceAction = (typeof serviceActions)[number];

export function isServiceAction(word: string | undefined): word is ServiceAction {
	return (serviceActions as readonly string[]).includes(word ?? '');
}

const dirFlag = {
	type: 'string',
	value: 'D',
	description: 'data directory (default: $BUNDLEDECK_SANDBOX_DIR, else the OS data dir)',
} as const;

const about = [
	'Manages the sandbox region running in the background for a data directory. Every --sandbox command (and',
	'npm start) attaches to it, and starts it when none runs; tasks progress while no client is attached.',
];

export const serviceSpecs: Record<ServiceAction, CommandSpec> = {
	start: {
		name: 'sandbox start',
		summary: 'start the sandbox region in the background (log: <dir>/sandbox.log)',
		usage: ['sandbox start [--port N] [--dir D] [--json]'],
		details: about,
		flags: {port: {type: 'string', value: 'N', description: 'port on 127.0.0.1 (default: a free port)'}, dir: dirFlag},
		positionals: {names: '', min: 0, max: 0},
		globals: ['json', 'no-color'],
		startsSandbox: true,
		examples: ['bundledeck sandbox start --port 4566'],
	},
	stop: {
		name: 'sandbox stop',
		summary: 'stop the background sandbox region; its state is saved in the data directory',
		usage: ['sandbox stop [--dir D] [--json]'],
		details: about,
		flags: {dir: dirFlag},
		positionals: {names: '', min: 0, max: 0},
		globals: ['json', 'no-color'],
	},
	status: {
		name: 'sandbox status',
		summary: 'endpoint, pid, uptime, tasks, data directory and client keys of the background sandbox',
		usage: ['sandbox status [--dir D] [--json]'],
		details: [...about, 'Exit 3 when no sandbox region runs for the directory.'],
		flags: {dir: dirFlag},
		positionals: {names: '', min: 0, max: 0},
		globals: ['json', 'no-color'],
	},
	logs: {
		name: 'sandbox logs',
		summary: "print the background sandbox region's log",
		usage: ['sandbox logs [-f | --json] [--dir D]'],
		details: about,
		flags: {
			follow: {type: 'boolean', short: 'f', description: 'keep printing what it logs until Ctrl+C'},
			dir: dirFlag,
		},
		positionals: {names: '', min: 0, max: 0},
		globals: ['json', 'no-color'],
	},
};

function serviceCommand(action: ServiceAction): CommandDefinition {
	return {
		spec: serviceSpecs[action],
		async run(input) {
			const {runServiceAction} = await import('./sandbox-service.js');
			return runServiceAction(action, input.parsed, input.context.io);
		},
	};
}

export const serviceCommands: readonly CommandDefinition[] = serviceActions.map((action) => serviceCommand(action));
