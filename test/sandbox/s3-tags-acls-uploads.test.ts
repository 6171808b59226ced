/**
 * What the AWS CLI asks beyond the basics: object tagging (s3 cp between buckets asks GetObjectTagging and sends
 * x-amz-tagging), object and bucket ACLs (the ec2-bundle-read grant is visible), ListMultipartUploads, and the
 * removal of uploads abandoned for more than a day when the sandbox starts.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
	CreateMultipartUploadCommand,
	DeleteObjectTaggingCommand,
	GetBucketAclCommand,
	GetObjectAclCommand,
	GetObjectTaggingCommand,
	ListMultipartUploadsCommand,
	PutObjectCommand,
	PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import {describe, expect, test} from 'vitest';
import {sandboxAccounts} from '../../source/sandbox/accounts.js';
import {MultipartUploads} from '../../source/sandbox/s3/multipart.js';
import {createObjectStore} from '../../source/sandbox/s3/object-store.js';
import {sandboxWithBucket} from '../helpers/sandbox.js';

const bucket = 'tags-acls';
const {s3} = await sandboxWithBucket(bucket);

describe('object tagging', () => {
	test('x-amz-tagging on PutObject, then Get / Put / DeleteObjectTagging', async () => {
		await s3.send(new PutObjectCommand({Bucket: bucket, Key: 'tagged', Body: 'x', Tagging: 'team=ops&tier=gold'}));
		expect((await s3.send(new GetObjectTaggingCommand({Bucket: bucket, Key: 'tagged'}))).TagSet).toEqual([
			{Key: 'team', Value: 'ops'},
			{Key: 'tier', Value: 'gold'},
		]);
		await s3.send(
			new PutObjectTaggingCommand({
				Bucket: bucket,
				Key: 'tagged',
				Tagging: {TagSet: [{Key: 'a&b', Value: "it's <ok>"}]},
			}),
		);
		expect((await s3.send(new GetObjectTaggingCommand({Bucket: bucket, Key: 'tagged'}))).TagSet).toEqual([
			{Key: 'a&b', Value: "it's <ok>"},
		]);
		await s3.send(new DeleteObjectTaggingCommand({Bucket: bucket, Key: 'tagged'}));
		expect((await s3.send(new GetObjectTaggingCommand({Bucket: bucket, Key: 'tagged'}))).TagSet).toEqual([]);
	});

	test('tags of a missing key: NoSuchKey', async () => {
		await expect(s3.send(new GetObjectTaggingCommand({Bucket: bucket, Key: 'missing'}))).rejects.toMatchObject({
			name: 'NoSuchKey',
		});
	});
});

describe('ACLs', () => {
	test('an ec2-bundle-read object shows the owner FULL_CONTROL and the EC2 bundling grantee READ', async () => {
		await s3.send(new PutObjectCommand({Bucket: bucket, Key: 'part', Body: 'x', ACL: 'ec2-bundle-read' as never}));
		const acl = await s3.send(new GetObjectAclCommand({Bucket: bucket, Key: 'part'}));
		expect(acl.Owner?.DisplayName).toBe('sandbox');
		expect(acl.Grants?.map((grant) => [grant.Grantee?.DisplayName, grant.Permission])).toEqual([
			['sandbox', 'FULL_CONTROL'],
			['ec2-bundle', 'READ'],
		]);
	});

	test('a private object and the bucket: the owner alone', async () => {
		await s3.send(new PutObjectCommand({Bucket: bucket, Key: 'private', Body: 'x'}));
		expect((await s3.send(new GetObjectAclCommand({Bucket: bucket, Key: 'private'}))).Grants).toHaveLength(1);
		const bucketAcl = await s3.send(new GetBucketAclCommand({Bucket: bucket}));
		expect(bucketAcl.Grants?.map((grant) => grant.Permission)).toEqual(['FULL_CONTROL']);
	});
});

describe('multipart uploads in progress', () => {
	test('ListMultipartUploads lists the started ones, with a prefix', async () => {
		const one = await s3.send(new CreateMultipartUploadCommand({Bucket: bucket, Key: 'up/one'}));
		await s3.send(new CreateMultipartUploadCommand({Bucket: bucket, Key: 'other/two'}));
		const listed = await s3.send(new ListMultipartUploadsCommand({Bucket: bucket, Prefix: 'up/'}));
		expect(listed.Uploads?.map((upload) => [upload.Key, upload.UploadId])).toEqual([['up/one', one.UploadId]]);
		expect((await s3.send(new ListMultipartUploadsCommand({Bucket: bucket}))).Uploads).toHaveLength(2);
	});

	test('uploads are removed once abandoned for longer than the limit (a day at start), kept before', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-abandoned-'));
		try {
			const store = await createObjectStore({dir, accounts: sandboxAccounts});
			await store.createBucket(sandboxAccounts[0]!.id, 'abandoned-bucket', 'us-east-1');
			const uploads = new MultipartUploads(dir, store);
			await uploads.create('abandoned-bucket', 'old', {});
			await uploads.create('abandoned-bucket', 'new', {});
			const day = 24 * 60 * 60 * 1000;
			expect(await uploads.removeAbandoned(day, Date.now() + day - 60_000)).toBe(0);
			expect(await uploads.list('abandoned-bucket')).toHaveLength(2);
			expect(await uploads.removeAbandoned(day, Date.now() + day + 60_000)).toBe(2);
			expect(await uploads.list('abandoned-bucket')).toEqual([]);
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});
});
