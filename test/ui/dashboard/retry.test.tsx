/**
 * Issue 15 friction: `t` on a cancelled bundle (against the sandbox) starts it again from the same instance into the
 * same bucket under a new free prefix; on a running or complete task it is not offered and says why.
 */
import {afterAll, beforeAll, expect, test} from 'vitest';
import {defaultPrefix} from '../../../source/core/format.js';
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
let firstPrefix: string;

beforeAll(async () => {
	let instance: Instance;
	// The prefix the retry would propose this minute: it must not be proposed again
	({env, harness, bundleId, instance} = await dashboardWithRunningBundle('retry-bucket', (target) => {
		firstPrefix = defaultPrefix(target.name, target.id, new Date());
		return firstPrefix;
	}));
	instanceId = instance.id;
});

afterAll(async () => {
	harness?.cleanup();
	await env?.close();
});

test('t on a running task says why not; on the cancelled one it bundles again under a new free prefix', async () => {
	await harness.waitForFrame(/› bun-\w+ +web02/);
	await harness.press('t');
	await harness.waitForFrame('only a failed or cancelled task can be retried');
	await env.services.cancelBundle('us-east-1', bundleId);
	await harness.waitForFrame(/› bun-\w+ +web02 .*Cancelled/, 30_000);
	await harness.waitForFrame(/t retry/);
	await harness.press('t');
	let frame = await harness.waitForFrame(`Retry ${bundleId}`);
	expect(frame.replaceAll(/\s+/g, ' ')).toMatch(
		/Bundle instance web02 \(i-\w+\) in us-east-1 again, into retry-bucket\//,
	);
	// The instance restarts after the cancel: until it runs, the DryRun says so and enter checks again
	for (let attempt = 0; attempt < 40; attempt++) {
		frame = await harness.waitForFrame((current) => /DryRun passed|Cannot retry/.test(current), 30_000);
		if (frame.includes('DryRun passed')) {
			break;
		}

		await new Promise((resolve) => {
			setTimeout(resolve, 250);
		});
		await harness.press(keys.enter);
	}

	expect(frameHeight(frame)).toBeLessThan(24);
	const prefix = /prefix (\S+) is free/.exec(frame.replaceAll(/\s+/g, ' '))?.[1];
	expect(prefix).toBeDefined();
	expect(prefix).not.toBe(firstPrefix);
	await harness.press('y');
	await harness.waitForFrame(`Retrying ${bundleId} as bun-`);
	const tasks = await env.services.describeBundleTasks('us-east-1');
	const again = tasks.find((task) => task.bundleId !== bundleId);
	expect(again).toMatchObject({instanceId, bucket: 'retry-bucket', prefix});
	// The new task is selected, recorded in history, and the old one is left as it was
	await harness.waitForFrame(new RegExp(`› ${again?.bundleId ?? 'none'}`));
	await waitFor(() => harness.history.get(again?.bundleId ?? '') !== undefined);
	expect(tasks.find((task) => task.bundleId === bundleId)?.prefix).toBe(firstPrefix);
});
