/** What a command receives from the CLI entry: its streams, environment, a way to open a session, Ctrl+C. */
import type {History} from '../core/history.js';
import type {GlobalOptions, Session} from '../session.js';

export type CommandStream = NodeJS.WritableStream & {isTTY?: boolean; columns?: number; rows?: number};

export type CommandIo = {
	stdout: CommandStream;
	stderr: CommandStream;
	stdinIsTTY: boolean;
	env: NodeJS.ProcessEnv;
	/** True once stdout's reader went away (EPIPE): the command was stopped on purpose, say nothing more. */
	isOutputClosed?: (() => boolean) | undefined;
	/** Where prompts read answers on a TTY; default process.stdin. */
	stdin?: NodeJS.ReadableStream | undefined;
};

export type CommandContext = {
	io: CommandIo;
	openSession: (options: GlobalOptions) => Promise<Session>;
	/**
	 * Opens only the local history (the file --sandbox or not selects), without credentials or a sandbox: what
	 * `bundledeck history` needs. Absent: commands that need history open a whole session.
	 */
	openHistory?: ((options: GlobalOptions) => History) | undefined;
	/** Aborted on SIGINT: the command stops and exits 130. */
	signal?: AbortSignal | undefined;
};
