/** The documented exit codes of every command. */
export const exitCodes = {
	ok: 0,
	failed: 1,
	usage: 2,
	timeout: 3,
	interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export const exitCodesHelp = `Exit codes
  0    ok
  1    the operation failed (AWS error, failed or cancelled task)
  2    usage error (unknown flag, bad or missing value)
  3    timed out
  130  interrupted (Ctrl+C, SIGTERM, SIGHUP)`;

/** A usage problem: one line naming the flag, exit 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

/** The user pressed Ctrl+C (the command's AbortSignal fired): exit 130. */
export class InterruptedError extends Error {
	constructor(message = 'interrupted') {
		super(message);
		this.name = 'InterruptedError';
	}
}

/** A command-level failure that is not an AWS error (task failed, not found...): exit 1, or the given code. */
export class CommandFailure extends Error {
	readonly exitCode: ExitCode;

	constructor(message: string, exitCode: ExitCode = exitCodes.failed) {
		super(message);
		this.name = 'CommandFailure';
		this.exitCode = exitCode;
	}
}
