import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {
	CopyObjectCommand,
	CreateBucketCommand,
	DeleteBucketCommand,
	DeleteObjectCommand,
	DeleteObjectsCommand,
	GetBucketLocationCommand,
	GetObjectCommand,
	HeadBucketCommand,
	HeadObjectCommand,
	ListBucketsCommand,
	ListObjectsCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	type S3Client,
	S3ServiceException,
} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {otherAccount, seededForeignBuckets} from '../../source/sandbox/accounts.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {s3Client, startTestSandbox} from '../helpers/sandbox.js';

let sandbox: Sandbox;
let s3: S3Client;
let s3West: S3Client;
const foreignBucket = seededForeignBuckets[0]!.name;

beforeAll(async () => {
	sandbox = await startTestSandbox();
	s3 = s3Client(sandbox, 'us-east-1');
	s3West = s3Client(sandbox, 'us-west-2');
});

afterAll(async () => {
	s3.destroy();
	s3West.destroy();
	await sandbox.close();
});

const md5 = (data: string | Buffer) => `"${createHash('md5').update(data).digest('hex')}"`;

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
	const error = await promise.then(
		() => undefined,
		(error_: unknown) => error_,
	);
	expect(error, 'the request should have failed').toBeInstanceOf(S3ServiceException);
	return error as S3ServiceException;
}

async function createBucket(client: S3Client, name: string, region?: string) {
	await client.send(
		new CreateBucketCommand({
			Bucket: name,
			...(region ? {CreateBucketConfiguration: {LocationConstraint: region as 'us-west-2'}} : {}),
		}),
	);
}

