/** `m` copy of a bundle: Esc stops it safely part-way; running it again resumes (objects already there skipped). */
import {afterAll, beforeAll, expect, test} from 'vitest';
import {keys} from '../../helpers/keys.js';
import type {TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {dashboardWithCompleteBundle} from './completed-bundle.js';
import type {DashboardHarness} from './render-dashboard.js';

let env: TestServices;
let harness: DashboardHarness;
let bundleId: string;

beforeAll(async () => {
	({env, harness, bundleId} = await dashboardWithCompleteBundle('resume-bucket', 'resume-me'));
});

afterAll(async () => {
	harness?.cleanup();
	await env?.close();
});

async function startCopyToEuWest(bucketStep: () => Promise<void>): Promise<void> {
	await harness.press('m');
	await harness.waitForFrame('eu-west-1');
	await harness.press(keys.down, keys.enter);
	await harness.waitForFrame('Destination bucket in eu-west-1');
	await harness.waitForFrame('+ create a new bucket');
	await bucketStep();
	await harness.waitForFrame('AMI name resume-me');
	await harness.press(keys.enter);
}

test('esc stops the copy part-way, m again resumes and skips what is already there', async () => {
	// Every CopyObject takes a while: the parts land first, the manifest last, so esc arrives mid-copy.
	env.sandbox.setFaults({latencyMs: 1500, actions: ['CopyObject']});
	await startCopyToEuWest(async () => {
		await harness.press(keys.enter);
		await harness.waitForFrame('Bucket resume-bucket-eu-west-1');
		await harness.press(keys.enter);
	});
	await harness.waitForFrame(/Copying parts · [1-9]\d*\/\d+ objects/, 30_000);
	await harness.press(keys.escape);
	const stopped = await harness.waitForFrame(/Stopped after \d+ of \d+ objects/, 30_000);
	expect(stopped).toContain('Press m again');
	await harness.press(keys.escape);
	await waitFor(() => harness.history.get(bundleId)?.migrations.length === 1);
	expect(harness.history.get(bundleId)?.migrations[0]?.complete).toBe(false);
	await harness.waitForFrame('incomplete (m resumes)');

	env.sandbox.setFaults({latencyMs: 0});
	await startCopyToEuWest(async () => {
		// The bucket created by the first run is listed now.
		await harness.waitForFrame('› resume-bucket-eu-west-1');
		await harness.press(keys.enter);
	});
	const done = await harness.waitForFrame(/✓ Copied \d+ objects \((\d+) were already there\)/, 30_000);
	const skipped = Number(/\((\d+) were already there\)/.exec(done)?.[1]);
	expect(skipped).toBeGreaterThan(0);
	await harness.press(keys.escape);
	await waitFor(() => harness.history.get(bundleId)?.migrations[0]?.complete === true);
	const migrated = harness.history.get(bundleId)?.images.find((image) => image.kind === 'migrated');
	expect(migrated?.region).toBe('eu-west-1');
	await waitFor(
		async () =>
			(await env.services.describeImages('eu-west-1', [migrated?.imageId ?? ''])).some(
				(image) => image.state === 'available',
			),
		{timeout: 30_000},
	);
});
