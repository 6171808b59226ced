/** Tasks from local history that AWS no longer lists stay visible, marked; watched regions survive a remount. */
import {afterEach, expect, test} from 'vitest';
import type {BundleTask} from '../../../source/core/types.js';
import {keys} from '../../helpers/keys.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let env: TestServices | undefined;
let harness: DashboardHarness | undefined;
afterEach(async () => {
	harness?.cleanup();
	harness = undefined;
	await env?.close();
	env = undefined;
});

test('a history task AWS does not list is shown with its last snapshot, marked as from history', async () => {
	env = await startTestServices();
	const instance = (await env.services.listInstances('us-east-1')).find((item) => item.eligible);
	const {task} = await env.services.startBundle({
		region: 'us-east-1',
		instanceId: instance?.id ?? '',
		bucket: 'hist-bucket',
		prefix: 'live-one',
	});
	harness = renderDashboard({services: env.services, columns: 120, rows: 30});
	// A bundle from long ago: AWS lists finished tasks only for a while, the local history keeps it.
	const old: BundleTask = {
		bundleId: 'bun-0ld0ld00',
		instanceId: 'i-0123456789abcdef0',
		region: 'us-east-1',
		state: 'complete',
		progress: 100,
		startTime: new Date('2026-01-02T03:04:05Z'),
		updateTime: new Date('2026-01-02T04:05:06Z'),
		bucket: 'hist-bucket',
		prefix: 'old-one',
		error: undefined,
	};
	harness.history.recordBundle(old, 'legacy01');
	await harness.press('R');
	const frame = await harness.waitForFrame((text) => text.includes('bun-0ld0ld00') && text.includes(task.bundleId));
	expect(frame).toMatch(/bun-0ld0ld00 +legacy01 .*Complete\*/);
	expect(frame).not.toMatch(new RegExp(`${task.bundleId} .*\\*`));
	expect(frame).toContain('* = from history');
	await harness.press('G');
	const detail = await harness.waitForFrame('Not listed by AWS any more');
	expect(detail).toContain('manifest hist-bucket/old-one.manifest.xml');
	// Registering from history still works in AWS: r is offered.
	expect(detail).toContain('r register');
	for (const captured of harness.frames) {
		expect(captured).not.toContain(env.sandbox.credentials.secretAccessKey);
	}
});

test('the watched regions survive a trip to the wizard and back', async () => {
	env = await startTestServices();
	harness = renderDashboard({services: env.services});
	await harness.waitForFrame('updated ');
	await harness.press('g');
	await harness.waitForFrame('[x] us-east-1 (current)');
	await harness.press(keys.up, keys.space, keys.enter);
	await harness.waitForFrame('2 regions');
	harness.cleanup();
	harness = renderDashboard({services: env.services});
	const again = await harness.waitForFrame('2 regions');
	expect(again).toContain('REGION');
});

test('a task that finishes while the dashboard is away (wizard open) still notifies once on return', async () => {
	env = await startTestServices({sandbox: {pace: {bytesPerSecond: 8 * 1024 * 1024}}});
	const instance = (await env.services.listInstances('us-east-1')).find((item) => item.eligible);
	const {task} = await env.services.startBundle({
		region: 'us-east-1',
		instanceId: instance?.id ?? '',
		bucket: 'away-bucket',
		prefix: 'away',
	});
	harness = renderDashboard({services: env.services});
	await harness.waitForFrame(new RegExp(`${task.bundleId} .*(Pending|Shutdown|Bundling|Storing)`));
	harness.cleanup();
	const services = env.services;
	await waitFor(
		async () => (await services.describeBundleTasks('us-east-1', [task.bundleId]))[0]?.state === 'complete',
		{timeout: 30_000},
	);
	harness = renderDashboard({services: env.services});
	await harness.waitForFrame(new RegExp(`${task.bundleId} .*Complete`));
	await waitFor(() => harness?.notifications.length === 1);
	expect(harness.notifications[0]).toContain(`${task.bundleId} complete`);
});
