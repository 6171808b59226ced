/** Test-side helpers for the aws/ tests: a plain SDK S3 client on the sandbox and synthetic bundles. */
import {createHash} from 'node:crypto';
import {PutObjectCommand, type S3Client} from '@aws-sdk/client-s3';
import {createClientFactory} from '../../source/aws/clients.js';
import type {AwsContext} from '../../source/aws/context.js';
import {buildManifest, partFileName} from '../../source/core/manifest.js';
import type {Services} from '../../source/core/services.js';
import type {BundleTask, Instance} from '../../source/core/types.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {s3Client} from '../helpers/sandbox.js';
import {waitFor} from '../helpers/wait-for.js';

/** A real S3 client on the sandbox (for arranging test data the Services API does not write itself). */
export function sandboxS3(sandbox: Sandbox, region = 'us-east-1'): S3Client {
	return s3Client(sandbox, region, {followRegionRedirects: true});
}

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex');

/**
 * Writes a small but complete bundle (parts + manifest with real digests) under `prefix` in `bucket`,
 * so migration can be exercised with many parts without bundling a large disk image.
 */
export async function putSyntheticBundle(
	s3: S3Client,
	input: {bucket: string; prefix: string; parts: number; partSize?: number; accountId: string},
): Promise<{manifestLocation: string; keys: string[]}> {
	const partSize = input.partSize ?? 4096;
	const parts = Array.from({length: input.parts}, (_, index) => {
		const body = Buffer.alloc(partSize);
		for (let offset = 0; offset < partSize; offset++) {
			body[offset] = (index * 31 + offset * 7) % 251;
		}

		return {filename: partFileName(input.prefix.split('/').at(-1)!, index, input.parts), body};
	});
	const folder = input.prefix.includes('/') ? input.prefix.slice(0, input.prefix.lastIndexOf('/') + 1) : '';
	const keys = parts.map((part) => `${folder}${part.filename}`);
	await Promise.all(
		parts.map(async (part, index) =>
			s3.send(new PutObjectCommand({Bucket: input.bucket, Key: keys[index], Body: part.body})),
		),
	);
	const manifest = buildManifest({
		name: input.prefix,
		user: input.accountId,
		architecture: 'x86_64',
		digest: sha1(Buffer.concat(parts.map((part) => part.body))),
		size: partSize * input.parts * 2,
		bundledSize: partSize * input.parts,
		ec2EncryptedKey: 'aa'.repeat(128),
		userEncryptedKey: 'bb'.repeat(128),
		ec2EncryptedIv: 'cc'.repeat(128),
		userEncryptedIv: 'dd'.repeat(128),
		parts: parts.map((part) => ({filename: part.filename, digest: sha1(part.body)})),
	});
	const manifestKey = `${input.prefix}.manifest.xml`;
	await s3.send(new PutObjectCommand({Bucket: input.bucket, Key: manifestKey, Body: manifest}));
	return {manifestLocation: `${input.bucket}/${manifestKey}`, keys: [...keys, manifestKey]};
}

export async function findInstance(services: Services, region: string, name: string): Promise<Instance> {
	const instance = (await services.listInstances(region)).find((candidate) => candidate.name === name);
	if (!instance) {
		throw new Error(`no seeded instance named ${name} in ${region}`);
	}

	return instance;
}

/** Polls DescribeBundleTasks until the task satisfies `done` (complete or failed by default). */
export async function waitForTask(
	services: Services,
	region: string,
	bundleId: string,
	done: (task: BundleTask) => boolean = (task) => task.state === 'complete' || task.state === 'failed',
): Promise<BundleTask> {
	let last: BundleTask | undefined;
	return waitFor(
		async () => {
			[last] = await services.describeBundleTasks(region, [bundleId]);
			return last && done(last) ? last : undefined;
		},
		{timeout: 30_000, interval: 50, message: () => `last seen: ${JSON.stringify(last)}`},
	);
}

/** An aws/ operation context on the sandbox, for calling operation modules with options Services does not expose. */
export function sandboxContext(sandbox: Sandbox, region = 'us-east-1'): AwsContext {
	return {
		mode: 'sandbox',
		clients: createClientFactory({credentials: sandbox.credentials, endpointUrl: sandbox.endpoint, env: {}, region}),
		defaultRegion: region,
		secrets: new Set([sandbox.credentials.secretAccessKey]),
		bucketRegions: new Map(),
	};
}
