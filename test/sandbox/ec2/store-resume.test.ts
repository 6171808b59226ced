/**
 * The image -> S3 path survives a sandbox restart: a pending AMI's snapshots and an InProgress store task run again
 * after the restart and complete; the restarted store leaves no stray multipart upload behind.
 */
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
	CreateImageCommand,
	CreateStoreImageTaskCommand,
	DescribeImagesCommand,
	DescribeInstancesCommand,
	DescribeStoreImageTasksCommand,
} from '@aws-sdk/client-ec2';
import {CreateBucketCommand, HeadObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, expect, test} from 'vitest';
import type {Sandbox} from '../../../source/sandbox/contracts.js';
import {ec2Client, s3Client, startTestSandbox} from '../../helpers/sandbox.js';
import {waitFor} from '../../helpers/wait-for.js';

const dirs: string[] = [];

afterAll(async () => {
	await Promise.all(dirs.map(async (dir) => rm(dir, {recursive: true, force: true})));
});

const slow = {pace: {bytesPerSecond: 4 * 1024 * 1024, imageSize: 8 * 1024 * 1024, stepDelayMs: 0}};

test('a pending AMI and an InProgress store task resume after a restart and complete', async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-store-resume-'));
	dirs.push(dir);
	let sandbox: Sandbox = await startTestSandbox({dir, ...slow});
	let ec2 = ec2Client(sandbox);
	const instances = await ec2.send(new DescribeInstancesCommand({Filters: [{Name: 'tag:Name', Values: ['dc01']}]}));
	const {ImageId} = await ec2.send(
		new CreateImageCommand({
			InstanceId: instances.Reservations![0]!.Instances![0]!.InstanceId,
			Name: 'survives a restart',
			NoReboot: true,
		}),
	);
	await s3Client(sandbox).send(new CreateBucketCommand({Bucket: 'resume-store'}));
	expect((await ec2.send(new DescribeImagesCommand({ImageIds: [ImageId!]}))).Images?.[0]?.State).toBe('pending');
	await sandbox.close();

	sandbox = await startTestSandbox({dir, ...slow});
	ec2 = ec2Client(sandbox);
	await waitFor(
		async () => (await ec2.send(new DescribeImagesCommand({ImageIds: [ImageId!]}))).Images?.[0]?.State === 'available',
		{timeout: 30_000},
	);
	await ec2.send(new CreateStoreImageTaskCommand({ImageId, Bucket: 'resume-store'}));
	const progress = async () =>
		(await ec2.send(new DescribeStoreImageTasksCommand({ImageIds: [ImageId!]}))).StoreImageTaskResults![0]!;
	await waitFor(async () => (await progress()).ProgressPercentage! > 0);
	await sandbox.close();

	sandbox = await startTestSandbox({dir, ...slow});
	ec2 = ec2Client(sandbox);
	expect((await progress()).StoreTaskState).toBe('InProgress');
	await waitFor(async () => (await progress()).StoreTaskState === 'Completed', {timeout: 30_000});
	await s3Client(sandbox).send(new HeadObjectCommand({Bucket: 'resume-store', Key: `${ImageId}.bin`}));
	const uploads = await readdir(path.join(dir, 's3', 'uploads')).catch(() => []);
	expect(uploads).toEqual([]);
	await sandbox.close();
});
