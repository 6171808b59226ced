/** `m` copy refused before any file is copied: history records no migration (nothing to resume), as the CLI does. */
import {afterAll, beforeAll, expect, test} from 'vitest';
import {keys} from '../../helpers/keys.js';
import type {TestServices} from '../../helpers/services.js';
import {dashboardWithCompleteBundle} from './completed-bundle.js';
import type {DashboardHarness} from './render-dashboard.js';

let env: TestServices;
let harness: DashboardHarness;
let bundleId: string;

beforeAll(async () => {
	({env, harness, bundleId} = await dashboardWithCompleteBundle('refused-bucket', 'refuse-me', {maxAttempts: 1}));
});

afterAll(async () => {
	harness?.cleanup();
	await env?.close();
});

test('a migration that fails while checking (before any copy) is not recorded as incomplete', async () => {
	await harness.press('m');
	await harness.waitForFrame('eu-west-1');
	await harness.press(keys.down, keys.enter);
	await harness.waitForFrame('+ create a new bucket');
	await harness.press(keys.enter);
	await harness.waitForFrame('Bucket refused-bucket-eu-west-1');
	await harness.press(keys.enter);
	await harness.waitForFrame('AMI name refuse-me');
	// The listing that precedes the first copy fails: the migration stops in its checking phase.
	env.sandbox.setFaults({serverErrorRate: 1, actions: ['ListObjectsV2', 'ListObjects']});
	await harness.press(keys.enter);
	await harness.waitForFrame(/✗|failed|Failed|could not|Could not/, 30_000);
	env.sandbox.setFaults({serverErrorRate: 0});
	expect(harness.history.get(bundleId)?.migrations ?? []).toEqual([]);
	expect(harness.lastFrame()).not.toContain('incomplete (m resumes)');
});