describe('buckets', () => {
	test('CreateBucket in us-east-1 and with a LocationConstraint; ListBuckets shows both with regions', async () => {
		await createBucket(s3, 'rest-east');
		await createBucket(s3West, 'rest-west', 'us-west-2');
		const list = await s3.send(new ListBucketsCommand({}));
		const mine = list.Buckets?.filter((b) => b.Name?.startsWith('rest-')).map((b) => [b.Name, b.BucketRegion]);
		expect(mine).toEqual([
			['rest-east', 'us-east-1'],
			['rest-west', 'us-west-2'],
		]);
		expect(list.Buckets?.some((b) => b.Name === foreignBucket)).toBe(false);
		expect(list.Owner?.DisplayName).toBe('sandbox');
	});

	test('CreateBucket errors: owned, other account, invalid name, incompatible location', async () => {
		await createBucket(s3, 'rest-dup');
		// us-east-1 keeps its legacy answer: re-creating your own bucket there succeeds (200).
		await createBucket(s3, 'rest-dup');
		await createBucket(s3West, 'rest-dup-west', 'us-west-2');
		const owned = await failure(createBucket(s3West, 'rest-dup-west', 'us-west-2'));
		expect([owned.name, owned.$metadata.httpStatusCode]).toEqual(['BucketAlreadyOwnedByYou', 409]);
		const taken = await failure(createBucket(s3, foreignBucket));
		expect([taken.name, taken.$metadata.httpStatusCode]).toEqual(['BucketAlreadyExists', 409]);
		const invalid = await failure(createBucket(s3, 'Bad_Name'));
		expect([invalid.name, invalid.$metadata.httpStatusCode]).toEqual(['InvalidBucketName', 400]);
		const mismatch = await failure(createBucket(s3West, 'rest-mismatch', 'eu-west-1'));
		expect(mismatch.name).toBe('IllegalLocationConstraintException');
		const unknown = await failure(createBucket(s3, 'rest-unknown-region', 'sa-east-1'));
		expect(unknown.name).toBe('InvalidLocationConstraint');
	});

	test('CreateBucket: the LocationConstraint must be the signing region, us-east-1 included (as S3 answers)', async () => {
		const fromEast = await failure(createBucket(s3, 'rest-east-to-eu', 'eu-west-1'));
		expect([fromEast.name, fromEast.$metadata.httpStatusCode]).toEqual(['IllegalLocationConstraintException', 400]);
		expect(fromEast.message).toContain(
			'The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to',
		);
		expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((bucket) => bucket.Name)).not.toContain(
			'rest-east-to-eu',
		);
		// A client for the bucket's region creates it there
		const s3Eu = s3Client(sandbox, 'eu-west-1');
		await createBucket(s3Eu, 'rest-east-to-eu', 'eu-west-1');
		s3Eu.destroy();
		expect((await s3.send(new GetBucketLocationCommand({Bucket: 'rest-east-to-eu'}))).LocationConstraint).toBe(
			'eu-west-1',
		);
	});

	test('a request signed for another region than the bucket is in: 301 PermanentRedirect naming the region, nothing done', async () => {
		await createBucket(s3, 'rest-redirect');
		const put = await failure(s3West.send(new PutObjectCommand({Bucket: 'rest-redirect', Key: 'k', Body: 'x'})));
		expect([put.name, put.$metadata.httpStatusCode]).toEqual(['PermanentRedirect', 301]);
		const list = await failure(s3West.send(new ListObjectsV2Command({Bucket: 'rest-redirect'})));
		expect([list.name, list.$metadata.httpStatusCode]).toEqual(['PermanentRedirect', 301]);
		expect(list.$response?.headers['x-amz-bucket-region']).toBe('us-east-1');
		expect((await s3.send(new ListObjectsV2Command({Bucket: 'rest-redirect'}))).KeyCount).toBe(0);
	});

	test('PutObject with a malformed Content-MD5: InvalidDigest, nothing stored', async () => {
		await createBucket(s3, 'rest-md5');
		const bad = await failure(
			s3.send(new PutObjectCommand({Bucket: 'rest-md5', Key: 'k', Body: 'abc', ContentMD5: 'not-base64-md5'})),
		);
		expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(['InvalidDigest', 400]);
		const listed = await s3.send(new ListObjectsV2Command({Bucket: 'rest-md5'}));
		expect(listed.KeyCount).toBe(0);
	});

	test('HeadBucket: region header, 404 missing, 403 for the other account, 301 from the wrong region', async () => {
		await createBucket(s3, 'rest-head');
		const ok = await s3.send(new HeadBucketCommand({Bucket: 'rest-head'}));
		expect(ok.BucketRegion).toBe('us-east-1');
		const missing = await failure(s3.send(new HeadBucketCommand({Bucket: 'rest-nothing-here'})));
		expect(missing.$metadata.httpStatusCode).toBe(404);
		const foreign = await failure(s3.send(new HeadBucketCommand({Bucket: foreignBucket})));
		expect(foreign.$metadata.httpStatusCode).toBe(403);
		const moved = await failure(s3West.send(new HeadBucketCommand({Bucket: 'rest-head'})));
		expect(moved.$metadata.httpStatusCode).toBe(301);
		expect(moved.$response?.headers?.['x-amz-bucket-region']).toBe('us-east-1');
	});

	test('GetBucketLocation: empty for us-east-1, the region otherwise, from any region', async () => {
		await createBucket(s3, 'rest-loc-east');
		const s3Sydney = s3Client(sandbox, 'ap-southeast-2');
		await createBucket(s3Sydney, 'rest-loc-sydney', 'ap-southeast-2');
		s3Sydney.destroy();
		expect(
			(await s3West.send(new GetBucketLocationCommand({Bucket: 'rest-loc-east'}))).LocationConstraint,
		).toBeUndefined();
		expect((await s3.send(new GetBucketLocationCommand({Bucket: 'rest-loc-sydney'}))).LocationConstraint).toBe(
			'ap-southeast-2',
		);
		const foreign = await failure(s3.send(new GetBucketLocationCommand({Bucket: foreignBucket})));
		expect(foreign.name).toBe('AccessDenied');
	});

	test('DeleteBucket: BucketNotEmpty, then gone, then NoSuchBucket', async () => {
		await createBucket(s3, 'rest-del');
		await s3.send(new PutObjectCommand({Bucket: 'rest-del', Key: 'x', Body: 'x'}));
		const notEmpty = await failure(s3.send(new DeleteBucketCommand({Bucket: 'rest-del'})));
		expect([notEmpty.name, notEmpty.$metadata.httpStatusCode]).toEqual(['BucketNotEmpty', 409]);
		await s3.send(new DeleteObjectCommand({Bucket: 'rest-del', Key: 'x'}));
		await s3.send(new DeleteBucketCommand({Bucket: 'rest-del'}));
		const gone = await failure(s3.send(new DeleteBucketCommand({Bucket: 'rest-del'})));
		expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
	});
});

