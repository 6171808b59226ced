/**
 * `tasks --watch` treats a connection error as retryable: it keeps watching, with the countdown to the next try,
 * instead of exiting 1 on the first ECONNREFUSED (a sandbox that stopped or moved). The reconnection to a moved
 * service through its lock is in test/sandbox/service.
 */
import {afterEach, expect, test} from 'vitest';
import {waitFor} from '../helpers/wait-for.js';
import {type Harness, slowPace, startHarness} from './harness.js';

let harness: Harness | undefined;

afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

test('tasks --watch keeps polling through connection refused, showing the countdown; Ctrl+C stops it', async () => {
	harness = await startHarness(slowPace, 1);
	const [instance] = await harness.eligibleInstances('us-east-1');
	const bundle = await harness.run([
		'bundle',
		instance!.id,
		'--bucket',
		'watch-retry',
		'--prefix',
		'p',
		'--region',
		'us-east-1',
	]);
	expect(bundle.code).toBe(0);
	const controller = new AbortController();
	let stderr = {text: ''};
	const watching = harness.run(['tasks', '--region', 'us-east-1', '--watch', '--interval', '1s'], {
		signal: controller.signal,
		onStart(streams) {
			stderr = streams.stderr;
		},
	});
	await harness.test.sandbox.close();
	await waitFor(() => stderr.text.includes('retrying in'), {timeout: 20_000});
	expect(stderr.text).toMatch(/us-east-1: .*(refused|connect)/i);
	controller.abort();
	const result = await watching;
	expect(result.code).toBe(130);
});
