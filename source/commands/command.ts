/** The shape of one command and the plumbing every command shares (session, history warning, errors). */
import type {Session} from '../session.js';
import {interruptible} from './abort.js';
import {type CommandSpec, type ParsedCommand, sessionOptions} from './args.js';
import type {CommandContext} from './context.js';
import {createPrinter, type Printer} from './output.js';
import type {PromptContext} from './prompt.js';
import {withRunFlags} from './run-flags.js';

export type CommandInput = {
	parsed: ParsedCommand;
	context: CommandContext;
	print: Printer;
	prompt: PromptContext;
	signal: AbortSignal | undefined;
};

export type CommandDefinition = {
	spec: CommandSpec;
	run(input: CommandInput): Promise<number>;
};

export function commandInput(parsed: ParsedCommand, context: CommandContext): CommandInput {
	const print = createPrinter(context.io.stdout, context.io.stderr, parsed.globals.json, context.io.env, (text) =>
		withRunFlags(text, parsed.globals),
	);
	return {
		parsed,
		context,
		print,
		prompt: {io: context.io, interactive: !parsed.globals.json && context.io.stdinIsTTY, signal: context.signal},
		signal: context.signal,
	};
}

/**
 * Opens the session (flags -> services + history), reports its notice (a region the sandbox lacks) and a set-aside
 * history file on stderr, always closes.
 */
export async function withSession<T>(input: CommandInput, run: (session: Session) => Promise<T>): Promise<T> {
	const opening = input.context.openSession(sessionOptions(input.parsed.globals));
	let session: Session;
	try {
		session = await interruptible(opening, input.signal);
	} catch (error) {
		// Interrupted while opening: release the session once it is there.
		opening.then(
			async (late) => late.close(),
			() => undefined,
		);
		throw error;
	}

	try {
		if (session.notice) {
			input.print.note(session.notice);
		}

		if (session.history.warning) {
			input.print.warn(session.history.warning);
		}

		return await run(session);
	} finally {
		await session.close();
	}
}

/** The region for calls that are not about one known bundle: --region, else the session's default. */
export function regionOf(input: CommandInput, session: Session): string {
	return input.parsed.globals.regions[0] ?? session.services.defaultRegion;
}

/**
 * An AMI's region: --region, else the region history recorded for it (a store chain, a restore, an AMI registered,
 * migrated or copied from a bundle), else the session's default.
 */
export function amiRegion(input: CommandInput, session: Session, imageId: string): string {
	const known = session.history.list().flatMap((entry) => {
		if (entry.kind === 'bundle') {
			return entry.images.filter((image) => image.imageId === imageId).map((image) => image.region);
		}

		return entry.imageId === imageId ? [entry.region] : [];
	});
	return input.parsed.globals.regions[0] ?? known[0] ?? session.services.defaultRegion;
}

/** A bundle's region: --region, else the region history recorded for it, else the session's default. */
export function bundleRegion(input: CommandInput, session: Session, bundleId: string): string {
	return input.parsed.globals.regions[0] ?? session.history.get(bundleId)?.region ?? session.services.defaultRegion;
}
