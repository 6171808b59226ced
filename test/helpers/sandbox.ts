/**
 * Test fixture: an in-process sandbox on a free port with a fresh data directory (removed on close), at full speed,
 * with a small image (24 MiB: two or more 10 MiB parts after gzip + AES), and real SDK clients pointed at it.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {EC2Client} from '@aws-sdk/client-ec2';
import {CreateBucketCommand, S3Client, type S3ClientConfig} from '@aws-sdk/client-s3';
import {STSClient} from '@aws-sdk/client-sts';
import {afterAll} from 'vitest';
import type {Sandbox, SandboxOptions} from '../../source/sandbox/contracts.js';
import {startSandbox} from '../../source/sandbox/index.js';

export const testPace = {bytesPerSecond: undefined, imageSize: 24 * 1024 * 1024, stepDelayMs: 10};

/** Starts a sandbox for a test. Without options.dir a fresh temporary directory is used and removed on close. */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const ownDir = options.dir === undefined ? await mkdtemp(path.join(tmpdir(), 'bundledeck-test-sandbox-')) : undefined;
	const sandbox = await startSandbox(
		{
			...options,
			dir: options.dir ?? ownDir,
			port: options.port ?? 0,
			pace: {...testPace, ...options.pace},
			faults: {throttleRate: 0, serverErrorRate: 0, latencyMs: 0, ...options.faults},
		},
		{},
	);
	const close = sandbox.close.bind(sandbox);
	return {
		...sandbox,
		async close() {
			await close();
			if (ownDir) {
				await rm(ownDir, {recursive: true, force: true});
			}
		},
	};
}

type ClientOptions = {credentials?: {accessKeyId: string; secretAccessKey: string}; maxAttempts?: number};
/** Where a client goes: a sandbox, or any endpoint with its keys (a sandbox started as a separate process). */
type ClientTarget = Pick<Sandbox, 'endpoint' | 'credentials'>;

function clientConfig(sandbox: ClientTarget, region: string, options: ClientOptions) {
	return {
		region,
		endpoint: sandbox.endpoint,
		credentials: options.credentials ?? sandbox.credentials,
		...(options.maxAttempts === undefined ? {} : {maxAttempts: options.maxAttempts}),
	};
}

/** An EC2 client with the sandbox's endpoint and credentials and default settings otherwise. */
export function ec2Client(sandbox: ClientTarget, region = 'us-east-1', options: ClientOptions = {}): EC2Client {
	return new EC2Client(clientConfig(sandbox, region, options));
}

/** An S3 client with the sandbox's endpoint and credentials and default settings otherwise. */
export function s3Client(
	sandbox: ClientTarget,
	region = 'us-east-1',
	options: ClientOptions & Pick<S3ClientConfig, 'forcePathStyle' | 'endpoint' | 'followRegionRedirects'> = {},
): S3Client {
	const {forcePathStyle, endpoint, followRegionRedirects, ...rest} = options;
	return new S3Client({
		...clientConfig(sandbox, region, rest),
		...(endpoint === undefined ? {} : {endpoint}),
		...(forcePathStyle === undefined ? {} : {forcePathStyle}),
		...(followRegionRedirects === undefined ? {} : {followRegionRedirects}),
	});
}

export function stsClient(sandbox: ClientTarget, region = 'us-east-1', options: ClientOptions = {}): STSClient {
	return new STSClient(clientConfig(sandbox, region, options));
}

/**
 * A test file's sandbox with an S3 client and one bucket in us-east-1, closed after the file's tests. Await it at the
 * top level of the file: it registers the afterAll hook that closes both.
 */
export async function sandboxWithBucket(bucket: string): Promise<{sandbox: Sandbox; s3: S3Client}> {
	const sandbox = await startTestSandbox();
	const s3 = s3Client(sandbox);
	afterAll(async () => {
		s3.destroy();
		await sandbox.close();
	});
	await s3.send(new CreateBucketCommand({Bucket: bucket}));
	return {sandbox, s3};
}
