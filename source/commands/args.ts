/**
 * Shared argument parsing for the commands: node:util parseArgs in strict mode, the global flags (which may appear
 * anywhere), per-command flags and positionals. Every problem becomes a UsageError naming the flag (exit 2).
 */
import {parseArgs} from 'node:util';
import {validateRegion} from '../core/validation.js';
import type {GlobalOptions} from '../session.js';
import {UsageError} from './exit-codes.js';

export type FlagSpec = {
	type: 'string' | 'boolean';
	multiple?: boolean;
	short?: string;
	/** Placeholder shown in help: --bucket <B> */
	value?: string;
	description: string;
};

export type CommandSpec = {
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
	positionals: string[];
};

export const globalFlags = {
	profile: {type: 'string', value: 'name', description: 'AWS profile (default: AWS_PROFILE, else default)'},
	region: {
		type: 'string',
		multiple: true,
		value: 'region',
		description: 'AWS region (default: AWS_REGION / AWS_DEFAULT_REGION, the profile, else us-east-1)',
	},
	'endpoint-url': {type: 'string', value: 'url', description: 'send EC2 and S3 requests to this endpoint'},
	sandbox: {type: 'boolean', description: 'use the local sandbox region (no AWS account needed)'},
	'sandbox-dir': {type: 'string', value: 'dir', description: 'sandbox data directory'},
	'sandbox-reset': {type: 'boolean', description: "wipe the sandbox's data (and its local history) first"},
	'no-color': {type: 'boolean', description: 'no colours (NO_COLOR is honoured too)'},
	json: {type: 'boolean', description: 'print only JSON on stdout (implies no prompts)'},
	help: {type: 'boolean', short: 'h', description: 'show this help'},
} satisfies Record<string, FlagSpec>;

/** Reads one parsed value (keeps tsc's index-signature rule and biome's literal-key rule both happy). */
function valueAt<T>(values: Record<string, T>, name: string): T | undefined {
	return values[name];
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

function flagNameFrom(message: string): string | undefined {
	const match = /'(-{1,2}[^'\s]*)/.exec(message);
	return match?.[1];
}

function describeParseError(error: unknown, spec: CommandSpec): string {
	const message = error instanceof Error ? error.message : String(error);
	const code = error instanceof Error && 'code' in error ? String(error.code) : '';
	const flag = flagNameFrom(message);
	const see = `(see bundledeck ${spec.name} --help)`;
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
		return `unknown flag ${flag} for 'bundledeck ${spec.name}' ${see}`;
	}

	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
		if (message.includes('does not take an argument')) {
			return `${flag} does not take a value ${see}`;
		}

		return `${flag} needs a value ${see}`;
	}

	return `${message.split('\n')[0] ?? 'invalid arguments'} ${see}`;
}

function nonEmpty(name: string, value: string | undefined): string | undefined {
	if (value !== undefined && value.trim() === '') {
		throw new UsageError(`--${name} needs a value`);
	}

	return value;
}

export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedCommand {
	const options: Record<string, {type: 'string' | 'boolean'; multiple?: boolean; short?: string}> = {};
	const all: Record<string, FlagSpec> = {...globalFlags, ...spec.flags};
	for (const [name, flag] of Object.entries(all)) {
		options[name] = {
			type: flag.type,
			...(flag.multiple ? {multiple: true} : {}),
			...(flag.short ? {short: flag.short} : {}),
		};
	}

	let parsed: {values: Record<string, string | boolean | Array<string | boolean> | undefined>; positionals: string[]};
	try {
		parsed = parseArgs({args: argv, options, allowPositionals: true, strict: true});
	} catch (error) {
		throw new UsageError(describeParseError(error, spec));
	}

	const {values, positionals} = parsed;
	const string = (name: string): string | undefined => {
		const value = valueAt(values, name);
		return typeof value === 'string' ? value : undefined;
	};

	const regions = (() => {
		const value = valueAt(values, 'region');
		return Array.isArray(value) ? value : [];
	})().map(String);
	if (!spec.multiRegion && regions.length > 1) {
		throw new UsageError(`--region may be given only once for 'bundledeck ${spec.name}'`);
	}

	for (const region of regions) {
		const check = validateRegion(region);
		if (!check.ok) {
			throw new UsageError(`--region '${region}': ${check.reason}`);
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
		const extra = positionals[spec.positionals.max ?? 0] ?? '';
		throw new UsageError(
			`unexpected argument '${extra}' for 'bundledeck ${spec.name}' (usage: bundledeck ${spec.usage[0] ?? spec.name})`,
		);
	}

	const commandValues: ParsedCommand['values'] = {};
	for (const name of Object.keys(spec.flags)) {
		const value = valueAt(values, name);
		commandValues[name] = Array.isArray(value) ? value.map(String) : value;
	}

	return {globals, values: commandValues, positionals};
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

function flagLabel(name: string, flag: FlagSpec): string {
	const short = flag.short ? `-${flag.short}, ` : '';
	return `${short}--${name}${flag.type === 'string' ? ` <${flag.value ?? 'value'}>` : ''}`;
}

function flagLines(flags: Record<string, FlagSpec>): string[] {
	const labels = Object.entries(flags).map(([name, flag]) => [flagLabel(name, flag), flag.description] as const);
	const width = Math.max(...labels.map(([label]) => label.length)) + 2;
	return labels.map(([label, description]) => `  ${label.padEnd(width)}${description}`);
}

/** The --help text of a command: usage, what it does, its flags, the global flags, exit codes. */
export function commandHelp(spec: CommandSpec, exitCodesText: string): string {
	const lines = [
		`bundledeck ${spec.name} — ${spec.summary}`,
		'',
		'Usage',
		...spec.usage.map((usage) => `  $ bundledeck ${usage}`),
	];
	if (spec.details && spec.details.length > 0) {
		lines.push('', ...spec.details.map((line) => (line === '' ? '' : `  ${line}`)));
	}

	if (Object.keys(spec.flags).length > 0) {
		lines.push('', 'Flags', ...flagLines(spec.flags));
	}

	const globals: Record<string, FlagSpec> = {
		...globalFlags,
		region: {
			...globalFlags.region,
			description: spec.multiRegion
				? `${globalFlags.region.description}; repeat for several`
				: globalFlags.region.description,
		},
	};

	lines.push(
		'',
		'Global flags',
		...flagLines(globals),
		'',
		exitCodesText,
		'With --json a failure (exit 1) also prints {"error": {"code", "message", "requestId": string|null}} on stdout.',
	);
	if (spec.examples && spec.examples.length > 0) {
		lines.push('', 'Examples', ...spec.examples.map((example) => `  $ ${example}`));
	}

	return `${lines.join('\n')}\n`;
}
