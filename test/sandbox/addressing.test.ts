import {Agent, type AgentOptions} from 'node:http';
import {
	CreateBucketCommand,
	GetObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	S3Client,
} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {resolveS3Address, virtualHostBucket} from '../../source/sandbox/s3/addressing.js';
import {startTestSandbox} from '../helpers/sandbox.js';

let sandbox: Sandbox;
const bucket = 'address-bucket';

/** *.localhost resolves to 127.0.0.1 (what systemd-resolved and browsers do; plain glibc does not). */
const localhostLookup: AgentOptions['lookup'] = (_hostname, options, callback) => {
	if ((options as {all?: boolean}).all) {
		(callback as (error: null, addresses: Array<{address: string; family: number}>) => void)(null, [
			{address: '127.0.0.1', family: 4},
		]);
	} else {
		callback(null, '127.0.0.1', 4);
	}
};

function observedClient(endpoint: string, forcePathStyle: boolean | undefined, seen: string[]): S3Client {
	const client = new S3Client({
		region: 'us-east-1',
		endpoint,
		credentials: sandbox.credentials,
		...(forcePathStyle === undefined ? {} : {forcePathStyle}),
		requestHandler: {httpAgent: new Agent({lookup: localhostLookup})},
	});
	client.middlewareStack.add(
		(next) => async (args) => {
			const request = args.request as {hostname: string; path: string};
			seen.push(`${request.hostname} ${request.path}`);
			return next(args);
		},
		{step: 'finalizeRequest', priority: 'low', name: 'observeAddress'},
	);
	return client;
}

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

describe('S3 addressing styles', () => {
	test('an http://127.0.0.1:PORT endpoint: the SDK uses path style by default', async () => {
		const seen: string[] = [];
		const client = observedClient(sandbox.endpoint, undefined, seen);
		await client.send(new CreateBucketCommand({Bucket: bucket}));
		await client.send(new PutObjectCommand({Bucket: bucket, Key: 'dir/a b.txt', Body: 'path style'}));
		expect(seen).toEqual(['127.0.0.1 /address-bucket/', '127.0.0.1 /address-bucket/dir/a%20b.txt']);
		client.destroy();
	});

	test('an http://localhost:PORT endpoint: the SDK uses virtual-host style (bucket.localhost) and it works', async () => {
		const seen: string[] = [];
		const client = observedClient(sandbox.endpoint.replace('127.0.0.1', 'localhost'), undefined, seen);
		await client.send(new PutObjectCommand({Bucket: bucket, Key: 'virtual/key.txt', Body: 'virtual style'}));
		const got = await client.send(new GetObjectCommand({Bucket: bucket, Key: 'dir/a b.txt'}));
		expect(await got.Body?.transformToString()).toBe('path style');
		const list = await client.send(new ListObjectsV2Command({Bucket: bucket, Prefix: 'virtual/'}));
		expect(list.Contents?.map((c) => c.Key)).toEqual(['virtual/key.txt']);
		expect(seen[0]).toBe(`${bucket}.localhost /virtual/key.txt`);
		client.destroy();
	});

	test('forcePathStyle with a localhost endpoint addresses /bucket/key', async () => {
		const seen: string[] = [];
		const client = observedClient(sandbox.endpoint.replace('127.0.0.1', 'localhost'), true, seen);
		const got = await client.send(new GetObjectCommand({Bucket: bucket, Key: 'virtual/key.txt'}));
		expect(await got.Body?.transformToString()).toBe('virtual style');
		expect(seen[0]).toBe('localhost /address-bucket/virtual/key.txt');
		client.destroy();
	});
});

describe('resolveS3Address', () => {
	test('virtual-host names', () => {
		expect(virtualHostBucket('my.bucket.localhost:4566')).toBe('my.bucket');
		expect(virtualHostBucket('b1.s3.localhost')).toBe('b1');
		expect(virtualHostBucket('b2.127.0.0.1:80')).toBe('b2');
		expect(virtualHostBucket('localhost:4566')).toBeUndefined();
		expect(virtualHostBucket('127.0.0.1:4566')).toBeUndefined();
		expect(virtualHostBucket('s3.localhost')).toBeUndefined();
	});

	test('paths', () => {
		expect(resolveS3Address('127.0.0.1:1', '/')).toEqual({bucket: undefined, key: undefined, style: 'path'});
		expect(resolveS3Address('127.0.0.1:1', '/b')).toEqual({bucket: 'b', key: undefined, style: 'path'});
		expect(resolveS3Address('127.0.0.1:1', '/b/')).toEqual({bucket: 'b', key: undefined, style: 'path'});
		expect(resolveS3Address('127.0.0.1:1', '/b/x%2Fy/z%20w')).toEqual({bucket: 'b', key: 'x/y/z w', style: 'path'});
		expect(resolveS3Address('b.localhost:1', '/k%2B1')).toEqual({bucket: 'b', key: 'k+1', style: 'virtual'});
		expect(() => resolveS3Address('127.0.0.1:1', '/b/%E0%A4%A')).toThrow(/parse the specified URI/);
	});
});
