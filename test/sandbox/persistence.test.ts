import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
	CreateBucketCommand,
	GetObjectCommand,
	HeadBucketCommand,
	ListBucketsCommand,
	PutObjectCommand,
} from '@aws-sdk/client-s3';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {s3Client, startTestSandbox} from '../helpers/sandbox.js';

let dir: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-persist-'));
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

describe('restart persistence', () => {
	test('buckets (with regions) and objects survive close + start on the same dir', async () => {
		const first = await startTestSandbox({dir});
		const s3 = s3Client(first, 'eu-west-1');
		await s3.send(
			new CreateBucketCommand({Bucket: 'persist-eu', CreateBucketConfiguration: {LocationConstraint: 'eu-west-1'}}),
		);
		await s3.send(new PutObjectCommand({Bucket: 'persist-eu', Key: 'bundle/image.part.0', Body: 'part zero'}));
		const put = await s3.send(
			new PutObjectCommand({
				Bucket: 'persist-eu',
				Key: 'bundle/image.manifest.xml',
				Body: '<manifest/>',
				ContentType: 'text/xml',
			}),
		);
		s3.destroy();
		await first.close();

		const second = await startTestSandbox({dir});
		try {
			const again = s3Client(second, 'eu-west-1');
			const list = await again.send(new ListBucketsCommand({}));
			expect(list.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([['persist-eu', 'eu-west-1']]);
			expect((await again.send(new HeadBucketCommand({Bucket: 'persist-eu'}))).BucketRegion).toBe('eu-west-1');
			const got = await again.send(new GetObjectCommand({Bucket: 'persist-eu', Key: 'bundle/image.manifest.xml'}));
			expect(await got.Body?.transformToString()).toBe('<manifest/>');
			expect([got.ETag, got.ContentType]).toEqual([put.ETag, 'text/xml']);
			const part = await again.send(new GetObjectCommand({Bucket: 'persist-eu', Key: 'bundle/image.part.0'}));
			expect(await part.Body?.transformToString()).toBe('part zero');
			again.destroy();
		} finally {
			await second.close();
		}

		// The caller's directory is kept (only directories the helper created itself are removed).
		expect(await readdir(dir)).toContain('s3');
	});

	test('reset wipes the data directory', async () => {
		const first = await startTestSandbox({dir});
		await s3Client(first).send(new CreateBucketCommand({Bucket: 'persist-wiped'}));
		await first.close();
		const second = await startTestSandbox({dir, reset: true});
		try {
			const list = await s3Client(second).send(new ListBucketsCommand({}));
			expect(list.Buckets ?? []).toEqual([]);
		} finally {
			await second.close();
		}
	});
});
