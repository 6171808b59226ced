/**
 * Issue 14 item 3: BundleInstance has no client token. When its answer is lost, the SDK's retry hears "already
 * being bundled"; bundledeck adopts the task the first call started (same bucket and prefix) instead of exiting 1
 * with no id and no history. RegisterImage has none either: its retry hears "name already in use", and bundledeck
 * adopts the image the first call registered when it is its own and from the same manifest.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Services} from '../../source/core/services.js';
import {putSyntheticBundle, sandboxS3} from '../aws/support.js';
import {type Harness, slowPace, startHarness} from '../commands/harness.js';
import {type LossyProxy, servicesThrough, startLossyProxy} from '../helpers/lossy-proxy.js';
import {rejection} from '../helpers/rejection.js';

let harness: Harness;
let proxy: LossyProxy;
let services: Services;

beforeAll(async () => {
	proxy = await startLossyProxy(() => harness.test.sandbox.endpoint);
	harness = await startHarness({...slowPace, extraHostPorts: [proxy.port]});
	services = await servicesThrough(proxy, harness.test.sandbox);
});

afterAll(async () => {
	services?.close();
	await proxy?.close();
	await harness?.close();
});

test('a lost BundleInstance answer: the retry adopts the task the first call started', async () => {
	const [instance] = await harness.eligibleInstances('us-east-1');
	proxy.loseNextAnswer('Action=BundleInstance');
	const started = await services.startBundle({
		region: 'us-east-1',
		instanceId: instance!.id,
		bucket: 'rel-lost',
		prefix: 'lost-1',
	});
	expect(proxy.lost()).toBe(1);
	expect(started.adopted).toBe(true);
	expect(started.task).toMatchObject({instanceId: instance!.id, bucket: 'rel-lost', prefix: 'lost-1'});
	const tasks = await services.describeBundleTasks('us-east-1');
	expect(tasks.map((task) => task.bundleId)).toEqual([started.task.bundleId]);
});

test('an instance already bundling elsewhere: the error names the other task and where it writes', async () => {
	const tasks = await services.describeBundleTasks('us-east-1');
	const running = tasks[0]!;
	const error = await rejection(
		services.startBundle({region: 'us-east-1', instanceId: running.instanceId, bucket: 'rel-lost', prefix: 'lost-2'}),
	);
	expect(error.code).toBe('BundlingInProgress');
	expect(error.toLine()).toContain(running.bundleId);
	expect(error.toLine()).toContain('s3://rel-lost/lost-1');
});

describe('a lost RegisterImage answer', () => {
	const bucket = 'rel-lost-register';
	let manifestLocation: string;
	let otherManifest: string;

	beforeAll(async () => {
		await harness.test.services.createBucket(bucket, 'us-east-1');
		const s3 = sandboxS3(harness.test.sandbox);
		try {
			const accountId = harness.test.sandbox.accounts[0]!.id;
			({manifestLocation} = await putSyntheticBundle(s3, {bucket, prefix: 'lost/win', parts: 2, accountId}));
			({manifestLocation: otherManifest} = await putSyntheticBundle(s3, {
				bucket,
				prefix: 'other/win',
				parts: 2,
				accountId,
			}));
		} finally {
			s3.destroy();
		}
	});

	const named = async (name: string) =>
		(await services.describeImages('us-east-1')).filter((image) => image.name === name);

	test('the retry adopts the image the first call registered: one image, its id returned', async () => {
		proxy.loseNextAnswer('Action=RegisterImage');
		const lostBefore = proxy.lost();
		const registered = await services.registerImage({region: 'us-east-1', manifestLocation, name: 'lost answer'});
		expect(proxy.lost()).toBe(lostBefore + 1);
		expect(registered.adopted).toBe(true);
		const images = await named('lost answer');
		expect(images.map((image) => image.imageId)).toEqual([registered.imageId]);
		expect(images[0]?.imageLocation).toBe(manifestLocation);
	});

	test('`register` says so in one line and prints the image id', async () => {
		// The command's session goes through the proxy for this test only.
		const direct = harness.test.services;
		harness.test.services = services;
		try {
			proxy.loseNextAnswer('Action=RegisterImage');
			const result = await harness.run(['register', manifestLocation, '--name', 'lost by a command']);
			expect(result.code).toBe(0);
			const [image] = await named('lost by a command');
			expect(result.stdout).toBe(`${image?.imageId}\n`);
			expect(result.stderr).toBe(
				`bundledeck: warning: AWS's answer to RegisterImage was lost and the retry found ${image?.imageId} already registered as "lost by a command" from ${manifestLocation}: that is this image\n`,
			);
		} finally {
			harness.test.services = direct;
		}
	});

	test('the name taken by an image of another manifest is still InvalidAMIName.Duplicate after a lost answer', async () => {
		const first = await services.registerImage({region: 'us-east-1', manifestLocation: otherManifest, name: 'taken'});
		proxy.loseNextAnswer('Action=RegisterImage');
		const error = await rejection(services.registerImage({region: 'us-east-1', manifestLocation, name: 'taken'}));
		expect(error.code).toBe('InvalidAMIName.Duplicate');
		expect((await named('taken')).map((image) => image.imageId)).toEqual([first.imageId]);
	});

	test('without a lost answer, registering the same manifest and name again is InvalidAMIName.Duplicate', async () => {
		const error = await rejection(services.registerImage({region: 'us-east-1', manifestLocation, name: 'lost answer'}));
		expect(error.code).toBe('InvalidAMIName.Duplicate');
	});
});
