/**
 * Missing values: asked for on an interactive terminal, otherwise a usage error naming the flag that supplies the
 * value (exit 2). --json always means no prompts.
 */
import type {ValidationResult} from '../core/validation.js';
import {interruptible} from './abort.js';
import type {CommandIo} from './context.js';
import {UsageError} from './exit-codes.js';
import {oneLine} from './output.js';

export type PromptContext = {
	io: CommandIo;
	/** False off a TTY and with --json. */
	interactive: boolean;
	signal: AbortSignal | undefined;
};

export type ValueRequest = {
	/** What supplies the value: '--bucket' or '<instance-id>' */
	flag: string;
	/** Shown in the prompt and in the error: 'S3 bucket for the bundle' */
	label: string;
	value: string | undefined;
	validate?: ((value: string) => ValidationResult) | undefined;
};

function nonInteractiveReason(context: PromptContext): string {
	return context.io.stdinIsTTY ? 'with --json nothing prompts' : 'stdin is not a terminal, so nothing prompts';
}

async function ask(context: PromptContext, question: string): Promise<string> {
	const input = context.io.stdin ?? process.stdin;
	// Loaded on the first question only: most runs never ask one, and start-up is what scripts wait for.
	const {createInterface} = await import('node:readline/promises');
	const readline = createInterface({input, output: context.io.stderr, terminal: false});
	try {
		return (await interruptible(readline.question(question), context.signal)).trim();
	} finally {
		readline.close();
	}
}

function check(request: ValueRequest, value: string): string {
	const result = request.validate?.(value) ?? {ok: true};
	if (!result.ok) {
		throw new UsageError(`${request.flag} '${value}': ${result.reason}`);
	}

	return value;
}

/** The value of a required flag: given, asked for (TTY), or a usage error naming the flag. */
export async function requireValue(context: PromptContext, request: ValueRequest): Promise<string> {
	if (request.value !== undefined) {
		return check(request, request.value);
	}

	if (!context.interactive) {
		throw new UsageError(`missing ${request.flag} (${request.label}); ${nonInteractiveReason(context)}`);
	}

	for (let attempt = 0; attempt < 3; attempt++) {
		const answer = await ask(context, `${request.label} (${request.flag}): `);
		if (answer === '') {
			continue;
		}

		const result = request.validate?.(answer) ?? {ok: true};
		if (result.ok) {
			return answer;
		}

		context.io.stderr.write(`${oneLine(result.reason)}\n`);
	}

	throw new UsageError(`missing ${request.flag} (${request.label})`);
}

/** Yes/no confirmation on a TTY; off a TTY the flag (--yes) must be given. */
export async function confirm(context: PromptContext, question: string, flag: string): Promise<boolean> {
	if (!context.interactive) {
		throw new UsageError(`confirmation needed: pass ${flag}; ${nonInteractiveReason(context)}`);
	}

	const answer = await ask(context, `${question} [y/N] `);
	return /^y(es)?$/i.test(answer);
}
