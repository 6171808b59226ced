/** Every help text, generated from the specs: `bundledeck --help` (the dashboard + the command list) and each command's. */
import {type CommandSpec, type FlagSpec, globalFlags, invocation, specGlobals} from './args.js';
import {describeRange} from './durations.js';
import {exitCodesHelp} from './exit-codes.js';

const jsonErrorLine =
	'With --json a failure (exit 1) also prints {"error": {"code", "message", "requestId": string|null}} on stdout.';

function flagLabel(name: string, flag: FlagSpec): string {
	const short = flag.short ? `-${flag.short}, ` : '';
	return `${short}--${name}${flag.type === 'string' ? ` <${flag.value ?? 'value'}>` : ''}`;
}

function flagLines(flags: Record<string, FlagSpec>): string[] {
	const labels = Object.entries(flags).map(
		([name, flag]) =>
			[
				flagLabel(name, flag),
				flag.range ? `${flag.description}, ${describeRange(flag.range)}` : flag.description,
			] as const,
	);
	const width = Math.max(...labels.map(([label]) => label.length)) + 2;
	return labels.map(([label, description]) => `  ${label.padEnd(width)}${description}`);
}

function withHelpLast(flags: Record<string, FlagSpec>): Record<string, FlagSpec> {
	const {help, ...rest} = flags;
	return help ? {...rest, help} : rest;
}

/** The global flags as this spec shows them (tasks says --region may be repeated). */
function globalsOf(spec: CommandSpec): Record<string, FlagSpec> {
	const globals = specGlobals(spec);
	if (spec.multiRegion && globals['region']) {
		globals['region'] = {...globalFlags.region, description: `${globalFlags.region.description}; repeatable`};
	}

	return globals;
}

/** The --help text of a command: usage, what it does, its flags, the global flags it takes, exit codes. */
export function commandHelp(spec: CommandSpec): string {
	const lines = [
		`${invocation(spec)} — ${spec.summary}`,
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

	const globals = globalsOf(spec);
	lines.push('', 'Global flags', ...flagLines(globals), '', exitCodesHelp);
	if (globals['json']) {
		lines.push(jsonErrorLine);
	}

	if (spec.examples && spec.examples.length > 0) {
		lines.push('', 'Examples', ...spec.examples.map((example) => `  $ ${example}`));
	}

	return `${lines.join('\n')}\n`;
}

/** The command list of the top-level --help, with what every command takes and the exit codes. */
export function commandList(specs: readonly CommandSpec[]): string {
	const list = specs.flatMap((spec) => [`  ${spec.usage[0] ?? spec.name}`, `      ${spec.summary}`]);
	const everywhere = Object.keys(globalFlags).filter((name) => specs.every((spec) => name in specGlobals(spec)));
	const aws = Object.keys(globalFlags).filter((name) => !everywhere.includes(name));
	return [
		'Commands',
		...list,
		'',
		`Every command takes ${everywhere.map((name) => `--${name}`).join(', ')} (--json: only JSON on stdout, no prompts);`,
		`the AWS commands also take ${aws.map((name) => `--${name}`).join(', ')}.`,
		'See bundledeck <command> --help.',
		jsonErrorLine,
		'',
		exitCodesHelp,
		'',
	].join('\n');
}

/** `bundledeck --help`: the dashboard's usage, flags and keys, then every command. */
export function topLevelHelp(dashboard: CommandSpec, specs: readonly CommandSpec[]): string {
	return [
		`bundledeck — ${dashboard.summary}`,
		'',
		'Usage',
		...dashboard.usage.map((usage) => `  $ ${`bundledeck ${usage}`.trimEnd()}`),
		'',
		commandList(specs).trimEnd(),
		'',
		'Dashboard options',
		...flagLines(withHelpLast({...globalsOf(dashboard), ...dashboard.flags})),
		'',
		'Dashboard keys',
		...(dashboard.details ?? []).map((line) => `  ${line}`),
		'',
	].join('\n');
}
