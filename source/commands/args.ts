/**
 * The one argument parser: node:util parseArgs in strict mode over a CommandSpec (its flags, the global flags it
 * takes, its positionals). The dashboard, every command and `sandbox` are specs; every help text is generated from
 * them (help.ts). Every problem becomes a UsageError naming the flag (exit 2).
 *
 * To add a command: write a CommandSpec + run and list it in index.ts. A subcommand is one more spec whose name has
 * two words ('sandbox status'); the router picks the longest name the words match. A duration flag declares its
 * `range`; a flag that only some commands take goes in that command's `flags`, not in globalFlags.
 */
import {parseArgs} from 'node:util';
import {validateRegion} from '../core/validation.js';
import {sandboxEnvProblem} from '../sandbox/env-check.js';
import type {GlobalOptions} from '../session.js';
import {closestCommand} from './did-you-mean.js';
import {type DurationRange, parseDurationFlag} from './durations.js';
import {UsageError} from './exit-codes.js';
import {type ArgOption, type ParsedArgs, parsePlainArgs} from './plain-args.js';

export type FlagSpec = {
	type: 'string' | 'boolean';
	multiple?: boolean;
	short?: string;
	/** Placeholder shown in help: --bucket <B> */
	value?: string;
	description: string;
	/** A duration flag (24h, 90m, 30s, 1500ms): refused outside this range before anything runs. */
	range?: DurationRange;
};

export const globalFlags = {
	profile: {type: 'string', value: 'name', description: 'AWS profile (default: AWS_PROFILE, else default)'},
	region: {
		type: 'string',
		multiple: true,
		value: 'region',
		description: 'AWS region (default: AWS_REGION / AWS_DEFAULT_REGION, the profile, else us-east-1)',
	},
	'endpoint-url': {
		type: 'string',
		value: 'url',
		description: 'send EC2 and S3 requests to this endpoint (AWS_ENDPOINT_URL[_EC2|_S3] also work)',
	},
	sandbox: {type: 'boolean', description: 'use the local sandbox region (no AWS account needed)'},
	'sandbox-dir': {
		type: 'string',
		value: 'dir',
		description: 'sandbox data directory (default: BUNDLEDECK_SANDBOX_DIR, else the OS data dir)',
	},
	'sandbox-reset': {type: 'boolean', description: "wipe the sandbox's data (and its local history) first"},
	'no-color': {type: 'boolean', description: 'no colours (NO_COLOR is honoured too)'},
	json: {type: 'boolean', description: 'print only JSON on stdout (implies no prompts)'},
	help: {type: 'boolean', short: 'h', description: 'show this help'},
} satisfies Record<string, FlagSpec>;

export type GlobalFlagName = keyof typeof globalFlags;

/** The global flags of the AWS commands: all of them. */
export const allGlobals = Object.keys(globalFlags) as GlobalFlagName[];

export type CommandSpec = {
	/** The words after `bundledeck` ('tasks', 'sandbox status'); '' is the dashboard. */
	name: string;
	summary: string;
	/** Usage lines without the leading "bundledeck " */
	usage: string[];
	/** More lines of explanation shown under the usage. */
	details?: string[];
	flags: Record<string, FlagSpec>;
	positionals: {names: string; min: number; max: number | undefined};
	/** --region may be repeated (tasks). */
	multiRegion?: boolean;
	/** The global flags this command takes (default: all); --help always works. */
	globals?: readonly GlobalFlagName[];
	/** Starts a sandbox region whatever the flags say (`sandbox`): its BUNDLEDECK_SANDBOX_* settings are checked. */
	startsSandbox?: boolean;
	examples?: string[];
};

export type GlobalFlags = {
	profile: string | undefined;
	regions: string[];
	endpointUrl: string | undefined;
	sandbox: boolean;
	sandboxDir: string | undefined;
	sandboxReset: boolean;
	noColor: boolean;
	json: boolean;
};

export type ParsedCommand = {
	globals: GlobalFlags;
	values: Record<string, string | boolean | string[] | undefined>;
	/** The duration flags given, in milliseconds (already range-checked). */
	durations: Record<string, number>;
	positionals: string[];
};

/** Reads one parsed value (keeps tsc's index-signature rule and biome's literal-key rule both happy). */
function valueAt<T>(values: Record<string, T>, name: string): T | undefined {
	return values[name];
}

