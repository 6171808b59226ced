/**
 * The one parser (issue 10 item 2, issue 14 items 2, 9, 10, issue 15 item 11): usage problems are refused with one
 * line and exit 2 before any session opens. No sandbox needed: the session opener only records that it was called.
 */
import {describe, expect, test} from 'vitest';
import {parseCommandArgs, specFlags} from '../../source/commands/args.js';
import {dashboardSpec} from '../../source/commands/dashboard-spec.js';
import {
	allSpecs,
	commandHelpText,
	commandNames,
	findRoute,
	helpText,
	route,
	runCommand,
} from '../../source/commands/index.js';
import {parsedRoute, routeTable, routeWith} from '../../source/commands/route.js';
import {dashboardHelpKeys} from '../../source/ui/screens/dashboard/dashboard-keys.js';
import {CaptureStream} from './harness.js';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
	const stdout = new CaptureStream(false);
	const stderr = new CaptureStream(false);
	let sessions = 0;
	const [name = '', ...rest] = argv;
	const code = await runCommand(name, rest, {
		io: {stdout, stderr, stdinIsTTY: false, env},
		async openSession() {
			sessions++;
			throw new Error('no session in this test');
		},
		openHistory() {
			sessions++;
			throw new Error('no history in this test');
		},
	});
	return {code, stdout: stdout.text, stderr: stderr.text, sessions};
}

function expectUsageError(result: Awaited<ReturnType<typeof run>>, ...words: string[]) {
	expect(result.code).toBe(2);
	expect(result.stdout).toBe('');
	expect(result.stderr.trim().split('\n')).toHaveLength(1);
	for (const word of words) {
		expect(result.stderr).toContain(word);
	}

	expect(result.sessions).toBe(0);
}

const instance = 'i-0123456789abcdef0';
const bundle = ['bundle', instance, '--bucket', 'b-bucket', '--prefix', 'p'];

describe('duration flags have a sane range (issue 14 item 2)', () => {
	test.each([
		// 600h overflowed Node's timer (2^31 ms) and polled in a tight loop.
		[['tasks', '--watch', '--interval', '600h'], '--interval', 'from 1s to 1h'],
		[['tasks', '--watch', '--interval', '2h'], '--interval', 'from 1s to 1h'],
		// 1ms called AWS hundreds of times a second.
		[['tasks', '--watch', '--interval', '1ms'], '--interval', 'from 1s to 1h'],
		[['tasks', '--watch', '--interval', '999ms'], '--interval', 'from 1s to 1h'],
		[['wait', 'bun-0123abcd', '--interval', '1ms'], '--interval', 'from 1s to 1h'],
		[['wait', 'bun-0123abcd', '--timeout', '8d'], '--timeout', 'from 1s to 7d'],
		[['wait', 'bun-0123abcd', '--timeout', '0ms'], '--timeout', 'from 1s to 7d'],
		[[...bundle, '--wait', '--interval', '500ms'], '--interval', 'from 1s to 1h'],
		[[...bundle, '--expiry', '30d'], '--expiry', 'from 1h to 7d'],
		[[...bundle, '--expiry', '10m'], '--expiry', 'from 1h to 7d'],
	])('%j is refused naming %s', async (argv, flag, range) => {
		expectUsageError(await run(argv), flag, range);
	});

	test('values inside the range reach the session', async () => {
		for (const argv of [
			['tasks', '--watch', '--interval', '1s'],
			['tasks', '--watch', '--interval', '1h'],
			['tasks', '--watch', '--interval', '1500ms'],
			['wait', 'bun-0123abcd', '--timeout', '7d', '--interval', '30s'],
			[...bundle, '--expiry', '12h'],
		]) {
			const result = await run(argv);
			expect(result.stderr).not.toContain('out of range');
			expect(result.sessions).toBe(1);
		}
	});

	test('--timeout 0 does not suggest "like 0m" (issue 14 item 9)', async () => {
		const result = await run(['wait', 'bun-0123abcd', '--timeout', '0']);
		expectUsageError(result, '--timeout', 'longer than zero');
		expect(result.stderr).not.toContain('like 0m');
	});
});

describe('a single-value flag given twice is refused, not the last taken (issue 14 item 10)', () => {
	test.each([
		[['bundle', instance, '--bucket', 'a-bucket', '--bucket', 'b-bucket', '--prefix', 'p'], '--bucket'],
		[[...bundle, '--prefix=q'], '--prefix'],
		[['tasks', '--state', 'complete', '--state', 'failed'], '--state'],
		[['wait', 'bun-0123abcd', '--timeout', '1h', '--timeout', '2h'], '--timeout'],
		[['tasks', '--profile', 'a', '--profile', 'b'], '--profile'],
		[['register', 'bun-0123abcd', '--name', 'one name', '--name', 'two name'], '--name'],
	])('%j names %s', async (argv, flag) => {
		expectUsageError(await run(argv), `${flag} may be given only once`);
	});

	test('a repeatable flag (tasks --region) and a repeated switch are still fine', async () => {
		expect((await run(['tasks', '--region', 'us-east-1', '--region', 'eu-west-1'])).sessions).toBe(1);
		expect((await run(['tasks', '--json', '--json'])).sessions).toBe(1);
	});
});

