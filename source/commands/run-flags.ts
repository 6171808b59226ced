/**
 * "The same global flags as this run": what a hint such as `bundledeck wait bun-…` needs so that pasting it talks to
 * the same sandbox, region, profile or endpoint. Messages name commands in backticks; withRunFlags adds the flags.
 */
import path from 'node:path';
import type {GlobalFlags} from './args.js';

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
export function shellWord(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The flags that pick where this run went: --sandbox [--sandbox-dir D] or --profile / --endpoint-url, and --region
 * (the first one: the commands a hint names take one). Never --sandbox-reset (pasting it would wipe the sandbox),
 * --json or --no-color (how to print is the reader's choice). Each entry is one flag with its value.
 */
export function runFlags(globals: GlobalFlags): string[][] {
	const flags: string[][] = [];
	if (globals.sandbox) {
		flags.push(['--sandbox']);
		if (globals.sandboxDir !== undefined) {
			// Absolute: the hint still works when pasted in another directory.
			flags.push(['--sandbox-dir', path.resolve(globals.sandboxDir)]);
		}
	}

	const [region] = globals.regions;
	const valued: Array<[string, string | undefined]> = [
		['--region', region],
		['--profile', globals.profile],
		['--endpoint-url', globals.endpointUrl],
	];
	for (const [flag, value] of valued) {
		if (value !== undefined) {
			flags.push([flag, value]);
		}
	}

	return flags;
}

/** `bundledeck <words>` followed by this run's flags (those the words do not already give), shell-quoted. */
export function commandWithRunFlags(command: string, globals: GlobalFlags): string {
	const words = command.split(' ');
	// A hint that picks the sandbox itself takes none of the flags --sandbox refuses.
	const refused = words.includes('--sandbox') ? ['--profile', '--endpoint-url'] : [];
	const extra = runFlags(globals).filter(([flag = '']) => !words.includes(flag) && !refused.includes(flag));
	return [command, ...extra.flat().map((word) => shellWord(word))].join(' ');
}

/** "`bundledeck wait bun-1`" -> "`bundledeck wait bun-1 --sandbox`": every backticked bundledeck command in a message. */
export function withRunFlags(text: string, globals: GlobalFlags): string {
	return text.replaceAll(
		/`(bundledeck(?: [^`]*)?)`/g,
		(_, command: string) => `\`${commandWithRunFlags(command, globals)}\``,
	);
}
