#!/usr/bin/env node
/**
 * Entry point: parse global flags, decide the mode, then either run a subcommand or render the dashboard.
 * Every failure ends as one line on stderr; exit codes: 0 ok, 1 failed, 2 usage, 3 timeout, 130 interrupted.
 */
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';

function helpText(commandUsage: string): string {
	return `bundledeck — bundle an instance store-backed Windows EC2 instance into S3, then register or migrate the AMI

Usage
  $ bundledeck [options]                 the dashboard (interactive terminal)
  $ bundledeck <command> [options]       scriptable commands (bundledeck <command> --help)
  $ bundledeck sandbox [--port N] [--dir D] [--reset]
                                         run the local sandbox region alone (for the AWS CLI and others)

${commandUsage.trimEnd()}

Dashboard options
  --sandbox              use the local sandbox region (no AWS account needed)
  --sandbox-dir <dir>    sandbox data directory (default: BUNDLEDECK_SANDBOX_DIR, else the OS data dir)
  --sandbox-reset        wipe the sandbox's data (and its local history) first
  --profile <name>       AWS profile (default: AWS_PROFILE, else default)
  --region <region>      AWS region (default: AWS_REGION / AWS_DEFAULT_REGION, else the profile's, else us-east-1)
  --endpoint-url <url>   send EC2 and S3 requests to this endpoint (AWS_ENDPOINT_URL[_EC2|_S3] also work)
  --no-color             no colours (NO_COLOR is honoured too)
  --no-notify            no bell / OSC 9 notification when a task finishes
  -h, --help             show this help
  -v, --version          show the version

Dashboard keys
  ↑↓/j k move · enter choose · esc back · / filter · ? help · n new bundle · r register · m migrate
  c cancel · g regions · s sort · R refresh · q / ctrl+c quit
`;
}

const dashboardOptions = {
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
	sandbox: {type: 'boolean'},
	'sandbox-dir': {type: 'string'},
	'sandbox-reset': {type: 'boolean'},
	profile: {type: 'string'},
	region: {type: 'string'},
	'endpoint-url': {type: 'string'},
	color: {type: 'boolean'},
	'no-color': {type: 'boolean'},
	notify: {type: 'boolean'},
	'no-notify': {type: 'boolean'},
} as const;

function parseDashboardArgs(argv: string[]) {
	return parseArgs({args: argv, options: dashboardOptions, allowPositionals: true, strict: true});
}

function fail(line: string, code: number): number {
	process.stderr.write(`bundledeck: ${line}\n`);
	return code;
}

function version(): string {
	const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
		version: string;
	};
	return packageJson.version;
}

function firstLine(error: unknown): string {
	if (error instanceof Error && 'toLine' in error && typeof error.toLine === 'function') {
		return String(error.toLine());
	}

	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n')[0] ?? 'unexpected error';
}

/** node:util parseArgs errors in the words the commands use: "unknown flag --x", "--region needs a value". */
function parseErrorLine(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	const code = error instanceof Error && 'code' in error ? String(error.code) : '';
	const flag = /'(-{1,2}[^'\s,]*)/.exec(message)?.[1];
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
		return `unknown flag ${flag}`;
	}

	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
		const long = /--[\w-]+/.exec(message)?.[0] ?? flag;
		return message.includes('does not take an argument') ? `${long} does not take a value` : `${long} needs a value`;
	}

	return firstLine(error);
}

