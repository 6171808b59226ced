import {createHash} from 'node:crypto';
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {signUploadPolicy} from '../../../source/core/upload-policy.js';
import {defaultAccount, otherAccount, sandboxAccounts, seededForeignBuckets} from '../../../source/sandbox/accounts.js';
import type {PostUploadForm} from '../../../source/sandbox/contracts.js';
import {createObjectStore, readBucketFiles} from '../../../source/sandbox/s3/object-store.js';

let dir: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-store-'));
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

async function store() {
	return createObjectStore({dir, accounts: sandboxAccounts});
}

const md5 = (data: string | Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;

describe('buckets', () => {
	test('the other account owns a seeded bucket', async () => {
		const s = await store();
		const seeded = seededForeignBuckets[0]!;
		expect(s.getBucket(seeded.name)).toMatchObject({ownerId: otherAccount.id, region: 'us-east-1'});
		expect(s.listBuckets(defaultAccount.id)).toEqual([]);
		expect(s.listBuckets(otherAccount.id).map((b) => b.name)).toEqual([seeded.name]);
	});

	test('create, already owned, already exists, invalid names', async () => {
		const s = await store();
		const bucket = await s.createBucket(defaultAccount.id, 'my-bundles', 'eu-west-1');
		expect(bucket).toMatchObject({name: 'my-bundles', region: 'eu-west-1', ownerId: defaultAccount.id});
		await expect(s.createBucket(defaultAccount.id, 'my-bundles', 'eu-west-1')).rejects.toMatchObject({
			code: 'BucketAlreadyOwnedByYou',
			status: 409,
		});
		await expect(s.createBucket(defaultAccount.id, seededForeignBuckets[0]!.name, 'us-east-1')).rejects.toMatchObject({
			code: 'BucketAlreadyExists',
			status: 409,
		});
		for (const name of ['ab', 'Upper', 'a..b', '-dash', 'dash-', '192.168.1.1', 'xn--abc', 'x'.repeat(64), 'a_b']) {
			await expect(s.createBucket(defaultAccount.id, name, 'us-east-1'), name).rejects.toMatchObject({
				code: 'InvalidBucketName',
				status: 400,
			});
		}

		await expect(s.createBucket(defaultAccount.id, 'a.b-c.1', 'us-east-1')).resolves.toMatchObject({name: 'a.b-c.1'});
	});

	test('delete bucket: not empty, missing, empty', async () => {
		const s = await store();
		await s.createBucket(defaultAccount.id, 'to-delete', 'us-east-1');
		await s.putObject('to-delete', 'k', Buffer.from('x'));
		await expect(s.deleteBucket('to-delete')).rejects.toMatchObject({code: 'BucketNotEmpty', status: 409});
		await s.deleteObject('to-delete', 'k');
		await s.deleteBucket('to-delete');
		expect(s.getBucket('to-delete')).toBeUndefined();
		await expect(s.deleteBucket('to-delete')).rejects.toMatchObject({code: 'NoSuchBucket', status: 404});
	});
});

describe('objects', () => {
	test('put, head, read, overwrite, delete', async () => {
		const s = await store();
		await s.createBucket(defaultAccount.id, 'b-objects', 'us-east-1');
		const info = await s.putObject('b-objects', 'dir/a.txt', Buffer.from('hello'), {contentType: 'text/plain'});
		expect(info).toMatchObject({bucket: 'b-objects', key: 'dir/a.txt', size: 5, etag: md5('hello')});
		expect(await s.headObject('b-objects', 'dir/a.txt')).toMatchObject({contentType: 'text/plain', size: 5});
		expect((await s.readObject('b-objects', 'dir/a.txt'))?.toString()).toBe('hello');
		await s.putObject('b-objects', 'dir/a.txt', Buffer.from('bye'));
		expect((await s.readObject('b-objects', 'dir/a.txt'))?.toString()).toBe('bye');
		// One data file and one metadata file: the overwritten version is gone.
		expect(await readBucketFiles(dir, 'b-objects')).toHaveLength(2);
		await s.deleteObject('b-objects', 'dir/a.txt');
		expect(await s.headObject('b-objects', 'dir/a.txt')).toBeUndefined();
		expect(await s.readObject('b-objects', 'dir/a.txt')).toBeUndefined();
		expect(await readBucketFiles(dir, 'b-objects')).toEqual([]);
		await s.deleteObject('b-objects', 'never-there');
	});

	test('missing bucket errors', async () => {
		const s = await store();
		await expect(s.putObject('nope-bucket', 'k', Buffer.from(''))).rejects.toMatchObject({code: 'NoSuchBucket'});
		await expect(s.listObjects('nope-bucket', '')).rejects.toMatchObject({code: 'NoSuchBucket'});
		expect(await s.headObject('nope-bucket', 'k')).toBeUndefined();
	});

	test('list by prefix in UTF-8 binary order', async () => {
		const s = await store();
		await s.createBucket(defaultAccount.id, 'b-list', 'us-east-1');
		for (const key of ['p/b', 'p/a', 'q/c', 'p/Z', 'p/é']) {
			await s.putObject('b-list', key, Buffer.from(key));
		}

		expect((await s.listObjects('b-list', 'p/')).map((o) => o.key)).toEqual(['p/Z', 'p/a', 'p/b', 'p/é']);
		expect((await s.listObjects('b-list', '')).map((o) => o.key)).toHaveLength(5);
	});

	test('copy across buckets keeps the bytes and ETag and sets the acl', async () => {
		const s = await store();
		await s.createBucket(defaultAccount.id, 'b-src', 'us-east-1');
		await s.createBucket(defaultAccount.id, 'b-dst', 'ap-southeast-2');
		await s.putObject('b-src', 'part.0', Buffer.from('part bytes'));
		const copied = await s.copyObject(
			{bucket: 'b-src', key: 'part.0'},
			{bucket: 'b-dst', key: 'x/part.0', acl: 'aws-exec-read'},
		);
		expect(copied).toMatchObject({bucket: 'b-dst', key: 'x/part.0', etag: md5('part bytes'), acl: 'aws-exec-read'});
		expect((await s.readObject('b-dst', 'x/part.0'))?.toString()).toBe('part bytes');
		await expect(s.copyObject({bucket: 'b-src', key: 'missing'}, {bucket: 'b-dst', key: 'y'})).rejects.toMatchObject({
			code: 'NoSuchKey',
			status: 404,
		});
	});

	test('survives a restart and removes crash leftovers', async () => {
		const first = await store();
		await first.createBucket(defaultAccount.id, 'b-persist', 'us-west-2');
		await first.putObject('b-persist', 'k1', Buffer.from('one'), {acl: 'ec2-bundle-read'});
		await writeFile(path.join(dir, 's3', 'objects', 'b-persist', 'orphan.abc.data'), 'half');
		const second = await store();
		expect(second.getBucket('b-persist')).toMatchObject({region: 'us-west-2', ownerId: defaultAccount.id});
		expect(await second.headObject('b-persist', 'k1')).toMatchObject({
			size: 3,
			etag: md5('one'),
			acl: 'ec2-bundle-read',
		});
		expect((await second.readObject('b-persist', 'k1'))?.toString()).toBe('one');
		const files = await readdir(path.join(dir, 's3', 'objects', 'b-persist'));
		expect(files.some((f) => f.startsWith('orphan'))).toBe(false);
	});
});

describe('postObject (legacy POST policy)', () => {
	const bucket = 'b-post';
	const future = new Date(Date.now() + 3_600_000);

	function form(
		overrides: Partial<PostUploadForm> & {policyFor?: Parameters<typeof signUploadPolicy>[0]; secret?: string} = {},
	) {
		const policy = signUploadPolicy(
			overrides.policyFor ?? {bucket, prefix: 'winami', expiration: future},
			overrides.secret ?? defaultAccount.secretAccessKey,
		);
		const {policyFor: _p, secret: _s, ...rest} = overrides;
		return {
			bucket,
			key: 'winami.part.0',
			acl: 'ec2-bundle-read',
			policy: policy.base64,
			signature: policy.signature,
			awsAccessKeyId: defaultAccount.accessKeyId,
			body: Buffer.from('part'),
			...rest,
		};
	}

	async function postStore() {
		const s = await store();
		await s.createBucket(defaultAccount.id, bucket, 'us-east-1');
		return s;
	}

	test('a good upload is stored with its acl', async () => {
		const s = await postStore();
		const info = await s.postObject(form());
		expect(info).toMatchObject({key: 'winami.part.0', acl: 'ec2-bundle-read', etag: md5('part')});
		expect((await s.readObject(bucket, 'winami.part.0'))?.toString()).toBe('part');
	});

	const failures: Array<
		[
			string,
			() => Partial<PostUploadForm> & {policyFor?: Parameters<typeof signUploadPolicy>[0]; secret?: string},
			RegExp,
		]
	> = [
		['wrong signature', () => ({secret: otherAccount.secretAccessKey}), /signature does not match/],
		['tampered signature', () => ({signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='}), /signature does not match/],
		[
			'expired',
			() => ({policyFor: {bucket, prefix: 'winami', expiration: new Date(Date.now() - 1000)}}),
			/Policy expired/,
		],
		[
			'other bucket',
			() => ({policyFor: {bucket: 'another-bucket', prefix: 'winami', expiration: future}}),
			/\["eq", "\$bucket", "another-bucket"\]/,
		],
		['key outside prefix', () => ({key: 'elsewhere.part.0'}), /\["starts-with", "\$key", "winami"\]/],
		['wrong acl', () => ({acl: 'public-read'}), /\["eq", "\$acl", "ec2-bundle-read"\]/],
		['no policy', () => ({policy: undefined}), /no policy field/],
	];

	for (const [name, overrides, message] of failures) {
		test(`${name} -> 403 AccessDenied, nothing stored`, async () => {
			const s = await postStore();
			const error = await s.postObject(form(overrides())).catch((error_: unknown) => error_);
			expect(error).toMatchObject({code: 'AccessDenied', status: 403});
			expect((error as Error).message).toMatch(message);
			expect(await s.listObjects(bucket, '')).toEqual([]);
			expect(await readBucketFiles(dir, bucket)).toEqual([]);
		});
	}

	test('unknown access key -> 403 InvalidAccessKeyId', async () => {
		const s = await postStore();
		await expect(s.postObject(form({awsAccessKeyId: 'AKIAUNKNOWN000000000'}))).rejects.toMatchObject({
			code: 'InvalidAccessKeyId',
			status: 403,
		});
	});

	test("a valid policy of the other account cannot write into the default account's bucket", async () => {
		const s = await postStore();
		await expect(
			s.postObject(form({secret: otherAccount.secretAccessKey, awsAccessKeyId: otherAccount.accessKeyId})),
		).rejects.toMatchObject({code: 'AccessDenied', status: 403});
		expect(await s.listObjects(bucket, '')).toEqual([]);
	});

	test('missing bucket -> NoSuchBucket', async () => {
		const s = await store();
		await expect(s.postObject(form())).rejects.toMatchObject({code: 'NoSuchBucket', status: 404});
	});
});
