/**
 * `bundledeck sandbox [--port N] [--dir D] [--reset]`: runs the sandbox region alone on 127.0.0.1 and prints what
 * another client (AWS CLI, SDK) needs to use it, until SIGINT / SIGTERM.
 * The printed secret is the sandbox's own local throwaway key; it is printed on purpose.
 */
import {parseArgs} from 'node:util';
import {sandboxRegions} from '../sandbox/contracts.js';
import {defaultSandboxDir} from '../sandbox/default-dir.js';
import {startSandbox} from '../sandbox/index.js';
import {clearHistory, historyDirectory, sandboxHistoryName} from '../store/history.js';

export type SandboxCommandIo = {
	stdout: NodeJS.WriteStream | NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
	env: NodeJS.ProcessEnv;
	/** Stops the sandbox like SIGINT does (tests). */
	signal?: AbortSignal | undefined;
};

export const sandboxUsage = (): string => `Usage: bundledeck sandbox [--port N] [--dir D] [--reset]

Runs the local sandbox region (EC2 + S3 on 127.0.0.1) until Ctrl+C, and prints the endpoint and the
environment variables another client (AWS CLI, AWS SDK) needs to use it.

Options:
  --port N   Port on 127.0.0.1 (default: a free port)
  --dir D    Data directory (default: $BUNDLEDECK_SANDBOX_DIR, else ${defaultSandboxDir({})})
  --reset    Wipe the data directory first (buckets, objects, tasks, images) and its local history
  --help     Show this help

Environment: BUNDLEDECK_SANDBOX_BYTES_PER_SECOND, BUNDLEDECK_SANDBOX_IMAGE_SIZE, BUNDLEDECK_SANDBOX_STEP_DELAY_MS,
BUNDLEDECK_SANDBOX_THROTTLE_RATE, BUNDLEDECK_SANDBOX_ERROR_RATE, BUNDLEDECK_SANDBOX_LATENCY_MS.
`;

function parse(argv: string[]) {
	return parseArgs({
		args: argv,
		strict: true,
		allowPositionals: false,
		options: {
			port: {type: 'string'},
			dir: {type: 'string'},
			reset: {type: 'boolean'},
			help: {type: 'boolean', short: 'h'},
		},
	}).values;
}

function oneLine(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).replaceAll(/\s+/g, ' ').trim();
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

export async function runSandboxCommand(argv: string[], io: SandboxCommandIo): Promise<number> {
	let values: ReturnType<typeof parse>;
	try {
		values = parse(argv);
	} catch (error) {
		io.stderr.write(`bundledeck sandbox: ${oneLine(error)} (see bundledeck sandbox --help)\n`);
		return 2;
	}

	if (values.help) {
		io.stdout.write(sandboxUsage());
		return 0;
	}

	let port = 0;
	if (values.port !== undefined) {
		port = Number(values.port);
		if (!/^\d+$/.test(values.port) || port > 65_535) {
			io.stderr.write(`bundledeck sandbox: --port must be a whole number from 0 to 65535, not '${values.port}'.\n`);
			return 2;
		}
	}

	const dir = values.dir ?? defaultSandboxDir(io.env);
	let sandbox: Awaited<ReturnType<typeof startSandbox>>;
	try {
		sandbox = await startSandbox({dir, port, reset: values.reset ?? false}, io.env);
	} catch (error) {
		const code = (error as {code?: unknown}).code;
		const reason =
			code === 'EADDRINUSE'
				? `port ${port} is already in use; pick another with --port, or --port 0 for a free one`
				: code === 'SandboxDirInUse'
					? oneLine(error)
					: `${oneLine(error).replace(/\.$/, '')} (--dir picks another data directory; --reset starts this one afresh, wiping its buckets, tasks and images)`;
		io.stderr.write(`bundledeck sandbox: could not start the sandbox region: ${reason}.\n`);
		return 1;
	}

	if (values.reset) {
		// The bundles `bundledeck --sandbox` recorded for this directory are gone with its data.
		try {
			clearHistory({cwd: historyDirectory(io.env), name: sandboxHistoryName(dir)});
		} catch (error) {
			io.stderr.write(`bundledeck sandbox: reset the data directory but ${oneLine(error)}; remove it by hand.\n`);
		}
	}

	io.stdout.write(
		[
			`Sandbox region listening on ${sandbox.endpoint}`,
			`Data directory: ${sandbox.dir}`,
			`Regions: ${sandboxRegions.join(', ')}`,
			'',
			'To use it from another shell (AWS CLI, AWS SDKs):',
			`export AWS_ENDPOINT_URL=${sandbox.endpoint}`,
			`export AWS_ACCESS_KEY_ID=${sandbox.credentials.accessKeyId}`,
			`export AWS_SECRET_ACCESS_KEY=${sandbox.credentials.secretAccessKey}`,
			'export AWS_REGION=us-east-1',
			'export AWS_DEFAULT_REGION=us-east-1',
			'',
			'These are local keys that only this sandbox accepts. Press Ctrl+C to stop.',
			'',
		].join('\n'),
	);

	await waitForStop(io.signal);
	io.stdout.write('Stopping the sandbox region...\n');
	await sandbox.close();
	io.stdout.write('Sandbox region stopped; its state is kept in the data directory.\n');
	return 0;
}
