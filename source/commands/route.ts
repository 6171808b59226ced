/**
 * Finds the command in argv. Apart from the commands themselves: the bin's fast path routes with a table computed
 * from the specs at build time (cli-table.ts) before any command's code is loaded.
 */
import {parseArgs} from 'node:util';
import {type CommandSpec, type FlagSpec, parseOptions, specFlags} from './args.js';

/** What routing needs of a spec: its name and the flags it takes (so a flag's value is never taken for a word). */
export type RouteSpec = Pick<CommandSpec, 'name' | 'flags' | 'globals'>;

export type Route = {kind: 'command'; name: string; rest: string[]} | {kind: 'dashboard'};

/** What routing needs, computed from the specs once: the command names, longest first, and every flag any takes. */
export type RouteTable = {names: string[]; options: ReturnType<typeof parseOptions>};

export function routeTable(specs: readonly RouteSpec[]): RouteTable {
	// Every flag any spec knows, so that a flag's value is never taken for the command word.
	const known: Record<string, FlagSpec> = {};
	for (const spec of specs) {
		Object.assign(known, specFlags(spec));
	}

	const names = specs.map((spec) => spec.name).filter((name) => name !== '');
	return {
		names: names.sort((a, b) => b.split(' ').length - a.split(' ').length),
		options: parseOptions(known),
	};
}

/**
 * The command in argv: the first words that name one, also after global flags (`bundledeck --sandbox tasks`); the
 * longest name wins ('sandbox status' over 'sandbox'). The rest keeps every other word: flags may come anywhere.
 */
export function findRoute(argv: string[], specs: readonly RouteSpec[]): Route {
	return routeWith(argv, routeTable(specs));
}

export function routeWith(argv: string[], table: RouteTable): Route {
	return plainRoute(argv, table) ?? parsedRoute(argv, table);
}

/**
 * The route of an argv whose every flag is `--name=value` or a `--name` that takes no value (the common case), found
 * without parseArgs: every other word is then a positional, as parseArgs would say. Its first call costs the bin's
 * fast path about a millisecond. Undefined for anything else (short flags, `--`, a flag taking the next word).
 */
function plainRoute(argv: string[], table: RouteTable): Route | undefined {
	const words: Array<{value: string; index: number}> = [];
	for (const [index, arg] of argv.entries()) {
		if (!arg.startsWith('-') || arg === '-') {
			words.push({value: arg, index});
		} else if (
			!arg.startsWith('--') ||
			arg === '--' ||
			(!arg.includes('=') && table.options[arg.slice(2)]?.type === 'string')
		) {
			return undefined;
		}
	}

	return commandIn(argv, words, table);
}

function commandIn(argv: string[], words: Array<{value: string; index: number}>, table: RouteTable): Route {
	for (const name of table.names) {
		const parts = name.split(' ');
		if (parts.every((part, index) => words[index]?.value === part)) {
			const used = new Set(words.slice(0, parts.length).map((word) => word.index));
			return {kind: 'command', name, rest: argv.filter((_, index) => !used.has(index))};
		}
	}

	return {kind: 'dashboard'};
}

/** Routing with parseArgs, whatever argv holds (exported for the test that checks plainRoute agrees with it). */
export function parsedRoute(argv: string[], table: RouteTable): Route {
	let tokens: ReturnType<typeof parseArgs>['tokens'];
	try {
		({tokens} = parseArgs({
			args: argv,
			options: table.options,
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
	return commandIn(argv, words, table);
}
