/** `c` on a running task against the sandbox: the confirmation says what happens; n keeps it; y cancels it. */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Instance} from '../../../source/core/types.js';
import {keys} from '../../helpers/keys.js';
import {frameHeight} from '../../helpers/render.js';
import type {TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import type {DashboardHarness} from './render-dashboard.js';
import {dashboardWithRunningBundle} from './running-bundle.js';

let env: TestServices;
let harness: DashboardHarness;
let bundleId: string;
let instanceId: string;

beforeAll(async () => {
	let instance: Instance;
	({env, harness, bundleId, instance} = await dashboardWithRunningBundle('cancel-bucket', () => 'to-cancel'));
	instanceId = instance.id;
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
