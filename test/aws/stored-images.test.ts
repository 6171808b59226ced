/**
 * The image -> S3 path through Services against the in-process sandbox: CreateImage, snapshots, store task,
 * restore, the plain-word refusals, and the resumable migration of a stored object.
 */
import {createHash} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {ListMultipartUploadsCommand, ListPartsCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {migrateStored} from '../../source/aws/migrate-stored.js';
import type {Services} from '../../source/core/services.js';
import {snapshotFile} from '../../source/sandbox/ec2/ebs-jobs.js';
import {rejection} from '../helpers/rejection.js';
import {startTestServices, type TestServices} from '../helpers/services.js';
import {waitFor} from '../helpers/wait-for.js';
import {findInstance, sandboxContext, sandboxS3} from './support.js';

let fixture: TestServices;
let services: Services;
const region = 'us-east-1';

async function availableImage(instanceName: string, name: string): Promise<string> {
	const instance = await findInstance(services, region, instanceName);
	const {imageId} = await services.createImage({region, instanceId: instance.id, name, noReboot: true});
	await waitFor(async () => (await services.describeImages(region, [imageId]))[0]?.state === 'available');
	return imageId;
}

async function storedImage(instanceName: string, name: string, bucket: string): Promise<string> {
	const imageId = await availableImage(instanceName, name);
	await services.storeImage({region, imageId, bucket});
	await waitFor(async () => (await services.describeStoreTasks(region, [imageId]))[0]?.state === 'Completed');
	return imageId;
}

beforeAll(async () => {
	fixture = await startTestServices({region, sandbox: {pace: {stepDelayMs: 0}}});
	services = fixture.services;
	await services.createBucket('stored-east', region);
	await services.createBucket('stored-west', 'us-west-2');
});

afterAll(async () => {
	await fixture?.close();
});

describe('image -> S3 -> AMI through Services', () => {
	test('createImage, snapshots, storeImage, describeStoredObject, restoreImage', async () => {
		const imageId = await availableImage('erp01', 'erp01 for services');
		const [image] = await services.describeImages(region, [imageId]);
		expect(image?.rootDeviceType).toBe('ebs');
		const snapshotIds = image!.blockDevices!.map((device) => device.snapshotId!);
		const snapshots = await services.describeSnapshots(region, snapshotIds);
		expect(snapshots.map((snapshot) => [snapshot.state, snapshot.progress])).toEqual([
			['completed', 100],
			['completed', 100],
		]);

		const {objectKey} = await services.storeImage({region, imageId, bucket: 'stored-east'});
		await waitFor(async () => (await services.describeStoreTasks(region, [imageId]))[0]?.state === 'Completed');
		const [task] = await services.describeStoreTasks(region);
		expect(task).toMatchObject({amiId: imageId, bucket: 'stored-east', objectKey, progress: 100});
		const stored = await services.describeStoredObject(region, 'stored-east', objectKey);
		expect(stored).toMatchObject({amiName: 'erp01 for services', sourceImageId: imageId});
		expect(stored.size).toBeGreaterThan(0);

		const restored = await services.restoreImage({region, bucket: 'stored-east', objectKey, name: 'erp01 back'});
		await waitFor(async () => (await services.describeImages(region, [restored.imageId]))[0]?.state === 'available');
		const [back] = await services.describeImages(region, [restored.imageId]);
		expect(back?.blockDevices?.map((device) => device.volumeSizeGiB)).toEqual(
			image?.blockDevices?.map((device) => device.volumeSizeGiB),
		);
		await services.deregisterImage(region, restored.imageId);
		expect(await services.describeImages(region, [restored.imageId]).catch((error: unknown) => error)).toMatchObject({
			code: 'InvalidAMIID.NotFound',
		});
	});

	test('refusals in plain words: wrong-region bucket, instance store AMI, quota, duplicate name', async () => {
		const imageId = await availableImage('dc01', 'dc01 for refusals');
		const wrongRegion = await rejection(services.storeImage({region, imageId, bucket: 'stored-west'}));
		expect(wrongRegion.code).toBe('BucketInOtherRegion');
		expect(wrongRegion.toLine()).toMatch(/stored-west is in us-west-2.*needs a bucket in us-east-1/);

		const duplicate = await rejection(
			services.createImage({
				region,
				instanceId: (await findInstance(services, region, 'dc01')).id,
				name: 'dc01 for refusals',
			}),
		);
		expect(duplicate.code).toBe('InvalidAMIName.Duplicate');
		expect(duplicate.toLine()).toContain('already exists');

		const dryRun = await services.preflightStoreImage({region, imageId, bucket: 'stored-east'});
		expect(dryRun).toBeUndefined();
	});
});

describe('copyImage of an EBS-backed AMI', () => {
	test('the copy in another region is available, with its own completed snapshots holding the same bytes', async () => {
		const imageId = await availableImage('dc01', 'dc01 to copy');
		const {imageId: copyId} = await services.copyImage({
			sourceRegion: region,
			sourceImageId: imageId,
			destinationRegion: 'ap-southeast-2',
			name: 'dc01 copied',
		});
		await waitFor(async () => (await services.describeImages('ap-southeast-2', [copyId]))[0]?.state === 'available');
		const [source] = await services.describeImages(region, [imageId]);
		const [copy] = await services.describeImages('ap-southeast-2', [copyId]);
		expect(copy).toMatchObject({rootDeviceType: 'ebs', name: 'dc01 copied', region: 'ap-southeast-2'});
		const copiedIds = copy!.blockDevices!.map((device) => device.snapshotId!);
		const sourceIds = source!.blockDevices!.map((device) => device.snapshotId!);
		expect(copiedIds).toHaveLength(sourceIds.length);
		expect(copiedIds.some((id) => sourceIds.includes(id))).toBe(false);
		const snapshots = await services.describeSnapshots('ap-southeast-2', copiedIds);
		expect(snapshots.every((snapshot) => snapshot.state === 'completed' && snapshot.progress === 100)).toBe(true);
		const bytes = async (ids: string[]) =>
			Promise.all(
				ids.map(async (id) =>
					createHash('sha256')
						.update(await readFile(snapshotFile(fixture.sandbox.dir, id)))
						.digest('hex'),
				),
			);
		expect(await bytes(copiedIds)).toEqual(await bytes(sourceIds));
	});
});

describe('migrateStored', () => {
	test('an interrupted multipart copy resumes copying only the missing parts, then restores there', async () => {
		const imageId = await storedImage('hr01', 'hr01 to migrate', 'stored-east');
		const objectKey = `${imageId}.bin`;
		const context = sandboxContext(fixture.sandbox, region);
		const partSize = 5 * 1024 * 1024;
		const input = {
			sourceRegion: region,
			bucket: 'stored-east',
			objectKey,
			destinationRegion: 'eu-west-1',
			destinationBucket: 'stored-eu',
		};
		const options = {multipartThreshold: 1, partSize, concurrency: 1};
		const controller = new AbortController();
		let copiedBeforeAbort = 0;
		const first = await rejection(
			migrateStored(
				context,
				{
					...input,
					signal: controller.signal,
					onProgress(progress) {
						if (progress.copiedParts === 2 && !controller.signal.aborted) {
							copiedBeforeAbort = progress.copiedParts;
							controller.abort();
						}
					},
				},
				options,
			),
		);
		expect(first.code).toBe('Aborted');
		expect(copiedBeforeAbort).toBe(2);
		const s3 = sandboxS3(fixture.sandbox, 'eu-west-1');
		const uploads = await s3.send(new ListMultipartUploadsCommand({Bucket: 'stored-eu'}));
		const parts = await s3.send(
			new ListPartsCommand({Bucket: 'stored-eu', Key: objectKey, UploadId: uploads.Uploads![0]!.UploadId}),
		);
		expect(parts.Parts).toHaveLength(2);

		fixture.sandbox.clearRequestLog();
		const second = await migrateStored(context, {...input, restore: {name: 'hr01 in eu'}}, options);
		expect(second.skippedParts).toBe(2);
		expect(second.copiedParts).toBeGreaterThan(0);
		const copies = fixture.sandbox.requestLog().filter((entry) => entry.action === 'UploadPartCopy');
		expect(copies).toHaveLength(second.copiedParts);
		expect(second.imageId).toMatch(/^ami-/);
		await waitFor(
			async () => (await services.describeImages('eu-west-1', [second.imageId!]))[0]?.state === 'available',
		);

		// A third run finds the verified copy and copies nothing
		const third = await migrateStored(context, input, options);
		expect(third).toMatchObject({copiedParts: 0, skippedParts: 1});
		s3.destroy();
	});
});
