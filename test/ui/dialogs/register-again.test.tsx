/**
 * `r` on a bundle that already has an AMI proposes a free name, and the architecture says "(from the manifest)" only
 * while it is the manifest's (issue 15 #9), through the dashboard against the sandbox.
 */
import {afterAll, beforeAll, expect, test} from 'vitest';
import {keys} from '../../helpers/keys.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {type DashboardHarness, renderDashboard} from '../dashboard/render-dashboard.js';

let env: TestServices;
let harness: DashboardHarness;

beforeAll(async () => {
	env = await startTestServices();
	const web02 = (await env.services.listInstances('us-east-1')).find((instance) => instance.name === 'web02');
	const {task} = await env.services.startBundle({
		region: 'us-east-1',
		instanceId: web02?.id ?? '',
		bucket: 'register-again',
		prefix: 'web02-twice',
	});
	harness = renderDashboard({services: env.services, selectBundleId: task.bundleId});
	harness.history.recordBundle(task, 'web02');
	await harness.waitForFrame(`${task.bundleId} · us-east-1 · Complete`, 30_000);
});

afterAll(async () => {
	harness?.cleanup();
	await env?.close();
});

test('r again proposes "name (2)"; the architecture note follows the value', async () => {
	await harness.press('r');
	await harness.waitForFrame(/✓ register-again\/web02-twice\.manifest\.xml/);
	await harness.waitForFrame('› Name         web02-twice▏');
	expect(harness.lastFrame()).toContain('x86_64 (from the manifest)');
	await harness.press(keys.enter);
	// The dialog closes once RegisterImage answered (the notice that follows may already say "available").
	await harness.waitForFrame((frame) => !frame.includes('Register an AMI from'), 30_000);

	await harness.press('r');
	await harness.waitForFrame(/✓ register-again\/web02-twice\.manifest\.xml/, 30_000);
	await harness.waitForFrame('› Name         web02-twice (2)▏', 30_000);
	await harness.press(keys.tab, keys.tab, keys.right);
	const changed = await harness.waitForFrame('› Architecture ‹ i386 ›');
	expect(changed).toContain('(the manifest says x86_64)');
	expect(changed).not.toContain('(from the manifest)');
	await harness.press(keys.enter);
	await harness.waitForFrame((frame) => !frame.includes('Register an AMI from'), 30_000);
	const names = (await env.services.describeImages('us-east-1')).map((image) => image.name);
	expect(names).toEqual(expect.arrayContaining(['web02-twice', 'web02-twice (2)']));
});
