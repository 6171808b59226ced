/**
 * Issue 14 item 8 and the fault-and-crash suite's "bad inputs": hostile values (terminal escapes, OSC window titles,
 * control and bidi characters, 100 KB strings, forged lines) in every slot of every command. Each must fail with its
 * exit code and one line on stderr, never a stack trace, and nothing a terminal would act on reaches the output.
 * The UI's render points of untrusted text (error line, task table, detail pane) are checked the same way.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {AppError} from '../../source/core/app-error.js';
import {hasUnsafeCharacters} from '../../source/core/terminal-text.js';
import {ErrorLine} from '../../source/ui/components/error-line.js';
import {TaskDetail} from '../../source/ui/components/task-detail.js';
import {layoutColumns, TaskTable} from '../../source/ui/components/task-table.js';
import type {DashboardRow} from '../../source/ui/state/dashboard-rows.js';
import {fastPace, type Harness, startHarness} from '../commands/harness.js';
import {renderTui} from '../helpers/render.js';

const hostile: Record<string, string> = {
	'clear screen': 'a\u001B[2J\u001B[Hb',
	'window title (OSC)': '\u001B]0;pwned\u0007x',
	'bell and carriage return': 'ok\u0007\rbundledeck: all good',
	'bidi override': 'evil\u202Etxt.exe',
	'C1 control': 'x\u009B31my',
	'forged line': 'a\nbundledeck: done',
	'100 KB value': 'v'.repeat(100 * 1024),
	empty: '',
};

const slots: Record<string, (value: string) => string[]> = {
	'bundle <instance-id>': (v) => ['bundle', v, '--bucket', 'b-ok', '--prefix', 'p'],
	'bundle --bucket': (v) => ['bundle', 'i-0123456789abcdef0', '--bucket', v, '--prefix', 'p'],
	'bundle --prefix': (v) => ['bundle', 'i-0123456789abcdef0', '--bucket', 'bucket-ok', '--prefix', v],
	'bundle --expiry': (v) => ['bundle', 'i-0123456789abcdef0', '--bucket', 'bucket-ok', '--prefix', 'p', '--expiry', v],
	'tasks --region': (v) => ['tasks', '--region', v],
	'tasks --state': (v) => ['tasks', '--state', v],
	'wait <bundle-id>': (v) => ['wait', v],
	'cancel <bundle-id>': (v) => ['cancel', v, '--yes'],
	'register <location>': (v) => ['register', v, '--name', 'n-ok'],
	'register --name': (v) => ['register', 'bucket-ok/p.manifest.xml', '--name', v],
	'migrate --to-region': (v) => ['migrate', 'bun-1a2b3c4d', '--to-region', v, '--to-bucket', 'b-ok'],
	'copy-image <ami-id>': (v) => ['copy-image', v, '--to-region', 'us-west-2'],
	'unknown flag': (v) => ['tasks', `--x${v}`],
	'unknown command': (v) => [`x${v}`],
};

let harness: Harness;
const outcomes: Array<{name: string; handled: boolean}> = [];

beforeAll(async () => {
	harness = await startHarness(fastPace);
});

afterAll(async () => {
	await harness.close();
	const handled = outcomes.filter((outcome) => outcome.handled).length;
	// The figure the issue asks for ("bad inputs tried / handled").
	console.info(`hostile inputs: ${outcomes.length} tried, ${handled} handled`);
});

describe('commands', () => {
	const cases = Object.entries(slots).flatMap(([slot, argv]) =>
		Object.entries(hostile).map(([kind, value]) => ({name: `${slot}: ${kind}`, argv: argv(value)})),
	);
	test.each(cases)('$name', async ({name, argv}) => {
		const result = await harness.run(argv);
		const text = result.stdout + result.stderr;
		const handled =
			(result.code === 1 || result.code === 2) &&
			result.stderr.trim().split('\n').length === 1 &&
			!hasUnsafeCharacters(text.replaceAll('\n', '')) &&
			!/\n\s+at /.test(text) &&
			text.length < 4000;
		outcomes.push({name, handled});
		expect({code: result.code, stderr: result.stderr.slice(0, 300), handled}).toMatchObject({handled: true});
	});
});

function hostileRow(): DashboardRow {
	const when = new Date('2026-11-26T15:00:00Z');
	return {
		key: 'us-east-1/bun-5a2c1f00',
		bundleId: 'bun-5a2c1f00',
		region: 'us-east-1',
		instanceId: 'i-038a1af8247b8b212',
		instanceName: 'web\u001B]0;pwned\u000701',
		state: 'failed',
		progress: 40,
		startTime: when,
		updateTime: when,
		bucket: 'demo-bundles',
		prefix: 'evil\u202Etxt',
		error: {code: 'Client.X', message: `bad\u001B[2J${'m'.repeat(100 * 1024)}`},
		fromHistory: false,
		cancelRequested: false,
		timeline: [],
		eta: undefined,
		history: undefined,
	};
}

/** Ink's own colour codes (CSI ... m) are fine; nothing else a terminal acts on may remain. */
function actedOn(frame: string): boolean {
	return hasUnsafeCharacters(frame.replaceAll(/\u001B\[[\d;]*m/g, '').replaceAll('\n', ''));
}

describe('UI render points', () => {
	test('error line', () => {
		const error = new AppError({
			code: 'X',
			message: `prefix '\u001B]0;pwned\u0007\u202E${'p'.repeat(100_000)}' is bad`,
		});
		const view = renderTui(<ErrorLine error={error} width={78} maxLines={3} />);
		const raw = view.stdout.frames.join('');
		view.unmount();
		expect(actedOn(raw)).toBe(false);
		expect(raw).toContain('<ESC>');
	});

	test('task table and detail pane', () => {
		const row = hostileRow();
		const table = renderTui(
			<TaskTable rows={[row]} selectedKey={row.key} columns={layoutColumns(80, false)} now={Date.now()} />,
		);
		const detail = renderTui(<TaskDetail row={row} images={{}} now={Date.now()} width={80} height={14} />);
		const raw = table.stdout.frames.join('') + detail.stdout.frames.join('');
		table.unmount();
		detail.unmount();
		expect(actedOn(raw)).toBe(false);
		expect(raw).toContain('<U+202E>');
	});
});
