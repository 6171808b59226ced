import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {waitFor} from '../helpers/wait-for.js';
import {type CaptureStream, type Harness, type RunOptions, type RunResult, slowPace, startHarness} from './harness.js';

let harness: Harness;
let running: string;
let runningInstance: string;

beforeAll(async () => {
	harness = await startHarness(slowPace);
	const [instance] = await harness.eligibleInstances('us-east-1');
	runningInstance = instance!.id;
	const started = await harness.run([
		'bundle',
		instance!.id,
		'--bucket',
		'cmd-slow',
		'--prefix',
		'slow',
		'--region',
		'us-east-1',
	]);
	expect(started.code).toBe(0);
	running = started.stdout.trim();
});

afterAll(async () => {
	const secret = harness.test.sandbox.credentials.secretAccessKey;
	for (const output of harness.transcript) {
		expect(output).not.toContain(secret);
	}

	await harness.close();
});

describe('wait', () => {
	test('gives up after --timeout with exit 3 and says how to keep waiting', async () => {
		const result = await harness.run(['wait', running, '--timeout', '1s', '--interval', '1s']);
		expect(result.code).toBe(3);
		expect(result.stderr).toContain('timed out after 1s');
		expect(result.stderr).toContain(`bundledeck wait ${running}`);
		expect(result.stdout).toContain(running);
	});

	test('the hint to keep waiting carries the flags of this run, ready to paste', async () => {
		const result = await harness.run([
			'wait',
			running,
			'--timeout',
			'1s',
			'--interval',
			'1s',
			'--sandbox',
			'--sandbox-dir',
			'relative dir',
			'--region',
			'us-east-1',
		]);
		expect(result.code).toBe(3);
		const dir = path.resolve('relative dir');
		expect(result.stderr).toContain(
			`run \`bundledeck wait ${running} --sandbox --sandbox-dir '${dir}' --region us-east-1\` to keep waiting`,
		);
	});

	test('bundling an instance already being bundled names the task, with wait and cancel hints ready to paste', async () => {
		const again = await harness.run([
			'bundle',
			runningInstance,
			'--bucket',
			'cmd-slow',
			'--prefix',
			'slow-again',
			'--sandbox',
			'--sandbox-dir',
			'relative dir',
			'--region',
			'us-east-1',
		]);
		expect(again.code).toBe(1);
		const flags = `--sandbox --sandbox-dir '${path.resolve('relative dir')}' --region us-east-1`;
		expect(again.stderr).toContain(`already being bundled by task ${running}`);
		expect(again.stderr).toContain(`\`bundledeck wait ${running} ${flags}\``);
		expect(again.stderr).toContain(`\`bundledeck cancel ${running} ${flags}\``);
	});

	test('--json on timeout reports the outcome', async () => {
		const result = await harness.run(['wait', running, '--timeout', '1s', '--interval', '1s', '--json']);
		expect(result.code).toBe(3);
		const json = JSON.parse(result.stdout) as {
			outcome: string;
			tasks: Array<{kind: string; bundleId: string}>;
			error: unknown;
		};
		expect(json.outcome).toBe('timeout');
		expect(json.tasks.map((task) => task.bundleId)).toEqual([running]);
		// A task reads as in `tasks --json`
		expect(json.tasks.map((task) => task.kind)).toEqual(['bundle']);
		expect(json.error).toBeNull();
	});

	test('draws progress on stderr only when it is a terminal', async () => {
		const quiet = await harness.run(['wait', running, '--timeout', '1s', '--interval', '1s']);
		expect(quiet.stderr).not.toContain('Waiting');
		const drawn = await harness.run(['wait', running, '--timeout', '1s', '--interval', '1s'], {stderrIsTTY: true});
		expect(drawn.stderr).toContain('Waiting');
		expect(drawn.stderr).toContain(running);
	});

	test('Ctrl+C (the aborted signal) stops with exit 130', async () => {
		const controller = new AbortController();
		const before = harness.test.sandbox.requestLog().filter((entry) => entry.action === 'DescribeBundleTasks').length;
		const pending = harness.run(['wait', running, '--interval', '1s'], {signal: controller.signal});
		await waitFor(
			() => harness.test.sandbox.requestLog().filter((entry) => entry.action === 'DescribeBundleTasks').length > before,
		);
		controller.abort();
		const result = await pending;
		expect(result.code).toBe(130);
		expect(result.stderr).toContain('interrupted');
	});

	test('an already interrupted command exits 130 without doing anything', async () => {
		const controller = new AbortController();
		controller.abort();
		const sessions = harness.sessions.length;
		const result = await harness.run(['tasks'], {signal: controller.signal});
		expect(result.code).toBe(130);
		expect(harness.sessions.length).toBe(sessions);
	});

	test('a bundle id that is neither listed nor in history fails with exit 1', async () => {
		const result = await harness.run(['wait', 'bun-00000000abcdef12', '--region', 'us-east-1']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('not listed in us-east-1');
	});
});

const watchArgs = ['tasks', '--region', 'us-east-1', '--watch', '--interval', '1s'];

/**
 * Runs `tasks --watch` until `ready` (called with the live stdout, which it may resize) says enough was drawn, then
 * presses Ctrl+C.
 */
async function watchUntil(
	argv: string[],
	options: RunOptions,
	ready: (stdout: CaptureStream) => boolean,
): Promise<RunResult> {
	const controller = new AbortController();
	let stdout: CaptureStream | undefined;
	const pending = harness.run(argv, {
		...options,
		signal: controller.signal,
		onStart(streams) {
			stdout = streams.stdout;
		},
	});
	await waitFor(() => stdout !== undefined && ready(stdout));
	controller.abort();
	const result = await pending;
	expect(result.code).toBe(130);
	return result;
}

/** What the terminal shows: the frames without their cursor movements. */
function shown(text: string): string[] {
	return text.replaceAll(/\u001B\[\d*[AJKH]|\r/g, '').split('\n');
}

describe('tasks --watch', () => {
	test('on a terminal redraws in place until Ctrl+C (exit 130)', async () => {
		const result = await watchUntil(
			watchArgs,
			{stdoutIsTTY: true},
			(stdout) => (stdout.text.match(/Updated/g) ?? []).length >= 2,
		);
		expect(result.stdout).toContain(running);
		// The second frame moves the cursor back up over the first.
		expect(result.stdout).toMatch(/\u001B\[\d+A/);
	});

	test('on an 80-column terminal the table fits, and state and progress are never cut', async () => {
		const result = await watchUntil(watchArgs, {stdoutIsTTY: true, stdoutColumns: 80}, (stdout) =>
			stdout.text.includes('Updated'),
		);
		const lines = shown(result.stdout);
		for (const line of lines) {
			expect(line.length).toBeLessThan(80);
		}

		expect(lines[0]).toMatch(/ID +.*STATE +PROGRESS/);
		const row = lines.find((line) => line.includes(running));
		expect(row).toMatch(/ (pending|waiting-for-shutdown|bundling|storing) +(\d+%|-)( |$)/);
	});

	test('a resize between frames clears the screen: the old frame re-wrapped and cannot be counted back over', async () => {
		let before: number | undefined;
		const result = await watchUntil(watchArgs, {stdoutIsTTY: true, stdoutColumns: 120}, (stdout) => {
			if (before === undefined && stdout.text.includes('Updated')) {
				stdout.columns = 60;
				before = stdout.text.length;
			}

			return before !== undefined && stdout.text.slice(before).includes('Updated');
		});
		const second = result.stdout.slice(before);
		expect(second.startsWith('\u001B[H\u001B[2J')).toBe(true);
		for (const line of shown(second)) {
			expect(line.length).toBeLessThan(60);
		}
	});

	test('plain tasks on a terminal draws the table; piped, the tab-separated lines stay', async () => {
		const drawn = await harness.run(['tasks', '--region', 'us-east-1'], {stdoutIsTTY: true, stdoutColumns: 100});
		expect(drawn.code).toBe(0);
		expect(drawn.stdout).not.toContain('\t');
		expect(drawn.stdout.split('\n')[0]).toMatch(/STATE +PROGRESS/);
		const piped = await harness.run(['tasks', '--region', 'us-east-1']);
		expect(piped.stdout.split('\n')[0]?.split('\t')[0]).toBe('BUNDLE');
	});

	test('with --json off a terminal prints JSON lines', async () => {
		const result = await watchUntil([...watchArgs, '--json'], {}, (stdout) => stdout.text.includes('\n'));
		const first = JSON.parse(result.stdout.split('\n')[0]!) as {time: string; tasks: Array<{bundleId: string}>};
		expect(first.tasks.map((task) => task.bundleId)).toContain(running);
	});
});

describe('cancel', () => {
	test('asks on a terminal; "n" keeps the task running (exit 1)', async () => {
		const result = await harness.run(['cancel', running], {stdinIsTTY: true, answers: ['n']});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(`Cancel bundle task ${running}`);
		const [task] = await harness.test.services.describeBundleTasks('us-east-1', [running]);
		expect(task?.state).not.toBe('cancelling');
	});

	test('--yes cancels; waiting on a cancelled task is not success (exit 1 with its error)', async () => {
		const cancelled = await harness.run(['cancel', running, '--yes', '--json']);
		expect(cancelled.stderr).toBe('');
		expect(cancelled.code).toBe(0);
		const json = JSON.parse(cancelled.stdout) as {task: {bundleId: string; state: string}};
		expect(json.task.bundleId).toBe(running);
		expect(['cancelling', 'failed']).toContain(json.task.state);

		const waited = await harness.run(['wait', running, '--interval', '1s', '--json']);
		expect(waited.code).toBe(1);
		const outcome = JSON.parse(waited.stdout) as {outcome: string; error: {bundleId: string; message: string}};
		expect(outcome.outcome).toBe('failed');
		expect(outcome.error.bundleId).toBe(running);
		expect(waited.stderr).toContain(running);

		// Once the cancel has finished AWS lists it failed with the cancel error; wait says cancelled, as the dashboard does.
		await waitFor(async () => {
			const [task] = await harness.test.services.describeBundleTasks('us-east-1', [running]);
			return task?.state === 'failed';
		});
		const after = await harness.run(['wait', running]);
		expect(after.code).toBe(1);
		expect(after.stderr).toContain('was cancelled (Client.Cancelled)');
		expect(harness.history().get(running)?.lastState).toBe('failed');
		// --state cancelled picks the failed tasks that were cancelled, as the dashboard's filter does
		const listed = await harness.run(['tasks', '--state', 'cancelled', '--json']);
		expect(listed.code).toBe(0);
		const listedTasks = (JSON.parse(listed.stdout) as {tasks: Array<{bundleId: string; error: {code: string} | null}>})
			.tasks;
		expect(listedTasks.map((task) => task.bundleId)).toContain(running);
		expect(listedTasks.every((task) => task.error?.code === 'Client.Cancelled')).toBe(true);

		const register = await harness.run(['register', running, '--name', 'never']);
		expect(register.code).toBe(1);
		expect(register.stderr).toContain('was cancelled');
	});
});