async function runDashboard(argv: string[], commandUsage: string): Promise<number> {
	let parsed: ReturnType<typeof parseDashboardArgs>;
	try {
		parsed = parseDashboardArgs(argv);
	} catch (error) {
		return fail(`${parseErrorLine(error)} (see bundledeck --help)`, 2);
	}

	const {values, positionals} = parsed;
	if (values.help) {
		process.stdout.write(helpText(commandUsage));
		return 0;
	}

	if (values.version) {
		process.stdout.write(`${version()}\n`);
		return 0;
	}

	if (positionals.length > 0) {
		return fail(`unknown command '${positionals[0]}' (see bundledeck --help)`, 2);
	}

	for (const name of ['profile', 'region', 'endpoint-url', 'sandbox-dir'] as const) {
		if (values[name] !== undefined && values[name].trim() === '') {
			return fail(`--${name} needs a value`, 2);
		}
	}

	if (values.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(values.region)) {
		return fail(`--region '${values.region}' is not an AWS region name (like us-east-1)`, 2);
	}

	if (values['endpoint-url'] !== undefined && !URL.canParse(values['endpoint-url'])) {
		return fail(
			`--endpoint-url '${values['endpoint-url']}' is not a URL (like https://ec2.us-east-1.amazonaws.com)`,
			2,
		);
	}

	if (values.sandbox && (values.profile !== undefined || values['endpoint-url'] !== undefined)) {
		return fail('--sandbox cannot be combined with --profile or --endpoint-url', 2);
	}

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		return fail(
			'the dashboard needs an interactive terminal; for scripts use a command such as `bundledeck tasks --json` (see bundledeck --help)',
			2,
		);
	}

	const [{openSession, configDirectory}, {openSettings}, {render}, {createElement}, {App}] = await Promise.all([
		import('./session.js'),
		import('./store/settings.js'),
		import('ink'),
		import('react'),
		import('./app.js'),
	]);

	let session: Awaited<ReturnType<typeof openSession>>;
	try {
		session = await openSession({
			sandbox: values.sandbox ?? false,
			sandboxDir: values['sandbox-dir'],
			sandboxReset: values['sandbox-reset'],
			profile: values.profile,
			region: values.region,
			endpointUrl: values['endpoint-url'],
		});
	} catch (error) {
		return fail(firstLine(error), 1);
	}

	// In raw mode Ctrl+C is a key (Ink handles it); kill -INT, kill, or a closed terminal are signals: each one
	// unmounts, and the listeners stay until the session (and the in-process sandbox) is closed. Libraries in the
	// process (conf's when-exit, Ink's signal-exit) re-raise a signal they see and kill the process when no other
	// listener is left, which would skip the close and leave the sandbox unsaved.
	let unmount: (() => void) | undefined;
	const stop = () => {
		unmount?.();
	};

	const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of stopSignals) {
		process.on(signal, stop);
	}

	try {
		const settings = openSettings({cwd: configDirectory()});
		const regionWasChosen = Boolean(values.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION']);
		const initialRegion = regionWasChosen
			? session.services.defaultRegion
			: (settings.get('lastRegion') ?? session.services.defaultRegion);
		const notifications = values['no-notify'] ? false : (settings.get('notifications') ?? true);
		if (session.notice) {
			process.stderr.write(`bundledeck: ${session.notice}\n`);
		}

		if (session.history.warning) {
			process.stderr.write(`bundledeck: ${session.history.warning}\n`);
		}

		const instance = render(
			createElement(App, {
				services: session.services,
				history: session.history,
				settings,
				initialRegion,
				notifications,
			}),
			{maxFps: 30, exitOnCtrlC: true, patchConsole: true},
		);
		unmount = () => {
			instance.unmount();
		};

		await instance.waitUntilExit();
		return 0;
	} catch (error) {
		return fail(firstLine(error), 1);
	} finally {
		await session.close();
		for (const signal of stopSignals) {
			process.off(signal, stop);
		}
	}
}

/**
 * The command in argv: the first word, or the first word after global flags (`bundledeck --sandbox tasks`,
 * `bundledeck --region eu-west-1 wait bun-1`): the commands accept global flags anywhere, so the rest keeps them.
 */
function findCommand(argv: string[], names: readonly string[]): {name: string; rest: string[]} | undefined {
	let tokens: ReturnType<typeof parseArgs>['tokens'];
	try {
		({tokens} = parseArgs({
			args: argv,
			options: {...dashboardOptions, json: {type: 'boolean'}},
			allowPositionals: true,
			strict: false,
			tokens: true,
		}));
	} catch {
		return undefined;
	}

	const first = tokens.find((token) => token.kind === 'positional' || token.kind === 'option-terminator');
	if (first?.kind !== 'positional' || !names.includes(first.value)) {
		return undefined;
	}

	return {name: first.value, rest: argv.filter((_, index) => index !== first.index)};
}

async function main(argv: string[]): Promise<number> {
	if (argv.includes('--no-color') || process.env['NO_COLOR'] !== undefined) {
		// Before Ink/chalk load: they read the colour level once at import time.
		process.env['FORCE_COLOR'] = '0';
	}

	const [first, ...rest] = argv;
	if (first === 'sandbox') {
		const {runSandboxCommand} = await import('./commands/sandbox.js');
		return runSandboxCommand(rest, {stdout: process.stdout, stderr: process.stderr, env: process.env});
	}

	const {commandNames, runCommand, usage} = await import('./commands/index.js');
	const command = findCommand(argv, commandNames);
	if (command) {
		const {name, rest} = command;
		const {openSession, openSessionHistory} = await import('./session.js');
		const controller = new AbortController();
		const interrupt = () => {
			controller.abort();
		};

		// A reader that went away (`bundledeck tasks | head -1`): stop quietly, exit 0, no EPIPE stack trace.
		let outputClosed = false;
		const onOutputError = (error: NodeJS.ErrnoException) => {
			if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
				outputClosed = true;
				controller.abort();
			}
		};

		// SIGTERM / SIGHUP (kill, a closed terminal) stop the command like Ctrl+C does, so the in-process
		// sandbox saves its state and releases its directory instead of dying mid-write.
		const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
		// `on`, not `once`, kept until the command (and its session) has finished: conf's when-exit re-raises the
		// signal, and a second delivery with no listener left would kill the process mid-close.
		for (const signal of signals) {
			process.on(signal, interrupt);
		}

		process.stdout.on('error', onOutputError);
		try {
			const code = await runCommand(name, rest, {
				io: {
					stdout: process.stdout,
					stderr: process.stderr,
					stdinIsTTY: Boolean(process.stdin.isTTY),
					env: process.env,
					isOutputClosed: () => outputClosed,
				},
				openSession: async (options) => openSession(options, process.env),
				openHistory: (options) => openSessionHistory(options, process.env),
				signal: controller.signal,
			});
			return outputClosed ? 0 : code;
		} finally {
			for (const signal of signals) {
				process.off(signal, interrupt);
			}
		}
	}

	return runDashboard(argv, usage());
}

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	process.exitCode = fail(`unexpected error: ${firstLine(error)}`, 1);
}
