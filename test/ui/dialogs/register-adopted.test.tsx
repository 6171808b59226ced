/**
 * The register dialog after a lost RegisterImage answer (issue 14's adopted image): the dashboard says, as `register`
 * does, that the image the retry found is the one the first call registered. The answer is lost on the network by a
 * proxy in front of the sandbox, not faked.
 */
import {afterAll, beforeAll, expect, test} from 'vitest';
import type {Services} from '../../../source/core/services.js';
import {keys} from '../../helpers/keys.js';
import {type LossyProxy, servicesThrough, startLossyProxy} from '../../helpers/lossy-proxy.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from '../dashboard/render-dashboard.js';

let env: TestServices;
let proxy: LossyProxy;
let proxied: Services;
let harness: DashboardHarness;

beforeAll(async () => {
	proxy = await startLossyProxy(() => env.sandbox.endpoint);
	env = await startTestServices({sandbox: {extraHostPorts: [proxy.port]}});
	proxied = await servicesThrough(proxy, env.sandbox);
	const web02 = (await env.services.listInstances('us-east-1')).find((instance) => instance.name === 'web02');
	const {task} = await env.services.startBundle({
		region: 'us-east-1',
		instanceId: web02?.id ?? '',
		bucket: 'register-adopted',
		prefix: 'web02-lost',
	});
	harness = renderDashboard({services: proxied, selectBundleId: task.bundleId});
	harness.history.recordBundle(task, 'web02');
	await harness.waitForFrame(`${task.bundleId} · us-east-1 · Complete`, 30_000);
});

afterAll(async () => {
	harness?.cleanup();
	proxied?.close();
	await proxy?.close();
	await env?.close();
});

test('a lost RegisterImage answer: the notice says the retry found the image the first call registered', async () => {
	await harness.press('r');
	await harness.waitForFrame('› Name         web02-lost▏', 30_000);
	proxy.loseNextAnswer('Action=RegisterImage');
	// Enter registers once the region's AMI names are listed (the dialog shows nothing for that): press until it runs.
	await waitFor(
		async () => {
			const frame = harness.lastFrame();
			if (frame.includes('Registering') || !frame.includes('Register an AMI from')) {
				return true;
			}

			await harness.press(keys.enter);
			return false;
		},
		{timeout: 30_000, interval: 200},
	);
	// At 80x24 the notice (two lines at most) says it, before and after the poll sees the AMI available.
	const frame = await harness.waitForFrame(/answer was lost/, 30_000);
	expect(proxy.lost()).toBe(1);
	const [image] = (await env.services.describeImages('us-east-1')).filter((each) => each.name === 'web02-lost');
	expect(frame.replaceAll(/\s*\n\s*/g, ' ')).toMatch(
		new RegExp(
			`${image?.imageId} \\(web02-lost\\).*RegisterImage's answer was lost: the retry found this image, which the first call registered`,
		),
	);
	expect(harness.history.bundles().find((entry) => entry.bundleId !== undefined)?.images).toEqual([
		expect.objectContaining({imageId: image?.imageId, name: 'web02-lost', kind: 'registered'}),
	]);
});