describe('BUNDLEDECK_SANDBOX_* values are checked before a sandbox starts (issue 14 item 10)', () => {
	test.each([
		['BUNDLEDECK_SANDBOX_THROTTLE_RATE', 'lots'],
		['BUNDLEDECK_SANDBOX_THROTTLE_RATE', '1.5'],
		['BUNDLEDECK_SANDBOX_ERROR_RATE', '-0.1'],
		['BUNDLEDECK_SANDBOX_LATENCY_MS', '99999999'],
		['BUNDLEDECK_SANDBOX_LATENCY_MS', 'slow'],
		['BUNDLEDECK_SANDBOX_STEP_DELAY_MS', '1.5'],
		['BUNDLEDECK_SANDBOX_BYTES_PER_SECOND', 'fast'],
		['BUNDLEDECK_SANDBOX_BYTES_PER_SECOND', '1'],
		['BUNDLEDECK_SANDBOX_IMAGE_SIZE', '12 parsecs'],
		['BUNDLEDECK_SANDBOX_IMAGE_SIZE', '1TiB'],
		['BUNDLEDECK_SANDBOX_FAULT_ACTIONS', 'Bundle Instance;'],
		['BUNDLEDECK_SANDBOX_DIR', ' '],
		['BUNDLEDECK_SANDBOX_FINISHED_TASK_SECONDS', '3d'],
		['BUNDLEDECK_SANDBOX_FINISHED_TASK_SECONDS', '99999999'],
	])('%s=%j is one line, exit 2', async (name, value) => {
		expectUsageError(await run(['tasks', '--sandbox'], {[name]: value}), name);
		expectUsageError(await run(['sandbox'], {[name]: value}), name);
	});

	test('good values pass, and without --sandbox they are not looked at', async () => {
		const good = {
			BUNDLEDECK_SANDBOX_THROTTLE_RATE: '0.25',
			BUNDLEDECK_SANDBOX_ERROR_RATE: '0',
			BUNDLEDECK_SANDBOX_LATENCY_MS: '40',
			BUNDLEDECK_SANDBOX_STEP_DELAY_MS: '0',
			BUNDLEDECK_SANDBOX_BYTES_PER_SECOND: 'max',
			BUNDLEDECK_SANDBOX_IMAGE_SIZE: '256MiB',
			BUNDLEDECK_SANDBOX_FAULT_ACTIONS: 'BundleInstance, PutObject',
			BUNDLEDECK_SANDBOX_FINISHED_TASK_SECONDS: '0',
		};
		expect((await run(['tasks', '--sandbox'], good)).sessions).toBe(1);
		expect((await run(['tasks'], {BUNDLEDECK_SANDBOX_THROTTLE_RATE: 'lots'})).sessions).toBe(1);
	});
});

