/**
 * `bundledeck sandbox [--port N] [--dir D] [--reset] [--json]`: runs the sandbox region alone on 127.0.0.1 and prints what
 * another client (AWS CLI, SDK) needs to use it, until SIGINT / SIGTERM.
 * The printed secret is the sandbox's own local throwaway key; it is printed on purpose.
 */
import {safeLine} from '../core/terminal-text.js';
import {type RequestLogEntry, type Sandbox, sandboxRegions} from '../sandbox/contracts.js';
import {sandboxEnvHelp} from '../sandbox/env-check.js';
import {defaultSandboxDir} from '../store/sandbox-dir.js';
import {booleanValue, type CommandSpec, stringValue} from './args.js';
import type {CommandDefinition, CommandInput} from './command.js';
import type {CommandStream} from './context.js';
import {exitCodes, UsageError} from './exit-codes.js';
import {isServiceAction} from './sandbox-service-specs.js';

export type SandboxCommandIo = {
	stdout: CommandStream;
	stderr: CommandStream;
	env: NodeJS.ProcessEnv;
	/** Stops the sandbox like SIGINT does (tests). */
	signal?: AbortSignal | undefined;
};

const envNameWidth = Math.max(...sandboxEnvHelp.map(([name]) => name.length)) + 2;

const spec: CommandSpec = {
	name: 'sandbox',
	summary: 'run the local sandbox region alone (for the AWS CLI and others)',
	usage: [
		'sandbox [--port N] [--dir D] [--reset]',
		'sandbox start|stop|status|logs   (the background service; sandbox start --help)',
	],
	details: [
		'Runs the local sandbox region (EC2 + S3 on 127.0.0.1) until Ctrl+C, and prints the endpoint and the',
		'environment variables another client (AWS CLI, AWS SDK) needs to use it.',
		'JSON (one line once it listens): {"endpoint", "dir", "regions": [string], "env": {"AWS_ENDPOINT_URL",',
		'  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"}}; the rest goes to stderr.',
		'',
		'Environment (a value not understood or out of range is refused, exit 2):',
		...sandboxEnvHelp.map(([name, help]) => `  ${name.padEnd(envNameWidth)}${help}`),
	],
	flags: {
		port: {type: 'string', value: 'N', description: 'port on 127.0.0.1 (default: a free port)'},
		dir: {
			type: 'string',
			value: 'D',
			description: `data directory (default: $BUNDLEDECK_SANDBOX_DIR, else ${defaultSandboxDir({})})`,
		},
		reset: {
			type: 'boolean',
			description: 'wipe the data directory first (buckets, objects, tasks, images) and its local history',
		},
		service: {
			type: 'boolean',
			description: 'run as the background service (what `sandbox start` runs): log lines, no keys printed',
		},
	},
	positionals: {names: '', min: 0, max: 0},
	globals: ['json', 'no-color'],
	startsSandbox: true,
	examples: ['bundledeck sandbox --port 4566', 'bundledeck sandbox --json'],
};

function oneLine(error: unknown): string {
	return safeLine((error instanceof Error ? error.message : String(error)).replaceAll(/\s+/g, ' ').trim());
}

/** SIGINT (Ctrl+C), SIGTERM (kill) and SIGHUP (the terminal closed) all stop the sandbox cleanly: state saved. */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function waitForStop(signal: AbortSignal | undefined): Promise<string> {
	return new Promise((resolve) => {
		const stop = (name: string) => {
			for (const name_ of stopSignals) {
				process.off(name_, onSignal);
			}

			signal?.removeEventListener('abort', onAbort);
			resolve(name);
		};

		const onSignal = (name: NodeJS.Signals) => {
			stop(name);
		};

		const onAbort = () => {
			stop('abort');
		};

		for (const name of stopSignals) {
			process.once(name, onSignal);
		}

		if (signal?.aborted) {
			onAbort();
		} else {
			signal?.addEventListener('abort', onAbort, {once: true});
		}
	});
}

const guarded = new WeakSet<object>();

/**
 * `bundledeck sandbox | head -3`: the reader went away; the sandbox keeps running until stopped, silently. The
 * listener stays for good: the error of the last write ("stopped") is emitted after the command has returned.
 */
function ignoreClosedOutput(stream: CommandStream): void {
	if (guarded.has(stream)) {
		return;
	}

	guarded.add(stream);
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
			throw error;
		}
	});
}

