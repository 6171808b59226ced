/**
 * The dashboard against the in-process sandbox region (real Services, real SDK clients): a bundle rises to
 * complete, `m` copies it to another region and registers it there, `r` registers it at home, `m` again uses
 * CopyImage for the registered AMI. Each AMI is checked with DescribeImages, not only on screen.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Image} from '../../../source/core/types.js';
import {keys} from '../../helpers/keys.js';
import {frameHeight, stripAnsi} from '../../helpers/render.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

const region = 'us-east-1';
let env: TestServices;
let harness: DashboardHarness;
let bundleId: string;

beforeAll(async () => {
	// Slow enough that several polls see the progress move; still a few seconds in all.
	env = await startTestServices({sandbox: {pace: {bytesPerSecond: 12 * 1024 * 1024}}});
	const instances = await env.services.listInstances(region);
	const instance = instances.find((candidate) => candidate.eligible && candidate.name === 'web01');
	if (!instance) {
		throw new Error('sandbox seed changed: no eligible web01');
	}

	const started = await env.services.startBundle({
		region,
		instanceId: instance.id,
		bucket: 'dash-bucket',
		prefix: 'win-dash',
	});
	bundleId = started.task.bundleId;
	harness = renderDashboard({services: env.services, selectBundleId: bundleId, columns: 200, rows: 40});
	// What the wizard does after starting a bundle.
	harness.history.recordBundle(started.task, instance.name);
});

afterAll(async () => {
	harness?.cleanup();
	await env?.close();
});

async function image(regionName: string, imageId: string): Promise<Image | undefined> {
	const images = await env.services.describeImages(regionName, [imageId]);
	return images.find((candidate) => candidate.imageId === imageId);
}

describe('dashboard workflow against the sandbox', () => {
	test('a started bundle shows rising progress and reaches complete; history and one notification follow', async () => {
		const titleLine = new RegExp(`${bundleId} · ${region} · ([A-Za-z ]+?) (\\d+)%`);
		await harness.waitForFrame(`${bundleId} · ${region} · Complete`, 30_000);
		const seen = harness.frames
			.map((frame) => titleLine.exec(stripAnsi(frame)))
			.filter((match) => match !== null)
			.map((match) => ({state: match[1] ?? '', progress: Number(match[2])}));
		const rising = seen.some(
			(earlier, index) =>
				earlier.progress > 0 &&
				seen.slice(index + 1).some((later) => later.state === earlier.state && later.progress > earlier.progress),
		);
		expect(rising, JSON.stringify(seen)).toBe(true);
		expect(seen.some((sample) => sample.state !== 'Complete' && sample.progress < 100)).toBe(true);

		const frame = harness.lastFrame();
		expect(frame).toContain('web01');
		expect(frame).toContain('dash-bucket/win-dash');
		expect(frame).toMatch(/manifest dash-bucket\/win-dash\.manifest\.xml/);
		expect(frame).toMatch(/timeline started \d\d:\d\d:\d\d › /);
		expect(frameHeight(frame)).toBeLessThan(40);

		await waitFor(() => harness.history.get(bundleId)?.lastState === 'complete');
		await waitFor(() => harness.notifications.length > 0);
		expect(harness.notifications).toHaveLength(1);
		expect(harness.notifications[0]).toContain(bundleId);
		expect(harness.notifications[0]).toContain('complete');
	});

	test('m copies the bundle to a new bucket in another region and registers it there', async () => {
		await harness.press('m');
		await harness.waitForFrame('Copy to which region?');
		await harness.waitForFrame('ap-southeast-2');
		await harness.press(keys.down, keys.enter);
		await harness.waitForFrame('Destination bucket in eu-west-1');
		await harness.waitForFrame('+ create a new bucket');
		await harness.press(keys.enter);
		// The prefilled fields say how to clear them (typing appends; the walk of issue 15 typed after the prefill)
		expect(await harness.waitForFrame('Bucket dash-bucket-eu-west-1')).toContain('ctrl+u clear');
		await harness.press(keys.enter);
		expect(await harness.waitForFrame('AMI name win-dash')).toContain('ctrl+u clear');
		await harness.press(keys.enter);
		const done = await harness.waitForFrame(/✓ Copied \d+ objects/, 30_000);
		expect(done).toContain('eu-west-1');
		await harness.press(keys.escape);

		const migrated = await waitFor(() =>
			harness.history.get(bundleId)?.images.find((item) => item.kind === 'migrated' && item.region === 'eu-west-1'),
		);
		expect(harness.history.get(bundleId)?.migrations[0]).toMatchObject({
			destinationRegion: 'eu-west-1',
			destinationBucket: 'dash-bucket-eu-west-1',
			complete: true,
		});
		await harness.waitForFrame(`${migrated.imageId} eu-west-1 migrated: available`, 30_000);
		const listed = await image('eu-west-1', migrated.imageId);
		expect(listed?.state).toBe('available');
		expect(listed?.imageLocation).toBe('dash-bucket-eu-west-1/win-dash.manifest.xml');
	});

	test('r checks the manifest, validates the name live, registers, and follows the AMI until available', async () => {
		await harness.press('r');
		await harness.waitForFrame(/✓ dash-bucket\/win-dash\.manifest\.xml · \d+ parts/);
		expect(await harness.waitForFrame('Name         win-dash')).toContain('ctrl+u clear');
		await harness.type('!');
		await harness.waitForFrame("AMI names can't contain");
		// Enter with an invalid name does nothing.
		await harness.press(keys.enter);
		expect(harness.lastFrame()).toContain('Register an AMI from');
		await harness.press(keys.backspace);
		await harness.waitForFrame((frame) => !frame.includes("AMI names can't contain"));
		await harness.press(keys.enter);
		// The "Registered …" notice is short-lived (a busy machine can miss it): the history entry it reports is not.
		const registered = await waitFor(
			() => harness.history.get(bundleId)?.images.find((item) => item.kind === 'registered'),
			{timeout: 30_000},
		);
		expect(registered?.region).toBe(region);
		const imageId = registered?.imageId ?? '';
		const frame = await harness.waitForFrame(`${imageId} ${region} registered: available`, 30_000);
		// The AMI id shows in the task's row too.
		expect(frame.split('\n').some((line) => line.startsWith('› ') && line.includes(imageId))).toBe(true);
		const listed = await image(region, imageId);
		expect(listed).toMatchObject({state: 'available', name: 'win-dash', rootDeviceType: 'instance-store'});
	});

	test('m on a registered bundle offers CopyImage, which yields an available AMI in the destination', async () => {
		const source = harness.history.get(bundleId)?.images.find((item) => item.kind === 'registered');
		await harness.press('m');
		await harness.waitForFrame('Copy to which region?');
		await harness.waitForFrame('ap-southeast-2');
		await harness.press(keys.down, keys.down, keys.enter);
		await harness.waitForFrame('How to copy it to us-west-2?');
		await harness.waitForFrame(`CopyImage of ${source?.imageId ?? '?'}`);
		await harness.press(keys.enter);
		await harness.waitForFrame('AMI name win-dash');
		await harness.press(keys.enter);
		await harness.waitForFrame(/CopyImage started ami-\w+ in us-west-2/, 30_000);
		await harness.press(keys.escape);
		const copied = await waitFor(() =>
			harness.history.get(bundleId)?.images.find((item) => item.kind === 'copied' && item.region === 'us-west-2'),
		);
		expect(copied.sourceImageId).toBe(source?.imageId);
		await waitFor(async () => (await image('us-west-2', copied.imageId))?.state === 'available', {timeout: 30_000});
	});
});
