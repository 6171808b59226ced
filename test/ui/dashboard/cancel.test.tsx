/** `c` on a running task against the sandbox: the confirmation says what happens; n keeps it; y cancels it. */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {keys} from '../../helpers/keys.js';
import {frameHeight} from '../../helpers/render.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let env: TestServices;
let harness: DashboardHarness;
let bundleId: string;
let instanceId: string;

beforeAll(async () => {
	// Slow: the task must still be running when the keys arrive.
	env = await startTestServices({sandbox: {pace: {bytesPerSecond: 256 * 1024, stepDelayMs: 200}}});
	const instance = (await env.services.listInstances('us-east-1')).find(
		(candidate) => candidate.eligible && candidate.name === 'web02',
	);
	if (!instance) {
		throw new Error('no eligible web02');
	}

	instanceId = instance.id;
	const {task} = await env.services.startBundle({
		region: 'us-east-1',
		instanceId,
		bucket: 'cancel-bucket',
		prefix: 'to-cancel',
	});
	bundleId = task.bundleId;
	harness = renderDashboard({services: env.services, selectBundleId: bundleId});
	harness.history.recordBundle(task, instance.name);
});

afterAll(async () => {
	harness?.cleanup();
	await env?.close();
});

describe('cancel', () => {
	test('n keeps the task running', async () => {
		await harness.waitForFrame(/› bun-\w+ +web02/);
		await harness.press('c');
		// The question wraps at 80 columns: compare with the lines joined.
		const frame = await harness.waitForFrame('y/N');
		expect(frameHeight(frame)).toBeLessThan(24);
		const confirm = frame.replaceAll(/\s+/g, ' ');
		expect(confirm).toContain(`Cancel ${bundleId} on instance web02 (${instanceId})?`);
		expect(confirm).toContain('The instance is restarted and uploaded parts removed.');
		await harness.press('n');
		await harness.waitForFrame((frame) => !frame.includes('y/N'));
		const [task] = await env.services.describeBundleTasks('us-east-1', [bundleId]);
		expect(task?.state).not.toBe('cancelling');
		expect(task?.state).not.toBe('failed');
	});

	test('y cancels: the row shows cancelling, then the outcome; one notification', async () => {
		await harness.press('c');
		await harness.waitForFrame('y/N');
		await harness.press('y');
		await harness.waitForFrame(/› bun-\w+ +web02 .*Cancelling/);
		// Shown as Cancelled (from its Client.Cancelled error code), not Failed, with no ETA (issue 15 #12).
		const failed = await harness.waitForFrame(/› bun-\w+ +web02 .*Cancelled .* — /, 30_000);
		expect(failed).toMatch(/error +\S+: /);
		const [task] = await env.services.describeBundleTasks('us-east-1', [bundleId]);
		expect(task?.state).toBe('failed');
		await waitFor(() => harness.notifications.length === 1);
		expect(harness.notifications[0]).toContain(`${bundleId} cancelled`);
		expect(harness.history.get(bundleId)?.lastState).toBe('failed');
		// Cancel is offered only for running tasks.
		await harness.press('c');
		await harness.waitForFrame('only running tasks can be cancelled');
		await harness.press(keys.escape);
	});
});