async function run(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	const {env} = input.context.io;
	const portText = stringValue(parsed, 'port');
	const port = portText === undefined ? 0 : Number(portText);
	if (portText !== undefined && (!/^\d+$/.test(portText) || port > 65_535)) {
		throw new UsageError(`--port must be a whole number from 0 to 65535, not '${portText}'`);
	}

	const reset = booleanValue(parsed, 'reset');
	const service = booleanValue(parsed, 'service');
	ignoreClosedOutput(print.stdout);
	const dir = stringValue(parsed, 'dir') ?? defaultSandboxDir(env);
	// Loaded here, not with the command list: `--help` and every other command start without the sandbox's code.
	const [{startSandbox}, {clearHistory, historyDirectory, sandboxHistoryName}] = await Promise.all([
		import('../sandbox/index.js'),
		import('../store/history.js'),
	]);
	let sandbox: Sandbox;
	try {
		sandbox = await startSandbox(
			{
				dir,
				port,
				reset,
				// The service runs for days: its request log goes to the log file, not into memory.
				...(service
					? {
							onRequest(entry: RequestLogEntry) {
								print.stdout.write(
									`${new Date(entry.time).toISOString()} ${entry.service} ${entry.region || '-'} ${entry.action} ${entry.status}\n`,
								);
							},
						}
					: {}),
			},
			env,
		);
	} catch (error) {
		const code = (error as {code?: unknown}).code;
		const reason =
			code === 'EADDRINUSE'
				? `port ${port} is already in use; pick another with --port, or --port 0 for a free one`
				: code === 'SandboxDirInUse' || code === 'NotASandboxDir'
					? oneLine(error)
					: `${oneLine(error).replace(/\.$/, '')} (--dir picks another data directory; --reset starts this one afresh, wiping its buckets, tasks and images)`;
		const message = `could not start the sandbox region: ${reason}.`;
		if (parsed.globals.json) {
			// Scripts reading stdout get a JSON document either way, as from every command.
			print.jsonLine({error: {code: typeof code === 'string' ? code : 'SandboxStartFailed', message, requestId: null}});
		}

		print.stderr.write(`bundledeck sandbox: ${message}\n`);
		return exitCodes.failed;
	}

	if (reset) {
		// The bundles `bundledeck --sandbox` recorded for this directory are gone with its data.
		try {
			clearHistory({cwd: historyDirectory(env), name: sandboxHistoryName(dir)});
		} catch (error) {
			print.stderr.write(`bundledeck sandbox: reset the data directory but ${oneLine(error)}; remove it by hand.\n`);
		}
	}

	if (service) {
		const stamp = () => new Date().toISOString();
		print.stdout.write(
			`${stamp()} sandbox region (pid ${process.pid}) listening on ${sandbox.endpoint}, data ${sandbox.dir}\n`,
		);
		const how = await waitForStop(input.signal);
		print.stdout.write(`${stamp()} stopping (${how}): saving state\n`);
		await sandbox.close();
		print.stdout.write(`${stamp()} stopped; state saved\n`);
		return exitCodes.ok;
	}

	const clientEnv = sandboxClientEnv(sandbox.endpoint, sandbox.credentials);
	// With --json stdout carries only the one document; what a person reads goes to stderr.
	const say = parsed.globals.json ? print.stderr : print.stdout;
	if (parsed.globals.json) {
		print.jsonLine({endpoint: sandbox.endpoint, dir: sandbox.dir, regions: sandboxRegions, env: clientEnv});
		say.write('Sandbox region running; press Ctrl+C to stop.\n');
	} else {
		say.write(
			[
				`Sandbox region listening on ${sandbox.endpoint}`,
				`Data directory: ${sandbox.dir}`,
				`Regions: ${sandboxRegions.join(', ')}`,
				'',
				...clientEnvLines(clientEnv),
				'',
				'Press Ctrl+C to stop.',
				'',
			].join('\n'),
		);
	}

	await waitForStop(input.signal);
	say.write('Stopping the sandbox region...\n');
	await sandbox.close();
	say.write('Sandbox region stopped; its state is kept in the data directory.\n');
	return exitCodes.ok;
}

export const sandboxCommand: CommandDefinition = {spec, run};

/** What another client (the AWS CLI, an SDK) exports to use a sandbox region: its endpoint, keys and region. */
export function sandboxClientEnv(endpoint: string, credentials: {accessKeyId: string; secretAccessKey: string}) {
	return {
		AWS_ENDPOINT_URL: endpoint,
		AWS_ACCESS_KEY_ID: credentials.accessKeyId,
		AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
		AWS_REGION: 'us-east-1',
		AWS_DEFAULT_REGION: 'us-east-1',
	};
}

/** The client environment as a person reads it: export lines, and why printing these keys is fine. */
export function clientEnvLines(env: Record<string, string>): string[] {
	return [
		'To use it from another shell (AWS CLI, AWS SDKs):',
		...Object.entries(env).map(([name, value]) => `export ${name}=${value}`),
		'These are local keys that only this sandbox accepts.',
	];
}

/** `bundledeck sandbox <argv>` with only the streams it needs (tests, and callers without a session). */
export async function runSandboxCommand(argv: string[], io: SandboxCommandIo): Promise<number> {
	if (isServiceAction(argv[0])) {
		const {runServiceCommand} = await import('./sandbox-service.js');
		return runServiceCommand(argv[0], argv.slice(1), io);
	}

	// Loaded late: index.ts lists this module's command.
	const {runCommand} = await import('./index.js');
	return runCommand('sandbox', argv, {
		io: {stdout: io.stdout, stderr: io.stderr, stdinIsTTY: false, env: io.env},
		async openSession() {
			throw new Error('bundledeck sandbox opens no session');
		},
		signal: io.signal,
	});
}
