/**
 * util.parseArgs' answer for the command lines most runs have, without loading Node's parser (0.5 ms of
 * `history --json`): long boolean flags and plain words only. Anything else (a value, a short flag, `--`, an unknown
 * or repeated-value flag) is left to parseArgs, so its rules and its error messages stay Node's own.
 */
export type ArgOption = {type: 'string' | 'boolean'; multiple?: boolean; short?: string};

/** parseArgs' tokens (plain command lines make only options without a value and positionals). */
export type ArgToken =
	| {
			kind: 'option';
			name: string;
			rawName: string;
			index: number;
			value: string | undefined;
			inlineValue: boolean | undefined;
	  }
	| {kind: 'positional'; index: number; value: string}
	| {kind: 'option-terminator'; index: number};

export type ParsedArgs = {
	values: Record<string, string | boolean | Array<string | boolean> | undefined>;
	positionals: string[];
	tokens: ArgToken[];
};

/** What parseArgs({args, options, allowPositionals: true, strict: true, tokens: true}) returns, or undefined. */
export function parsePlainArgs(args: readonly string[], options: Record<string, ArgOption>): ParsedArgs | undefined {
	// As parseArgs' own: no prototype, so a flag named like an Object method is only ever a flag
	const values: ParsedArgs['values'] = Object.create(null) as ParsedArgs['values'];
	const positionals: string[] = [];
	const tokens: ArgToken[] = [];
	for (const [index, arg] of args.entries()) {
		if (!arg.startsWith('-')) {
			positionals.push(arg);
			tokens.push({kind: 'positional', index, value: arg});
			continue;
		}

		const name = arg.slice(2);
		const option = arg.startsWith('--') && Object.hasOwn(options, name) ? options[name] : undefined;
		if (option?.type !== 'boolean' || option.multiple) {
			return undefined;
		}

		values[name] = true;
		tokens.push({kind: 'option', name, rawName: arg, index, value: undefined, inlineValue: undefined});
	}

	return {values, positionals, tokens};
}