/** `bundledeck tasks`, or `bundledeck` for the dashboard. */
export function invocation(spec: CommandSpec): string {
	return spec.name === '' ? 'bundledeck' : `bundledeck ${spec.name}`;
}

/** The global flags a spec takes, in the order help shows them. */
export function specGlobals(spec: Pick<CommandSpec, 'globals'>): Record<string, FlagSpec> {
	const names = new Set<string>([...(spec.globals ?? allGlobals), 'help']);
	const selected: Record<string, FlagSpec> = {};
	for (const [name, flag] of Object.entries(globalFlags)) {
		if (names.has(name)) {
			selected[name] = flag;
		}
	}

	return selected;
}

/** Every flag a spec accepts: its own, then its globals. */
export function specFlags(spec: Pick<CommandSpec, 'flags' | 'globals'>): Record<string, FlagSpec> {
	return {...specGlobals(spec), ...spec.flags};
}

/** The parseArgs option table of a set of flags. */
export function parseOptions(flags: Record<string, FlagSpec>) {
	const options: Record<string, ArgOption> = {};
	for (const [name, flag] of Object.entries(flags)) {
		options[name] = {
			type: flag.type,
			...(flag.multiple ? {multiple: true} : {}),
			...(flag.short ? {short: flag.short} : {}),
		};
	}

	return options;
}

/** True when --help / -h appears before a "--" terminator: help wins over every other problem. */
export function wantsHelp(argv: string[]): boolean {
	for (const arg of argv) {
		if (arg === '--') {
			return false;
		}

		if (arg === '--help' || arg === '-h') {
			return true;
		}
	}

	return false;
}

function describeParseError(error: unknown, spec: CommandSpec): string {
	const message = error instanceof Error ? error.message : String(error);
	const code = error instanceof Error && 'code' in error ? String(error.code) : '';
	const flag = /'(-{1,2}[^'\s,]*)/.exec(message)?.[1];
	const see = `(see ${invocation(spec)} --help)`;
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
		return spec.name === '' ? `unknown flag ${flag} ${see}` : `unknown flag ${flag} for '${invocation(spec)}' ${see}`;
	}

	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
		// "-r, --region <value>": name the long form.
		const long = /--[\w-]+/.exec(message)?.[0] ?? flag;
		return message.includes('does not take an argument')
			? `${long} does not take a value ${see}`
			: `${long} needs a value ${see}`;
	}

	return `${message.split('\n')[0] ?? 'invalid arguments'} ${see}`;
}

function nonEmpty(name: string, value: string | undefined): string | undefined {
	if (value !== undefined && value.trim() === '') {
		throw new UsageError(`--${name} needs a value`);
	}

	return value;
}

/** A single-value flag given twice would silently take the last: refuse it instead. */
function refuseRepeats(
	spec: CommandSpec,
	flags: Record<string, FlagSpec>,
	tokens: ReadonlyArray<{kind: string; name?: string}>,
): void {
	const seen = new Set<string>();
	for (const token of tokens) {
		const flag = token.kind === 'option' && token.name ? flags[token.name] : undefined;
		if (
			!token.name ||
			!flag ||
			flag.type !== 'string' ||
			(flag.multiple && (token.name !== 'region' || spec.multiRegion))
		) {
			continue;
		}

		if (seen.has(token.name)) {
			throw new UsageError(`--${token.name} may be given only once for '${invocation(spec)}'`);
		}

		seen.add(token.name);
	}
}

function unexpectedArgument(spec: CommandSpec, word: string, commandNames: readonly string[]): UsageError {
	if (spec.name === '') {
		const near = closestCommand(word, commandNames);
		const guess = near ? ` — did you mean '${near}'?` : '';
		return new UsageError(`unknown command '${word}'${guess} (see bundledeck --help)`);
	}

	return new UsageError(
		`unexpected argument '${word}' for '${invocation(spec)}' (usage: bundledeck ${spec.usage[0] ?? spec.name})`,
	);
}

/** The first word of argv that is no flag and no flag's value, read without refusing unknown flags. */
function looseFirstPositional(argv: string[], options: Record<string, ArgOption>): string | undefined {
	try {
		return parseArgs({args: argv, options, allowPositionals: true, strict: false}).positionals[0];
	} catch {
		return undefined;
	}
}

/**
 * Parses argv against a spec; env is checked for BUNDLEDECK_SANDBOX_* when a sandbox will start. commandNames (for the
 * dashboard's spec) let an unknown command word suggest the nearest command.
 */
