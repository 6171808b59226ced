/**
 * Issue 15 friction, the image -> S3 path: `t` on a store task that failed (its bucket was deleted under it, against
 * the sandbox) stores the same AMI into the same bucket again — the bucket is created again in the AMI's region.
 */
import {DeleteBucketCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {findInstance} from '../../aws/support.js';
import {s3Client} from '../../helpers/sandbox.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

const region = 'us-east-1';
const bucket = 'fragile-store';
let env: TestServices;
let harness: DashboardHarness | undefined;
let imageId: string;

beforeAll(async () => {
	// Slow enough for the bucket to go while the store task writes
	env = await startTestServices({sandbox: {pace: {bytesPerSecond: 8 * 1024 * 1024, stepDelayMs: 10}}});
	const instance = await findInstance(env.services, region, 'hr01');
	({imageId} = await env.services.createImage({region, instanceId: instance.id, name: 'hr01 retry', noReboot: true}));
	await waitFor(async () => (await env.services.describeImages(region, [imageId]))[0]?.state === 'available', {
		timeout: 60_000,
	});
	await env.services.createBucket(bucket, region);
	await env.services.storeImage({region, imageId, bucket});
	// Nothing is visible before the store completes: the bucket is empty and can be deleted
	const s3 = s3Client(env.sandbox, region);
	await s3.send(new DeleteBucketCommand({Bucket: bucket}));
	s3.destroy();
	await waitFor(async () => (await env.services.describeStoreTasks(region, [imageId]))[0]?.state === 'Failed', {
		timeout: 60_000,
	});
});

afterAll(async () => {
	harness?.cleanup();
	await env?.close();
});

test('t on the failed store task stores the same AMI into the same bucket again', async () => {
	// Idle polls are slow: the new store task must make the poll quick at once (not after the idle minute)
	harness = renderDashboard({services: env.services, config: {idleIntervalMs: 60_000}});
	await harness.waitForFrame((frame) => /› store .*Failed/.test(frame) && frame.includes(imageId), 30_000);
	await harness.press('t');
	const frame = await harness.waitForFrame(`Bucket ${bucket} no longer exists`);
	expect(frame.replaceAll(/\s+/g, ' ')).toContain(
		`Store AMI ${imageId} into s3://${bucket} in ${region} again: a new store task.`,
	);
	await harness.press('y');
	await harness.waitForFrame(`Storing ${imageId} into ${bucket} again`);
	const [task] = await env.services.describeStoreTasks(region, [imageId]);
	expect(task).toMatchObject({bucket, state: expect.stringMatching(/InProgress|Completed/)});
	expect(harness.chains.find(region, imageId)).toMatchObject({
		bucket,
		name: 'hr01 retry',
		storeStartedAt: expect.any(String),
	});
	await harness.waitForFrame(/› store .*(store [1-9]\d*%|Complete)/, 20_000);
	await waitFor(async () => (await env.services.describeStoreTasks(region, [imageId]))[0]?.state === 'Completed', {
		timeout: 60_000,
	});
});
