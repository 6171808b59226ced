/**
 * Where a session keeps its local history and settings, apart from the session itself: `history` and
 * `<command> --help` need these and must not load the AWS SDK or the sandbox to get them.
 */
import type {History} from './core/history.js';
import {
	awsHistoryName,
	historyDirectory,
	type OpenHistoryOptions,
	openHistory,
	sandboxHistoryName,
} from './store/history.js';
import {defaultSandboxDir} from './store/sandbox-dir.js';

/** The global flags a session is opened with. */
export type GlobalOptions = {
	sandbox: boolean;
	sandboxDir?: string | undefined;
	sandboxReset?: boolean | undefined;
	profile?: string | undefined;
	region?: string | undefined;
	endpointUrl?: string | undefined;
};

/** Directory for settings and history: BUNDLEDECK_CONFIG_DIR, else the OS config dir. */
export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
	return historyDirectory(env);
}

/** The sandbox region's persistent data: --sandbox-dir, BUNDLEDECK_SANDBOX_DIR, else the OS data dir. */
export function sandboxDirectory(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
	return options.sandboxDir ?? defaultSandboxDir(env);
}

/**
 * Where the session for these options keeps its local history: real AWS has one file; each sandbox data
 * directory has its own (see sandboxHistoryName), so a sandbox shows only the bundles it holds.
 */
export function sessionHistoryLocation(
	options: GlobalOptions,
	env: NodeJS.ProcessEnv = process.env,
): OpenHistoryOptions {
	return {
		cwd: configDirectory(env),
		name: options.sandbox ? sandboxHistoryName(sandboxDirectory(options, env)) : awsHistoryName,
	};
}

/** The local history the session for these options uses. */
export function openSessionHistory(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): History {
	return openHistory(sessionHistoryLocation(options, env));
}
