/**
 * One place that turns global flags into a working session: the Services (real AWS or the in-process sandbox
 * region), the local history, and a close() that releases everything (clients, sandbox server).
 */
import {field, profileName, resolveRegion} from './aws/region.js';
import {createServices} from './aws/services.js';
import {AppError} from './core/app-error.js';
import type {History} from './core/history.js';
import type {Services} from './core/services.js';
import {safeLine} from './core/terminal-text.js';
import type {Sandbox} from './sandbox/contracts.js';
import type {SandboxDirInUseError} from './sandbox/index.js';
import {type GlobalOptions, openSessionHistory, sandboxDirectory, sessionHistoryLocation} from './session-history.js';
import {clearHistory} from './store/history.js';

export {
	configDirectory,
	type GlobalOptions,
	openSessionHistory,
	sandboxDirectory,
	sessionHistoryLocation,
} from './session-history.js';

export type Session = {
	services: Services;
	history: History;
	sandbox: Sandbox | undefined;
	/**
	 * One line for the user about how the session was set up, when it is not what they asked for: the region from
	 * AWS_REGION / AWS_DEFAULT_REGION / the profile that the sandbox lacks, and the region used instead.
	 */
	notice?: string | undefined;
	close(): Promise<void>;
};

export type SessionRuntime = {
	/**
	 * 'service' (the CLI): attach to the data directory's background sandbox service, starting it when none runs.
	 * 'in-process' (tests): run the sandbox inside this process for the session's lifetime.
	 */
	sandbox?: 'service' | 'in-process' | undefined;
};

export async function openSession(
	options: GlobalOptions,
	env: NodeJS.ProcessEnv = process.env,
	runtime: SessionRuntime = {},
): Promise<Session> {
	if (options.sandbox && runtime.sandbox === 'service') {
		return openServiceSession(options, env);
	}

	if (options.sandbox) {
		const dir = sandboxDirectory(options, env);
		// Loaded here only: a session on real AWS or another endpoint never loads the sandbox's code.
		const {startSandbox, SandboxDirInUseError} = await import('./sandbox/index.js');
		let sandbox: Sandbox;
		try {
			sandbox = await startSandbox({dir, port: 0, reset: options.sandboxReset});
		} catch (error) {
			if (error instanceof SandboxDirInUseError) {
				return attachToRunningSandbox(options, env, error);
			}

			throw sandboxStartFailed(dir, error);
		}

		try {
			if (options.sandboxReset) {
				// The reset wiped the tasks, buckets and images this history describes.
				clearSandboxHistory(options, env, dir);
			}

			const services = await createServices({
				mode: 'sandbox',
				region: options.region,
				endpointUrl: sandbox.endpoint,
				credentials: sandbox.credentials,
				env,
			});
			const history = openSessionHistory(options, env);
			return {
				services,
				history,
				sandbox,
				notice: await sandboxRegionNotice(options, env, services),
				async close() {
					services.close();
					await sandbox.close();
				},
			};
		} catch (error) {
			await sandbox.close();
			throw error;
		}
	}

	const services = await createServices({
		mode: 'aws',
		profile: options.profile,
		region: options.region,
		endpointUrl: options.endpointUrl,
		env,
		onWarning: (line) => process.stderr.write(`bundledeck: warning: ${safeLine(line)}\n`),
	});
	const history = openSessionHistory(options, env);
	return {
		services,
		history,
		sandbox: undefined,
		async close() {
			services.close();
		},
	};
}

/**
 * The sandbox as a region that outlives this command: attach to the directory's service (start it when none runs;
 * --sandbox-reset stops it and starts it afresh). Requests follow the service if it restarts on another port.
 */
