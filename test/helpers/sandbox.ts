/**
 * Test fixture: an in-process sandbox on a free port with a fresh data directory (removed on close), at full speed,
 * with a small image (24 MiB: two or more 10 MiB parts after gzip + AES), and real SDK clients pointed at it.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {EC2Client} from '@aws-sdk/client-ec2';
import {S3Client, type S3ClientConfig} from '@aws-sdk/client-s3';
import {STSClient} from '@aws-sdk/client-sts';
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

function clientConfig(sandbox: Sandbox, region: string, options: ClientOptions) {
	return {
		region,
		endpoint: sandbox.endpoint,
		credentials: options.credentials ?? sandbox.credentials,
		...(options.maxAttempts === undefined ? {} : {maxAttempts: options.maxAttempts}),
	};
}

/** An EC2 client with the sandbox's endpoint and credentials and default settings otherwise. */
export function ec2Client(sandbox: Sandbox, region = 'us-east-1', options: ClientOptions = {}): EC2Client {
	return new EC2Client(clientConfig(sandbox, region, options));
}

/** An S3 client with the sandbox's endpoint and credentials and default settings otherwise. */
export function s3Client(
	sandbox: Sandbox,
	region = 'us-east-1',
	options: ClientOptions & Pick<S3ClientConfig, 'forcePathStyle' | 'endpoint'> = {},
): S3Client {
	const {forcePathStyle, endpoint, ...rest} = options;
	return new S3Client({
		...clientConfig(sandbox, region, rest),
		...(endpoint === undefined ? {} : {endpoint}),
		...(forcePathStyle === undefined ? {} : {forcePathStyle}),
	});
}

export function stsClient(sandbox: Sandbox, region = 'us-east-1', options: ClientOptions = {}): STSClient {
	return new STSClient(clientConfig(sandbox, region, options));
}
