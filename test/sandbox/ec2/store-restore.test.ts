/**
 * The image -> S3 path in the sandbox through the real SDK: CreateImage (snapshots with the volume's bytes),
 * CreateStoreImageTask (one compressed object through the multipart path, visible only when Completed),
 * CreateRestoreImageTask (verified, an available AMI matching the source), and the refusals.
 */
import {
	CreateImageCommand,
	CreateRestoreImageTaskCommand,
	CreateStoreImageTaskCommand,
	DeleteSnapshotCommand,
	DeregisterImageCommand,
	DescribeImagesCommand,
	DescribeInstancesCommand,
	DescribeSnapshotsCommand,
	DescribeStoreImageTasksCommand,
	waitUntilImageAvailable,
	waitUntilSnapshotCompleted,
} from '@aws-sdk/client-ec2';
import {CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand} from '@aws-sdk/client-s3';
import {describe, expect, test} from 'vitest';
import {ec2Client, s3Client, sandboxWithBucket, startTestSandbox} from '../../helpers/sandbox.js';
import {waitFor} from '../../helpers/wait-for.js';
import {failure as rejection} from './fixture.js';

async function instanceId(name: string, region = 'us-east-1'): Promise<string> {
	const output = await ec2Client(sandbox, region).send(
		new DescribeInstancesCommand({Filters: [{Name: 'tag:Name', Values: [name]}]}),
	);
	return output.Reservations![0]!.Instances![0]!.InstanceId!;
}

async function availableImage(instance: string, name: string): Promise<string> {
	const {ImageId} = await ec2.send(
		new CreateImageCommand({InstanceId: instance, Name: name, Description: `of ${name}`}),
	);
	await waitUntilImageAvailable({client: ec2, maxWaitTime: 60, minDelay: 1}, {ImageIds: [ImageId!]});
	return ImageId!;
}

async function storeTask(imageId: string) {
	const output = await ec2.send(new DescribeStoreImageTasksCommand({ImageIds: [imageId]}));
	return output.StoreImageTaskResults![0]!;
}

const {sandbox, s3} = await sandboxWithBucket('store-east');
const ec2 = ec2Client(sandbox);
await s3Client(sandbox, 'us-west-2').send(
	new CreateBucketCommand({Bucket: 'store-west', CreateBucketConfiguration: {LocationConstraint: 'us-west-2'}}),
);