export function parseCommandArgs(
	spec: CommandSpec,
	argv: string[],
	env: NodeJS.ProcessEnv = {},
	commandNames: readonly string[] = [],
): ParsedCommand {
	const flags = specFlags(spec);
	const options = parseOptions(flags);
	let parsed: ParsedArgs;
	try {
		parsed =
			parsePlainArgs(argv, options) ??
			parseArgs({args: argv, options, allowPositionals: true, strict: true, tokens: true});
	} catch (error) {
		// `bundledeck taks --json`: the mistyped command is the news, not the flag the dashboard does not take
		const word = spec.name === '' ? looseFirstPositional(argv, options) : undefined;
		throw word === undefined
			? new UsageError(describeParseError(error, spec))
			: unexpectedArgument(spec, word, commandNames);
	}

	const {values, positionals, tokens} = parsed;
	refuseRepeats(spec, flags, tokens);
	const string = (name: string): string | undefined => {
		const value = valueAt(values, name);
		return typeof value === 'string' ? value : undefined;
	};

	const regionValue = valueAt(values, 'region');
	const regions = (Array.isArray(regionValue) ? regionValue : []).map(String);
	for (const region of regions) {
		const check = validateRegion(region);
		if (!check.ok) {
			throw new UsageError(`--region '${region}' is not an AWS region name: ${check.reason}`);
		}
	}

	const endpointUrl = nonEmpty('endpoint-url', string('endpoint-url'));
	if (endpointUrl !== undefined && !URL.canParse(endpointUrl)) {
		throw new UsageError(`--endpoint-url '${endpointUrl}' is not a URL (like https://ec2.us-east-1.amazonaws.com)`);
	}

	const globals: GlobalFlags = {
		profile: nonEmpty('profile', string('profile')),
		regions: [...new Set(regions)],
		endpointUrl,
		sandbox: valueAt(values, 'sandbox') === true,
		sandboxDir: nonEmpty('sandbox-dir', string('sandbox-dir')),
		sandboxReset: valueAt(values, 'sandbox-reset') === true,
		noColor: valueAt(values, 'no-color') === true,
		json: valueAt(values, 'json') === true,
	};

	if (globals.sandbox && (globals.profile !== undefined || globals.endpointUrl !== undefined)) {
		throw new UsageError('--sandbox cannot be combined with --profile or --endpoint-url');
	}

	if (!globals.sandbox && (globals.sandboxDir !== undefined || globals.sandboxReset)) {
		throw new UsageError('--sandbox-dir and --sandbox-reset need --sandbox');
	}

	if (positionals.length > (spec.positionals.max ?? Number.POSITIVE_INFINITY)) {
		throw unexpectedArgument(spec, positionals[spec.positionals.max ?? 0] ?? '', commandNames);
	}

	const commandValues: ParsedCommand['values'] = {};
	const durations: ParsedCommand['durations'] = {};
	for (const [name, flag] of Object.entries(spec.flags)) {
		const value = valueAt(values, name);
		commandValues[name] = Array.isArray(value) ? value.map(String) : value;
		if (flag.range && typeof value === 'string') {
			durations[name] = parseDurationFlag(name, value, flag.range);
		}
	}

	const sandboxProblem = globals.sandbox || spec.startsSandbox ? sandboxEnvProblem(env) : undefined;
	if (sandboxProblem) {
		throw new UsageError(sandboxProblem);
	}

	return {globals, values: commandValues, durations, positionals};
}

export function sessionOptions(globals: GlobalFlags): GlobalOptions {
	return {
		sandbox: globals.sandbox,
		sandboxDir: globals.sandboxDir,
		sandboxReset: globals.sandboxReset,
		profile: globals.profile,
		region: globals.regions[0],
		endpointUrl: globals.endpointUrl,
	};
}

/** A string flag's value; a given-but-blank value is a usage error. */
export function stringValue(parsed: ParsedCommand, name: string): string | undefined {
	const value = valueAt(parsed.values, name);
	if (typeof value !== 'string') {
		return undefined;
	}

	if (value.trim() === '') {
		throw new UsageError(`--${name} needs a value`);
	}

	return value;
}

export function booleanValue(parsed: ParsedCommand, name: string): boolean {
	return valueAt(parsed.values, name) === true;
}

/** A duration flag's milliseconds (checked against its range while parsing), else the default. */
export function durationValue(parsed: ParsedCommand, name: string, defaultMs: number): number {
	return valueAt(parsed.durations, name) ?? defaultMs;
}