describe('objects', () => {
	beforeAll(async () => {
		await createBucket(s3, 'rest-objects');
	});

	test('PutObject (Buffer) then GetObject and HeadObject: bytes, ETag MD5, Content-Length, Last-Modified, metadata', async () => {
		const body = Buffer.from('hello sandbox');
		const put = await s3.send(
			new PutObjectCommand({
				Bucket: 'rest-objects',
				Key: 'dir/hello world.txt',
				Body: body,
				ContentType: 'text/plain',
				Metadata: {origin: 'test'},
			}),
		);
		expect(put.ETag).toBe(md5(body));
		const got = await s3.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'dir/hello world.txt'}));
		expect(await got.Body?.transformToString()).toBe('hello sandbox');
		expect(got.ETag).toBe(md5(body));
		expect(got.ContentLength).toBe(body.length);
		expect(got.ContentType).toBe('text/plain');
		expect(got.Metadata).toEqual({origin: 'test'});
		expect(got.LastModified).toBeInstanceOf(Date);
		const head = await s3.send(new HeadObjectCommand({Bucket: 'rest-objects', Key: 'dir/hello world.txt'}));
		expect([head.ContentLength, head.ETag]).toEqual([body.length, md5(body)]);
	});

	test('PutObject of a file stream (aws-chunked with a CRC32 trailer, default client settings)', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-s3-stream-'));
		try {
			const file = path.join(dir, 'big.bin');
			const data = Buffer.alloc(3 * 1024 * 1024 + 17);
			for (let i = 0; i < data.length; i++) {
				data[i] = (i * 31 + (i >> 10)) & 0xff;
			}

			await writeFile(file, data);
			const put = await s3.send(
				new PutObjectCommand({Bucket: 'rest-objects', Key: 'stream.bin', Body: createReadStream(file)}),
			);
			expect(put.ETag).toBe(md5(data));
			const got = await s3.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'stream.bin'}));
			expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(data)).toBe(true);
			const chunked = sandbox.requestLog().filter((entry) => entry.action === 'PutObject' && entry.status === 200);
			expect(chunked.length).toBeGreaterThan(0);
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});

	test('Range requests: 206 with Content-Range; suffix and open ranges; 416 beyond the end', async () => {
		await s3.send(new PutObjectCommand({Bucket: 'rest-objects', Key: 'range.txt', Body: '0123456789'}));
		const middle = await s3.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'range.txt', Range: 'bytes=2-5'}));
		expect(middle.$metadata.httpStatusCode).toBe(206);
		expect(middle.ContentRange).toBe('bytes 2-5/10');
		expect(await middle.Body?.transformToString()).toBe('2345');
		const suffix = await s3.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'range.txt', Range: 'bytes=-3'}));
		expect(await suffix.Body?.transformToString()).toBe('789');
		const open = await s3.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'range.txt', Range: 'bytes=7-'}));
		expect(await open.Body?.transformToString()).toBe('789');
		const beyond = await failure(
			s3.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'range.txt', Range: 'bytes=10-20'})),
		);
		expect([beyond.name, beyond.$metadata.httpStatusCode]).toEqual(['InvalidRange', 416]);
	});

	test('conditional GET: If-None-Match -> 304, If-Match mismatch -> 412', async () => {
		const put = await s3.send(new PutObjectCommand({Bucket: 'rest-objects', Key: 'cond.txt', Body: 'c'}));
		const notModified = await failure(
			s3.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'cond.txt', IfNoneMatch: put.ETag})),
		);
		expect(notModified.$metadata.httpStatusCode).toBe(304);
		const precondition = await failure(
			s3.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'cond.txt', IfMatch: '"0000"'})),
		);
		expect([precondition.name, precondition.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
	});

	test('errors: NoSuchKey (GET 404, HEAD 404), NoSuchBucket, AccessDenied on the other account’s bucket', async () => {
		const noKey = await failure(s3.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'absent'})));
		expect([noKey.name, noKey.$metadata.httpStatusCode]).toEqual(['NoSuchKey', 404]);
		const noKeyHead = await failure(s3.send(new HeadObjectCommand({Bucket: 'rest-objects', Key: 'absent'})));
		expect(noKeyHead.$metadata.httpStatusCode).toBe(404);
		const noBucket = await failure(s3.send(new PutObjectCommand({Bucket: 'rest-absent-bucket', Key: 'k', Body: 'x'})));
		expect([noBucket.name, noBucket.$metadata.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
		const denied = await failure(s3.send(new PutObjectCommand({Bucket: foreignBucket, Key: 'k', Body: 'x'})));
		expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
		const wrongRegion = await failure(s3West.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'range.txt'})));
		expect([wrongRegion.name, wrongRegion.$metadata.httpStatusCode]).toEqual(['PermanentRedirect', 301]);
	});

	test('a client in another region with followRegionRedirects follows the 301 (x-amz-bucket-region) and succeeds', async () => {
		const redirecting = s3Client(sandbox, 'ap-southeast-2', {followRegionRedirects: true});
		try {
			const got = await redirecting.send(new GetObjectCommand({Bucket: 'rest-objects', Key: 'range.txt'}));
			expect(await got.Body?.transformToString()).toBe('0123456789');
			const head = await redirecting.send(new HeadBucketCommand({Bucket: 'rest-objects'}));
			expect(head.BucketRegion).toBe('us-east-1');
		} finally {
			redirecting.destroy();
		}
	});

	test('a refused upload with a large body answers (KeyTooLongError) and the client keeps working', async () => {
		const tooLong = await failure(
			s3.send(
				new PutObjectCommand({Bucket: 'rest-objects', Key: 'k'.repeat(1025), Body: Buffer.alloc(3 * 1024 * 1024, 1)}),
			),
		);
		expect([tooLong.name, tooLong.$metadata.httpStatusCode]).toEqual(['KeyTooLongError', 400]);
		const after = await s3.send(new PutObjectCommand({Bucket: 'rest-objects', Key: 'after-refusal', Body: 'ok'}));
		expect(after.ETag).toBe(md5('ok'));
	});

	test('DeleteObject removes; deleting a missing key succeeds; DeleteObjects removes several', async () => {
		await s3.send(new PutObjectCommand({Bucket: 'rest-objects', Key: 'del/1', Body: '1'}));
		await s3.send(new PutObjectCommand({Bucket: 'rest-objects', Key: 'del/2', Body: '2'}));
		await s3.send(new PutObjectCommand({Bucket: 'rest-objects', Key: 'del/3', Body: '3'}));
		await s3.send(new DeleteObjectCommand({Bucket: 'rest-objects', Key: 'del/1'}));
		await s3.send(new DeleteObjectCommand({Bucket: 'rest-objects', Key: 'del/never'}));
		const result = await s3.send(
			new DeleteObjectsCommand({Bucket: 'rest-objects', Delete: {Objects: [{Key: 'del/2'}, {Key: 'del/3'}]}}),
		);
		expect(result.Deleted?.map((d) => d.Key)).toEqual(['del/2', 'del/3']);
		const left = await s3.send(new ListObjectsV2Command({Bucket: 'rest-objects', Prefix: 'del/'}));
		expect(left.KeyCount).toBe(0);
	});

	test('CopyObject across buckets and regions keeps bytes and ETag and applies the acl', async () => {
		await createBucket(s3, 'rest-copy-src');
		await createBucket(s3West, 'rest-copy-dst', 'us-west-2');
		await s3.send(new PutObjectCommand({Bucket: 'rest-copy-src', Key: 'a/b c+d.part.0', Body: 'copy me'}));
		const copied = await s3West.send(
			new CopyObjectCommand({
				Bucket: 'rest-copy-dst',
				Key: 'moved/b c+d.part.0',
				CopySource: `rest-copy-src/${encodeURIComponent('a/b c+d.part.0')}`,
				ACL: 'aws-exec-read',
			}),
		);
		expect(copied.CopyObjectResult?.ETag).toBe(md5('copy me'));
		const got = await s3West.send(new GetObjectCommand({Bucket: 'rest-copy-dst', Key: 'moved/b c+d.part.0'}));
		expect(await got.Body?.transformToString()).toBe('copy me');
		const missing = await failure(
			s3West.send(new CopyObjectCommand({Bucket: 'rest-copy-dst', Key: 'x', CopySource: 'rest-copy-src/absent'})),
		);
		expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['NoSuchKey', 404]);
		const self = await failure(
			s3.send(
				new CopyObjectCommand({
					Bucket: 'rest-copy-src',
					Key: 'a/b c+d.part.0',
					CopySource: 'rest-copy-src/a/b c+d.part.0',
				}),
			),
		);
		expect(self.name).toBe('InvalidRequest');
	});
});