describe('image -> S3 -> AMI in the sandbox', () => {
	test('EBS-backed Windows instances are seeded, running and stopped, one with a data volume', async () => {
		const output = await ec2.send(
			new DescribeInstancesCommand({Filters: [{Name: 'root-device-type', Values: ['ebs']}]}),
		);
		const instances = output.Reservations!.flatMap((reservation) => reservation.Instances!);
		expect(instances.length).toBeGreaterThanOrEqual(3);
		expect(new Set(instances.map((instance) => instance.State?.Name))).toEqual(new Set(['running', 'stopped']));
		expect(instances.some((instance) => instance.BlockDeviceMappings!.length === 2)).toBe(true);
	});

	test('CreateImage -> store -> restore round trip yields an available AMI matching the source', async () => {
		const source = await availableImage(await instanceId('erp01'), 'erp01 image');
		const [described] = (await ec2.send(new DescribeImagesCommand({ImageIds: [source]}))).Images!;
		expect(described?.RootDeviceType).toBe('ebs');
		expect(described?.BlockDeviceMappings).toHaveLength(2);
		const snapshotIds = described!.BlockDeviceMappings!.map((mapping) => mapping.Ebs!.SnapshotId!);
		await waitUntilSnapshotCompleted({client: ec2, maxWaitTime: 30, minDelay: 1}, {SnapshotIds: snapshotIds});
		const snapshots = (await ec2.send(new DescribeSnapshotsCommand({SnapshotIds: snapshotIds}))).Snapshots!;
		expect(snapshots.map((snapshot) => snapshot.Progress)).toEqual(['100%', '100%']);

		const {ObjectKey} = await ec2.send(new CreateStoreImageTaskCommand({ImageId: source, Bucket: 'store-east'}));
		expect(ObjectKey).toBe(`${source}.bin`);
		await waitFor(async () => (await storeTask(source)).StoreTaskState === 'Completed');
		const head = await s3.send(new HeadObjectCommand({Bucket: 'store-east', Key: ObjectKey}));
		expect(head.Metadata?.['ami-name']).toBe('erp01 image');
		// Compressed: smaller than the volumes' bytes
		expect(head.ContentLength).toBeLessThan(24 * 1024 * 1024 * 1.25);

		const {ImageId: restored} = await ec2.send(
			new CreateRestoreImageTaskCommand({Bucket: 'store-east', ObjectKey, Name: 'erp01 restored'}),
		);
		await waitUntilImageAvailable({client: ec2, maxWaitTime: 60, minDelay: 1}, {ImageIds: [restored!]});
		const [copy] = (await ec2.send(new DescribeImagesCommand({ImageIds: [restored!]}))).Images!;
		expect(copy?.Description).toBe(described?.Description);
		expect(copy?.Architecture).toBe(described?.Architecture);
		expect(copy?.BlockDeviceMappings?.map((mapping) => [mapping.DeviceName, mapping.Ebs?.VolumeSize])).toEqual(
			described?.BlockDeviceMappings?.map((mapping) => [mapping.DeviceName, mapping.Ebs?.VolumeSize]),
		);
		const restoredSnapshots = copy!.BlockDeviceMappings!.map((mapping) => mapping.Ebs!.SnapshotId!);
		const states = (await ec2.send(new DescribeSnapshotsCommand({SnapshotIds: restoredSnapshots}))).Snapshots!;
		expect(states.every((snapshot) => snapshot.State === 'completed')).toBe(true);

		// The same name again is refused; restoring without a name takes the stored one, which is still free
		const duplicate = await rejection(
			ec2.send(new CreateRestoreImageTaskCommand({Bucket: 'store-east', ObjectKey, Name: 'erp01 restored'})),
		);
		expect(duplicate.name).toBe('InvalidAMIName.Duplicate');
		const sameName = await rejection(ec2.send(new CreateRestoreImageTaskCommand({Bucket: 'store-east', ObjectKey})));
		expect(sameName.name).toBe('InvalidAMIName.Duplicate');

		// Snapshots of a registered AMI are in use; deregistering frees them
		expect((await rejection(ec2.send(new DeleteSnapshotCommand({SnapshotId: snapshotIds[0]})))).name).toBe(
			'InvalidSnapshot.InUse',
		);
		await ec2.send(new DeregisterImageCommand({ImageId: source}));
		await ec2.send(new DeleteSnapshotCommand({SnapshotId: snapshotIds[0]}));
	});

	test('a damaged, truncated or foreign object is refused with a clear reason', async () => {
		const source = await availableImage(await instanceId('hr01'), 'hr01 image');
		const {ObjectKey} = await ec2.send(new CreateStoreImageTaskCommand({ImageId: source, Bucket: 'store-east'}));
		await waitFor(async () => (await storeTask(source)).StoreTaskState === 'Completed');
		const body = Buffer.from(
			await (await s3.send(new GetObjectCommand({Bucket: 'store-east', Key: ObjectKey}))).Body!.transformToByteArray(),
		);
		await s3.send(
			new PutObjectCommand({Bucket: 'store-east', Key: 'short.bin', Body: body.subarray(0, body.length >> 1)}),
		);
		const flipped = Buffer.from(body);
		const middle = flipped.length >> 1;
		flipped.writeUInt8(flipped.readUInt8(middle) ^ 0xff, middle);
		await s3.send(new PutObjectCommand({Bucket: 'store-east', Key: 'flipped.bin', Body: flipped}));
		await s3.send(new PutObjectCommand({Bucket: 'store-east', Key: 'foreign.bin', Body: 'just some text'}));
		const refusal = async (key: string) =>
			rejection(
				ec2.send(new CreateRestoreImageTaskCommand({Bucket: 'store-east', ObjectKey: key, Name: `from ${key}`})),
			);
		expect((await refusal('short.bin')).message).toMatch(/truncated/);
		expect((await refusal('flipped.bin')).message).toMatch(/damaged|truncated/);
		expect((await refusal('foreign.bin')).message).toMatch(/not a stored AMI/);
		expect((await refusal('missing.bin')).message).toMatch(/does not exist/);
	});

	test('store refuses a bucket in another region and an unknown AMI', async () => {
		const ebsImage = await availableImage(await instanceId('dc01'), 'dc01 image');
		const wrongRegion = await rejection(
			ec2.send(new CreateStoreImageTaskCommand({ImageId: ebsImage, Bucket: 'store-west'})),
		);
		expect(wrongRegion.message).toMatch(/is in us-west-2/);
		const missing = await rejection(
			ec2.send(new CreateStoreImageTaskCommand({ImageId: 'ami-0123456789abcdef0', Bucket: 'store-east'})),
		);
		expect(missing.name).toBe('InvalidAMIID.NotFound');
	});
});