describe('one parser for the dashboard and the commands (issue 10 item 2)', () => {
	test('the dashboard refuses --sandbox-dir / --sandbox-reset without --sandbox, as the commands do', () => {
		expect(() => parseCommandArgs(dashboardSpec, ['--sandbox-dir', '/tmp/x'])).toThrow(
			'--sandbox-dir and --sandbox-reset need --sandbox',
		);
		expect(() => parseCommandArgs(dashboardSpec, ['--sandbox-reset'])).toThrow('need --sandbox');
		expect(parseCommandArgs(dashboardSpec, ['--sandbox', '--sandbox-dir', '/tmp/x']).globals.sandboxDir).toBe('/tmp/x');
	});

	test('the dashboard checks regions and repeated flags with the same words as the commands', () => {
		expect(() => parseCommandArgs(dashboardSpec, ['--region', 'us-east-1a'])).toThrow(
			"--region 'us-east-1a' is not an AWS region name",
		);
		expect(() => parseCommandArgs(dashboardSpec, ['--profile', 'a', '--profile', 'b'])).toThrow(
			'--profile may be given only once',
		);
		expect(() => parseCommandArgs(dashboardSpec, ['--json'])).toThrow('unknown flag --json (see bundledeck --help)');
		expect(() => parseCommandArgs(dashboardSpec, ['nosuch'])).toThrow("unknown command 'nosuch'");
		expect(() => parseCommandArgs(dashboardSpec, ['--sandbox'], {BUNDLEDECK_SANDBOX_LATENCY_MS: 'x'})).toThrow(
			'BUNDLEDECK_SANDBOX_LATENCY_MS',
		);
	});

	test('the command word is found after global flags, never in a flag value', () => {
		expect(route(['--region', 'eu-west-1', 'wait', 'bun-1'])).toEqual({
			kind: 'command',
			name: 'wait',
			rest: ['--region', 'eu-west-1', 'bun-1'],
		});
		expect(route(['--sandbox', '--json', 'sandbox', '--port', '0'])).toEqual({
			kind: 'command',
			name: 'sandbox',
			rest: ['--sandbox', '--json', '--port', '0'],
		});
		expect(route(['--bucket', 'tasks'])).toEqual({kind: 'dashboard'});
		expect(route(['--', 'tasks'])).toEqual({kind: 'dashboard'});
		expect(route([])).toEqual({kind: 'dashboard'});
	});

	test('a flag name means the same kind of flag in every spec (the router skips flag values by it)', () => {
		const kinds = new Map<string, string>();
		for (const spec of allSpecs) {
			for (const [name, flag] of Object.entries(specFlags(spec))) {
				expect(kinds.get(name) ?? flag.type, `--${name} in '${spec.name}'`).toBe(flag.type);
				kinds.set(name, flag.type);
			}
		}
	});

	test('a subcommand is a spec with a two-word name; the longest match wins', () => {
		const spec = (name: string) => ({
			summary: '',
			usage: [name],
			flags: {},
			positionals: {names: '', min: 0, max: 0},
			name,
		});
		const specs = [dashboardSpec, spec('sandbox'), spec('sandbox status')];
		expect(findRoute(['sandbox', '--json', 'status'], specs)).toEqual({
			kind: 'command',
			name: 'sandbox status',
			rest: ['--json'],
		});
		expect(findRoute(['sandbox', '--port', '0'], specs)).toEqual({
			kind: 'command',
			name: 'sandbox',
			rest: ['--port', '0'],
		});
		expect(findRoute(['status'], specs)).toEqual({kind: 'dashboard'});
	});

	test('the route found without parseArgs (the bin fast path) is the one parseArgs finds, whatever the flags', () => {
		const table = routeTable(allSpecs);
		const argvs = [
			[],
			['history'],
			['history', '--json'],
			['--json', 'history'],
			['--sandbox', 'history', '--json'],
			['--sandbox-dir=history', 'tasks'],
			['--sandbox-dir', 'history', 'tasks'],
			['--region', 'history'],
			['--region=us-east-1', 'history', '--unknown'],
			['--unknown', 'history'],
			['sandbox', '--json', 'status'],
			['sandbox', '--dir', 'status'],
			['-h', 'history'],
			['history', '-h'],
			['--', 'history'],
			['-', 'history'],
			['history', '--', '--json'],
			['--help'],
			['bundle', '--help'],
			['--=x', 'history'],
			['-5', 'history'],
			['tasks', 'history'],
		];
		for (const argv of argvs) {
			expect(routeWith(argv, table), argv.join(' ')).toEqual(parsedRoute(argv, table));
		}
	});
});

describe('help is generated from the specs (issue 10 item 2, issue 15 item 11)', () => {
	test('every command, sandbox included, has the same help layout', () => {
		expect(commandNames).toContain('sandbox');
		for (const name of commandNames) {
			const text = commandHelpText(name) ?? '';
			expect(text.startsWith(`bundledeck ${name} — `)).toBe(true);
			expect(text).toContain(`\nUsage\n  $ bundledeck ${name}`);
			expect(text).toContain('\nGlobal flags\n');
			expect(text).toContain('--json');
			expect(text).toContain('\nExit codes\n');
		}
	});

	test('the top-level help lists sandbox and the real dashboard keys', () => {
		const text = helpText();
		expect(text).toMatch(/^ {2}sandbox \[--port N\]/m);
		expect(text).not.toContain('enter choose');
		const keys = text.slice(text.indexOf('Dashboard keys'));
		for (const hint of dashboardHelpKeys) {
			expect(keys).toContain(hint.key);
			expect(keys).toContain(hint.label);
		}

		for (const flag of ['--sandbox-dir', '--no-notify', '--version']) {
			expect(text).toContain(flag);
		}

		for (const line of text.split('\n')) {
			expect(line.length).toBeLessThanOrEqual(120);
		}
	});

	test('a duration flag shows its range', () => {
		expect(commandHelpText('tasks')).toMatch(/--interval <duration> +time between polls.*from 1s to 1h/);
		expect(commandHelpText('bundle')).toMatch(/--expiry <duration> +.*from 1h to 7d/);
	});
});