describe('ListObjectsV2', () => {
	beforeAll(async () => {
		await createBucket(s3, 'rest-list');
		for (const key of ['a.txt', 'dir1/x', 'dir1/y', 'dir2/z', 'dir2/sub/w', 'e.txt', 'f&<>.txt']) {
			await s3.send(new PutObjectCommand({Bucket: 'rest-list', Key: key, Body: key}));
		}
	});

	test('prefix and delimiter give CommonPrefixes', async () => {
		const top = await s3.send(new ListObjectsV2Command({Bucket: 'rest-list', Delimiter: '/'}));
		expect(top.Contents?.map((c) => c.Key)).toEqual(['a.txt', 'e.txt', 'f&<>.txt']);
		expect(top.CommonPrefixes?.map((c) => c.Prefix)).toEqual(['dir1/', 'dir2/']);
		expect(top.KeyCount).toBe(5);
		const dir2 = await s3.send(new ListObjectsV2Command({Bucket: 'rest-list', Prefix: 'dir2/', Delimiter: '/'}));
		expect(dir2.Contents?.map((c) => c.Key)).toEqual(['dir2/z']);
		expect(dir2.CommonPrefixes?.map((c) => c.Prefix)).toEqual(['dir2/sub/']);
		const all = await s3.send(new ListObjectsV2Command({Bucket: 'rest-list', Prefix: 'dir'}));
		expect(all.Contents?.map((c) => [c.Key, c.Size, c.ETag])).toEqual([
			['dir1/x', 6, md5('dir1/x')],
			['dir1/y', 6, md5('dir1/y')],
			['dir2/sub/w', 10, md5('dir2/sub/w')],
			['dir2/z', 6, md5('dir2/z')],
		]);
	});

	test('max-keys and continuation tokens page through everything exactly once, also with a delimiter', async () => {
		for (const delimiter of [undefined, '/']) {
			const seen: string[] = [];
			let token: string | undefined;
			let pages = 0;
			do {
				const page = await s3.send(
					new ListObjectsV2Command({Bucket: 'rest-list', MaxKeys: 2, ContinuationToken: token, Delimiter: delimiter}),
				);
				pages++;
				// Keys and common prefixes are separate lists in a page; together they are in key order.
				seen.push(
					...[...(page.Contents ?? []).map((c) => c.Key!), ...(page.CommonPrefixes ?? []).map((c) => c.Prefix!)].sort(),
				);
				expect(page.KeyCount).toBeLessThanOrEqual(2);
				token = page.IsTruncated ? page.NextContinuationToken : undefined;
			} while (token);
			const expected =
				delimiter === undefined
					? ['a.txt', 'dir1/x', 'dir1/y', 'dir2/sub/w', 'dir2/z', 'e.txt', 'f&<>.txt']
					: ['a.txt', 'dir1/', 'dir2/', 'e.txt', 'f&<>.txt'];
			expect(seen).toEqual(expected);
			expect(pages).toBe(Math.ceil(expected.length / 2));
		}
	});

	test('StartAfter, bad continuation token, missing bucket; ListObjects v1 still works', async () => {
		const after = await s3.send(new ListObjectsV2Command({Bucket: 'rest-list', StartAfter: 'dir2/z'}));
		expect(after.Contents?.map((c) => c.Key)).toEqual(['e.txt', 'f&<>.txt']);
		const bad = await failure(s3.send(new ListObjectsV2Command({Bucket: 'rest-list', ContinuationToken: 'nonsense'})));
		expect(bad.name).toBe('InvalidArgument');
		const missing = await failure(s3.send(new ListObjectsV2Command({Bucket: 'rest-no-such-list'})));
		expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
		const v1 = await s3.send(new ListObjectsCommand({Bucket: 'rest-list', Prefix: 'dir1/'}));
		expect(v1.Contents?.map((c) => c.Key)).toEqual(['dir1/x', 'dir1/y']);
	});
});

describe('the other account', () => {
	test('sees its own seeded bucket, and cannot read the default account’s bucket', async () => {
		const other = s3Client(sandbox, 'us-east-1', {
			credentials: {accessKeyId: otherAccount.accessKeyId, secretAccessKey: otherAccount.secretAccessKey},
		});
		try {
			const list = await other.send(new ListBucketsCommand({}));
			expect(list.Buckets?.map((b) => b.Name)).toEqual([foreignBucket]);
			await createBucket(s3, 'rest-private');
			const denied = await failure(other.send(new ListObjectsV2Command({Bucket: 'rest-private'})));
			expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
		} finally {
			other.destroy();
		}
	});
});