async function openServiceSession(options: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Session> {
	const dir = sandboxDirectory(options, env);
	const [{ensureService, startService, stopService}, {sandboxEndpointSource}, {defaultAccount}] = await Promise.all([
		import('./sandbox/service.js'),
		import('./sandbox/reconnect.js'),
		import('./sandbox/accounts.js'),
	]);
	let started: boolean;
	let endpoint: string;
	let pid: number;
	try {
		if (options.sandboxReset) {
			await stopService(dir);
			({started, endpoint, pid} = await startService({dir, reset: true, env}));
			clearSandboxHistory(options, env, dir);
		} else {
			({started, endpoint, pid} = await ensureService({dir, env}));
		}
	} catch (error) {
		if (error instanceof AppError) {
			throw error;
		}

		throw sandboxStartFailed(dir, error);
	}

	const services = await createServices({
		mode: 'sandbox',
		region: options.region,
		endpointUrl: sandboxEndpointSource(dir, endpoint, env),
		credentials: {accessKeyId: defaultAccount.accessKeyId, secretAccessKey: defaultAccount.secretAccessKey},
		env,
	});
	const startedNotice = started
		? `started the sandbox region in the background (pid ${pid}, ${endpoint}); it keeps running after bundledeck exits — stop it with: bundledeck sandbox stop${options.sandboxDir ? ` --dir ${dir}` : ''}`
		: undefined;
	const regionNotice = await sandboxRegionNotice(options, env, services);
	return {
		services,
		history: openSessionHistory(options, env),
		sandbox: undefined,
		notice: [startedNotice, regionNotice].filter(Boolean).join('; ') || undefined,
		async close() {
			services.close();
		},
	};
}

/**
 * Another bundledeck process (`bundledeck sandbox`, a dashboard) already runs the sandbox on this data directory:
 * talk to it instead of starting a second one that would overwrite its state.
 */
async function attachToRunningSandbox(
	options: GlobalOptions,
	env: NodeJS.ProcessEnv,
	inUse: SandboxDirInUseError,
): Promise<Session> {
	if (options.sandboxReset || !inUse.endpoint) {
		throw new AppError({
			code: 'SandboxDirInUse',
			message: options.sandboxReset
				? `Cannot reset the sandbox data directory ${inUse.dir}: another bundledeck process (pid ${inUse.pid}) is using it`
				: `The sandbox data directory ${inUse.dir} is in use by another bundledeck process (pid ${inUse.pid}) that is still starting`,
			hint: options.sandboxReset
				? 'Stop that process first, or pass --sandbox-dir for a separate sandbox.'
				: 'Try again in a moment, or pass --sandbox-dir for a separate sandbox.',
		});
	}

	const {defaultAccount} = await import('./sandbox/accounts.js');
	const services = await createServices({
		mode: 'sandbox',
		region: options.region,
		endpointUrl: inUse.endpoint,
		credentials: {accessKeyId: defaultAccount.accessKeyId, secretAccessKey: defaultAccount.secretAccessKey},
		env,
	});
	return {
		services,
		history: openSessionHistory(options, env),
		sandbox: undefined,
		notice: await sandboxRegionNotice(options, env, services),
		async close() {
			services.close();
		},
	};
}

/**
 * The sandbox has a few regions only: when the region AWS_REGION, AWS_DEFAULT_REGION or the profile names is not
 * one of them, createServices starts in us-east-1 instead (a --region it lacks is an error). Say so, and why.
 */
async function sandboxRegionNotice(
	options: GlobalOptions,
	env: NodeJS.ProcessEnv,
	services: Services,
): Promise<string | undefined> {
	const asked = await resolveRegion({flag: options.region, profile: options.profile, env});
	if (asked.source === 'flag' || asked.source === 'default' || asked.region === services.defaultRegion) {
		return undefined;
	}

	const from =
		asked.source === 'profile'
			? `the region of profile ${profileName(options.profile, env)}`
			: field(env, 'AWS_REGION')?.trim()
				? 'AWS_REGION'
				: 'AWS_DEFAULT_REGION';
	return `the sandbox has no region ${asked.region} (from ${from}); using ${services.defaultRegion}`;
}

function clearSandboxHistory(options: GlobalOptions, env: NodeJS.ProcessEnv, dir: string): void {
	try {
		clearHistory(sessionHistoryLocation(options, env));
	} catch (error) {
		throw new AppError({
			code: 'HistoryResetFailed',
			message: `Reset the sandbox in ${dir} but ${error instanceof Error ? error.message : String(error)}`,
			hint: 'Remove that file by hand (it lists bundles the reset sandbox no longer has).',
			cause: error,
		});
	}
}

/** A sandbox that cannot start (unusable directory, damaged state file): one line saying where and what to do. */
function sandboxStartFailed(dir: string, error: unknown): AppError {
	const reason = (error instanceof Error ? error.message : String(error)).replaceAll(/\s+/g, ' ').trim();
	return new AppError({
		code: 'SandboxStartFailed',
		message: `Could not start the sandbox region in ${dir}: ${reason}`,
		hint: 'Pass --sandbox-dir with a usable directory, or add --sandbox-reset to start the sandbox afresh (wipes its buckets, tasks and images).',
		cause: error,
	});
}
