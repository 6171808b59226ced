/**
 * The whole CLI, loaded by the bin (cli.ts) for everything its fast path does not answer: find the command (or the
 * dashboard), parse its flags with the one parser, run it.
 * Every failure ends as one line on stderr; exit codes: 0 ok, 1 failed, 2 usage, 3 timeout, 130 interrupted.
 */

import {fail, runAsProcess} from './command-process.js';
import {booleanValue, parseCommandArgs, wantsHelp} from './commands/args.js';
import {dashboardSpec} from './commands/dashboard-spec.js';
import {UsageError} from './commands/exit-codes.js';
import {commandNames, helpText, route, runCommand} from './commands/index.js';
import {firstLine} from './core/app-error.js';
import {reportProcessWarnings} from './process-warnings.js';

async function version(): Promise<string> {
	// Imported here: node:fs costs every other run start-up time it does not need.
	const {readFile} = await import('node:fs/promises');
	const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
		version: string;
	};
	return packageJson.version;
}

async function dashboard(argv: string[]): Promise<number> {
	if (wantsHelp(argv)) {
		process.stdout.write(helpText());
		return 0;
	}

	let parsed: ReturnType<typeof parseCommandArgs>;
	try {
		parsed = parseCommandArgs(dashboardSpec, argv, process.env, commandNames);
	} catch (error) {
		return fail(error instanceof UsageError ? error.message : firstLine(error), 2);
	}

	if (booleanValue(parsed, 'version')) {
		process.stdout.write(`${await version()}\n`);
		return 0;
	}

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		return fail(
			'the dashboard needs an interactive terminal; for scripts use a command such as `bundledeck tasks --json` (see bundledeck --help)',
			2,
		);
	}

	const {runDashboard} = await import('./run-dashboard.js');
	return runDashboard(parsed, (line) => fail(line, 1));
}

async function command(name: string, argv: string[]): Promise<number> {
	// The session (AWS SDK, and the sandbox with --sandbox) loads only when the command opens one, and the
	// history store only for `history`, which reads it without a session: `--help` needs neither.
	const openSessionHistory = name === 'history' ? (await import('./session-history.js')).openSessionHistory : undefined;
	return runAsProcess((context) => runCommand(name, argv, context), {
		openSession: async (options) =>
			(await import('./session.js')).openSession(options, process.env, {sandbox: 'service'}),
		openHistory: openSessionHistory && ((options) => openSessionHistory(options, process.env)),
	});
}

async function main(argv: string[]): Promise<number> {
	if (argv.includes('--no-color') || process.env['NO_COLOR'] !== undefined) {
		// Before Ink/chalk load: they read the colour level once at import time.
		process.env['FORCE_COLOR'] = '0';
	}

	const found = route(argv);
	return found.kind === 'command' ? command(found.name, found.rest) : dashboard(argv);
}

reportProcessWarnings((line) => process.stderr.write(`${line}\n`));
try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	process.exitCode = fail(`unexpected error: ${firstLine(error)}`, 1);
}
