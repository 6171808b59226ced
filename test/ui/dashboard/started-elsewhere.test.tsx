/**
 * Issue 15 friction: a bundle started from the CLI while the dashboard idles (one poll a minute here) shows within a
 * history check, not at the next idle poll: the CLI records it in the local history, and that triggers a poll.
 */
import {afterEach, expect, test, vi} from 'vitest';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let env: TestServices | undefined;
let harness: DashboardHarness | undefined;
afterEach(async () => {
	harness?.cleanup();
	await env?.close();
});

test('a bundle recorded in history by another process is polled for at once', async () => {
	env = await startTestServices({sandbox: {pace: {bytesPerSecond: 256 * 1024, stepDelayMs: 200}}});
	let cycles = 0;
	harness = renderDashboard({
		services: env.services,
		config: {
			idleIntervalMs: 60_000,
			activeIntervalMs: 60_000,
			onCycle: () => {
				cycles++;
			},
		},
	});
	await harness.waitForFrame('No tasks in');
	expect(cycles).toBe(1);
	const instance = (await env.services.listInstances('us-east-1')).find((item) => item.eligible);
	const {task} = await env.services.startBundle({
		region: 'us-east-1',
		instanceId: instance?.id ?? '',
		bucket: 'cli-bucket',
		prefix: 'from-the-cli',
	});
	// What `bundledeck bundle` does after StartBundle (same history file).
	harness.history.recordBundle(task, instance?.name);
	const frame = await harness.waitForFrame(task.bundleId, 10_000);
	expect(frame).toContain('cli-bucket');
	expect(cycles).toBe(2);
});

test('while the history file does not change, its checks do not read it through again (issue 16: idle CPU)', async () => {
	env = await startTestServices({});
	harness = renderDashboard({
		services: env.services,
		config: {idleIntervalMs: 60_000, activeIntervalMs: 60_000, historyCheckMs: 20},
	});
	await harness.waitForFrame('No tasks in');
	const revision = vi.spyOn(harness.history, 'revision');
	const list = vi.spyOn(harness.history, 'list');
	await waitFor(() => revision.mock.calls.length >= 10, {timeout: 10_000, interval: 10});
	expect(list.mock.calls.length).toBeLessThanOrEqual(1);
});