describe('store task progress', () => {
	test('progress rises and the object is absent until Completed', async () => {
		const slow = await startTestSandbox({pace: {bytesPerSecond: 12 * 1024 * 1024}});
		try {
			const client = ec2Client(slow);
			const objects = s3Client(slow);
			await objects.send(new CreateBucketCommand({Bucket: 'slow-store'}));
			const instances = await client.send(
				new DescribeInstancesCommand({Filters: [{Name: 'tag:Name', Values: ['dc01']}]}),
			);
			const {ImageId} = await client.send(
				new CreateImageCommand({
					InstanceId: instances.Reservations![0]!.Instances![0]!.InstanceId,
					Name: 'slow one',
					NoReboot: true,
				}),
			);
			await waitUntilImageAvailable({client, maxWaitTime: 60, minDelay: 1}, {ImageIds: [ImageId!]});
			await client.send(new CreateStoreImageTaskCommand({ImageId, Bucket: 'slow-store'}));
			const seen: number[] = [];
			const describe = async () =>
				(await client.send(new DescribeStoreImageTasksCommand({ImageIds: [ImageId!]}))).StoreImageTaskResults![0]!;
			let state = 'InProgress';
			while (state === 'InProgress') {
				// Look for the object first, then ask the task: asked the other way round, the task could complete
				// between the two calls. An object seen must belong to a task that reports Completed right after
				// (a few polls allow for the upload directory's clean-up that follows the object's creation).
				const head = await objects.send(new HeadObjectCommand({Bucket: 'slow-store', Key: `${ImageId}.bin`})).then(
					() => 'found',
					(error: Error) => error.name,
				);
				let task = await describe();
				for (let attempt = 0; head === 'found' && task.StoreTaskState === 'InProgress' && attempt < 10; attempt++) {
					await new Promise((resolve) => {
						setTimeout(resolve, 20);
					});
					task = await describe();
				}

				expect(head === 'found' ? task.StoreTaskState : 'NotFound').toBe(head === 'found' ? 'Completed' : head);
				state = task.StoreTaskState!;
				seen.push(task.ProgressPercentage!);
				await new Promise((resolve) => {
					setTimeout(resolve, 150);
				});
			}

			expect(state).toBe('Completed');
			expect(seen.at(-1)).toBe(100);
			expect(new Set(seen.filter((value) => value > 0 && value < 100)).size).toBeGreaterThan(1);
			expect(seen).toEqual([...seen].sort((a, b) => a - b));
			await objects.send(new HeadObjectCommand({Bucket: 'slow-store', Key: `${ImageId}.bin`}));
		} finally {
			await slow.close();
		}
	});
});
