/**
 * CopyImage of EBS-backed AMIs (CreateImage or CreateRestoreImageTask) through the real SDK: the copy in another
 * region becomes available with its own completed snapshots holding the source's bytes, ClientToken answers the
 * first copy, a pending copy resumes after a restart, and the snapshots it reads cannot be deleted meanwhile.
 */
import {createHash} from 'node:crypto';
import {readFile, writeFile} from 'node:fs/promises';
import {
	CopyImageCommand,
	CreateImageCommand,
	CreateRestoreImageTaskCommand,
	CreateStoreImageTaskCommand,
	DeleteSnapshotCommand,
	DeregisterImageCommand,
	DescribeImagesCommand,
	DescribeSnapshotsCommand,
	DescribeStoreImageTasksCommand,
	type EC2Client,
	type Image,
	waitUntilImageAvailable,
} from '@aws-sdk/client-ec2';
import {CreateBucketCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {snapshotFile} from '../../../source/sandbox/ec2/ebs-jobs.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type Fixture, failure, instanceId, makeDir, openSandbox} from './fixture.js';

async function describeImage(ec2: EC2Client, imageId: string): Promise<Image> {
	return (await ec2.send(new DescribeImagesCommand({ImageIds: [imageId]}))).Images![0]!;
}

async function available(ec2: EC2Client, imageId: string): Promise<Image> {
	await waitUntilImageAvailable({client: ec2, maxWaitTime: 60, minDelay: 1}, {ImageIds: [imageId]});
	return describeImage(ec2, imageId);
}

function snapshotIds(image: Image): string[] {
	return image.BlockDeviceMappings!.map((mapping) => mapping.Ebs!.SnapshotId!);
}

/** sha256 of each snapshot's bytes, read from the sandbox's own files. */
async function digests(dir: string, ids: string[]): Promise<string[]> {
	return Promise.all(
		ids.map(async (id) =>
			createHash('sha256')
				.update(await readFile(snapshotFile(dir, id)))
				.digest('hex'),
		),
	);
}

/** The sha256 the sandbox recorded for each snapshot (world.json). */
async function recordedDigests(dir: string, ids: string[]): Promise<Array<string | undefined>> {
	const world = JSON.parse(await readFile(`${dir}/ec2/world.json`, 'utf8')) as {
		snapshots: Array<{snapshotId: string; sha256?: string}>;
	};
	return ids.map((id) => world.snapshots.find((snapshot) => snapshot.snapshotId === id)?.sha256);
}

describe('CopyImage of an EBS-backed AMI', () => {
	let fixture: Fixture;
	let east: EC2Client;
	let west: EC2Client;

	beforeAll(async () => {
		fixture = await openSandbox();
		east = fixture.ec2('us-east-1');
		west = fixture.ec2('eu-west-1');
	});

	afterAll(async () => {
		await fixture.cleanup();
	});

	test('a CreateImage AMI copied to another region is available with its own snapshots holding the same bytes', async () => {
		const {ImageId: sourceId} = await east.send(
			new CreateImageCommand({
				InstanceId: await instanceId(east, 'erp01'),
				Name: 'erp01 for copy',
				Description: 'erp01 with its data volume',
				NoReboot: true,
				TagSpecifications: [{ResourceType: 'image', Tags: [{Key: 'team', Value: 'erp'}]}],
			}),
		);
		// A pending image cannot be copied yet
		const early = await failure(
			west.send(new CopyImageCommand({SourceRegion: 'us-east-1', SourceImageId: sourceId, Name: 'too early'})),
		);
		expect(early.name).toBe('IncorrectState');
		const source = await available(east, sourceId!);

		const input = {
			SourceRegion: 'us-east-1',
			SourceImageId: sourceId,
			Name: 'erp01 in eu-west-1',
			Description: 'copied',
			ClientToken: 'ebs-copy-1',
			CopyImageTags: true,
			TagSpecifications: [{ResourceType: 'snapshot' as const, Tags: [{Key: 'copied', Value: 'yes'}]}],
		};
		const dry = await failure(west.send(new CopyImageCommand({...input, ClientToken: undefined, DryRun: true})));
		expect(dry.name).toBe('DryRunOperation');
		const {ImageId: copyId} = await west.send(new CopyImageCommand(input));
		expect(copyId).toMatch(/^ami-/);
		expect(copyId).not.toBe(sourceId);
		// Same token, same parameters: the same copy; same token, other parameters: refused
		expect((await west.send(new CopyImageCommand(input))).ImageId).toBe(copyId);
		const mismatch = await failure(west.send(new CopyImageCommand({...input, Name: 'another name'})));
		expect(mismatch.name).toBe('IdempotentParameterMismatch');

		const copy = await available(west, copyId!);
		expect(copy.RootDeviceType).toBe('ebs');
		expect(copy.Name).toBe('erp01 in eu-west-1');
		expect(copy.Description).toBe('copied');
		expect(copy.Architecture).toBe(source.Architecture);
		expect(copy.Tags).toEqual([{Key: 'team', Value: 'erp'}]);
		expect(copy.BlockDeviceMappings!.map((mapping) => [mapping.DeviceName, mapping.Ebs?.VolumeSize])).toEqual(
			source.BlockDeviceMappings!.map((mapping) => [mapping.DeviceName, mapping.Ebs?.VolumeSize]),
		);
		const copied = snapshotIds(copy);
		expect(copied).toHaveLength(2);
		for (const id of copied) {
			expect(snapshotIds(source)).not.toContain(id);
		}

		const snapshots = (await west.send(new DescribeSnapshotsCommand({SnapshotIds: copied}))).Snapshots!;
		expect(snapshots.map((snapshot) => [snapshot.State, snapshot.Progress])).toEqual([
			['completed', '100%'],
			['completed', '100%'],
		]);
		expect(snapshots.every((snapshot) => snapshot.Tags?.some((tag) => tag.Key === 'copied'))).toBe(true);
		expect(snapshots[0]!.Description).toContain(`SourceAmi ${sourceId}`);
		// The copies are only in the destination region
		expect((await failure(east.send(new DescribeSnapshotsCommand({SnapshotIds: [copied[0]!]})))).name).toBe(
			'InvalidSnapshot.NotFound',
		);

		const sourceBytes = await digests(fixture.dir, snapshotIds(source));
		expect(await digests(fixture.dir, copied)).toEqual(sourceBytes);
		expect(await recordedDigests(fixture.dir, copied)).toEqual(await recordedDigests(fixture.dir, snapshotIds(source)));
		expect(new Set(sourceBytes).size).toBe(2);
	});

	test('a copy whose source snapshot bytes changed fails: Server.CopyFailed, its snapshots in error', async () => {
		const {ImageId: sourceId} = await east.send(
			new CreateImageCommand({
				InstanceId: await instanceId(east, 'archive01'),
				Name: 'archive01 to spoil',
				NoReboot: true,
			}),
		);
		const [spoiled] = snapshotIds(await available(east, sourceId!));
		const file = snapshotFile(fixture.dir, spoiled!);
		const bytes = await readFile(file);
		bytes[0] = (bytes[0]! + 1) % 256;
		await writeFile(file, bytes);

		const {ImageId: copyId} = await west.send(
			new CopyImageCommand({SourceRegion: 'us-east-1', SourceImageId: sourceId, Name: 'archive01 spoiled copy'}),
		);
		const copy = await waitFor(async () => {
			const image = await describeImage(west, copyId!);
			return image.State === 'pending' ? undefined : image;
		});
		expect(copy.State).toBe('failed');
		expect(copy.StateReason?.Code).toBe('Server.CopyFailed');
		expect(copy.StateReason?.Message).toContain(`the copy of snapshot ${spoiled} does not match it`);
		const snapshots = (await west.send(new DescribeSnapshotsCommand({SnapshotIds: snapshotIds(copy)}))).Snapshots!;
		expect(snapshots.map((snapshot) => snapshot.State)).toContain('error');
	});

	test('a restored AMI copies too, and its copy can be stored in its region', async () => {
		await fixture.s3('us-east-1').send(new CreateBucketCommand({Bucket: 'copy-store-east'}));
		await fixture.s3('eu-west-1').send(
			new CreateBucketCommand({
				Bucket: 'copy-store-west',
				CreateBucketConfiguration: {LocationConstraint: 'eu-west-1'},
			}),
		);
		const {ImageId: imaged} = await east.send(
			new CreateImageCommand({InstanceId: await instanceId(east, 'hr01'), Name: 'hr01 to store', NoReboot: true}),
		);
		await available(east, imaged!);
		const {ObjectKey} = await east.send(new CreateStoreImageTaskCommand({ImageId: imaged, Bucket: 'copy-store-east'}));
		await waitFor(
			async () =>
				(await east.send(new DescribeStoreImageTasksCommand({ImageIds: [imaged!]}))).StoreImageTaskResults![0]!
					.StoreTaskState === 'Completed',
		);
		const {ImageId: restoredId} = await east.send(
			new CreateRestoreImageTaskCommand({Bucket: 'copy-store-east', ObjectKey, Name: 'hr01 restored'}),
		);
		const restored = await available(east, restoredId!);
		const {ImageId: copyId} = await west.send(
			new CopyImageCommand({SourceRegion: 'us-east-1', SourceImageId: restoredId, Name: 'hr01 restored'}),
		);
		const copy = await available(west, copyId!);
		expect(await digests(fixture.dir, snapshotIds(copy))).toEqual(await digests(fixture.dir, snapshotIds(restored)));

		// The copy is a full EBS-backed AMI in eu-west-1: it can be stored there
		await west.send(new CreateStoreImageTaskCommand({ImageId: copyId, Bucket: 'copy-store-west'}));
		await waitFor(
			async () =>
				(await west.send(new DescribeStoreImageTasksCommand({ImageIds: [copyId!]}))).StoreImageTaskResults![0]!
					.StoreTaskState === 'Completed',
		);
	});
});

test('a pending EBS copy resumes after a restart, and the snapshots it reads cannot be deleted meanwhile', async () => {
	const dir = await makeDir();
	const imageSize = 8 * 1024 * 1024;
	let fixture = await openSandbox({dir, pace: {imageSize}});
	try {
		let east = fixture.ec2('us-east-1');
		const {ImageId: sourceId} = await east.send(
			new CreateImageCommand({InstanceId: await instanceId(east, 'dc01'), Name: 'dc01 for copy', NoReboot: true}),
		);
		const source = await available(east, sourceId!);
		const [sourceSnapshot] = snapshotIds(source);
		await fixture.close();

		// Slow enough that the copy is still running when the sandbox closes again
		fixture = await openSandbox({dir, pace: {imageSize, bytesPerSecond: 1024 * 1024, stepDelayMs: 0}});
		east = fixture.ec2('us-east-1');
		let west = fixture.ec2('us-west-2');
		const {ImageId: copyId} = await west.send(
			new CopyImageCommand({
				SourceRegion: 'us-east-1',
				SourceImageId: sourceId,
				Name: 'dc01 copy',
				ClientToken: 'resume-1',
			}),
		);
		const [copySnapshot] = snapshotIds(await describeImage(west, copyId!));
		const progress = async () =>
			(await west.send(new DescribeSnapshotsCommand({SnapshotIds: [copySnapshot!]}))).Snapshots![0]!;
		await waitFor(async () => Number.parseInt((await progress()).Progress!, 10) > 0);
		expect((await progress()).State).toBe('pending');

		// The source AMI may go, but the snapshot the copy reads stays until the copy completes
		await east.send(new DeregisterImageCommand({ImageId: sourceId}));
		const inUse = await failure(east.send(new DeleteSnapshotCommand({SnapshotId: sourceSnapshot})));
		expect(inUse.name).toBe('InvalidSnapshot.InUse');
		expect(inUse.message).toContain(copySnapshot);
		await fixture.close();

		fixture = await openSandbox({dir, pace: {imageSize}});
		east = fixture.ec2('us-east-1');
		west = fixture.ec2('us-west-2');
		expect((await describeImage(west, copyId!)).State).toBe('pending');
		// The token still answers the copy in flight
		expect(
			(
				await west.send(
					new CopyImageCommand({
						SourceRegion: 'us-east-1',
						SourceImageId: sourceId,
						Name: 'dc01 copy',
						ClientToken: 'resume-1',
					}),
				)
			).ImageId,
		).toBe(copyId);
		await available(west, copyId!);
		expect((await progress()).State).toBe('completed');
		expect(await digests(dir, [copySnapshot!])).toEqual(await digests(dir, [sourceSnapshot!]));
		// Copied: the source snapshot can go now
		await east.send(new DeleteSnapshotCommand({SnapshotId: sourceSnapshot}));
	} finally {
		await fixture.cleanup();
	}
});
