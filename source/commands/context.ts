/** What a command receives from the CLI entry: its streams, environment, a way to open a session, Ctrl+C. */
import type {GlobalOptions, Session} from '../session.js';

export type CommandStream = NodeJS.WritableStream & {isTTY?: boolean; columns?: number; rows?: number};

export type CommandIo = {
	stdout: CommandStream;
	stderr: CommandStream;
	stdinIsTTY: boolean;
	env: NodeJS.ProcessEnv;
	/** Where prompts read answers on a TTY; default process.stdin. */
	stdin?: NodeJS.ReadableStream | undefined;
};

export type CommandContext = {
	io: CommandIo;
	openSession: (options: GlobalOptions) => Promise<Session>;
	/** Aborted on SIGINT: the command stops and exits 130. */
	signal?: AbortSignal | undefined;
};
