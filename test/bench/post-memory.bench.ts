/**
 * Memory of S3 POST Object under hostile and honest large uploads, against an in-process sandbox: a 512 MiB
 * unauthenticated POST (refused from its fields) and a 512 MiB SigV4 POST (streamed to disk). Prints the peak RSS
 * growth of each (sampled every 10 ms) and how many file bytes the refused client got to send. `npm run bench`.
 */
import {CreateBucketCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, bench, describe} from 'vitest';
import {defaultAccount} from '../../source/sandbox/accounts.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {s3Client, startTestSandbox} from '../helpers/sandbox.js';
import {sigV4PostFields, streamPost} from '../helpers/stream-post.js';

const mib = 1024 * 1024;
const size = 512 * mib;
const bucket = 'bench-post';
let sandbox: Sandbox;

async function peakRssGrowth<T>(run: () => Promise<T>): Promise<{growth: number; result: T}> {
	globalThis.gc?.();
	const before = process.memoryUsage().rss;
	let peak = before;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 10);
	try {
		const result = await run();
		peak = Math.max(peak, process.memoryUsage().rss);
		return {growth: peak - before, result};
	} finally {
		clearInterval(timer);
	}
}

beforeAll(async () => {
	sandbox = await startTestSandbox();
	const s3 = s3Client(sandbox);
	await s3.send(new CreateBucketCommand({Bucket: bucket}));
	s3.destroy();
});

afterAll(async () => {
	await sandbox.close();
});

describe('S3 POST memory (512 MiB file)', () => {
	bench(
		'unauthenticated, refused from its fields',
		async () => {
			const {growth, result} = await peakRssGrowth(async () => streamPost(sandbox.port, bucket, [['key', 'x']], size));
			console.log(
				`refused POST: HTTP ${result.status}, client sent ${(result.sent / mib).toFixed(0)} of 512 MiB, peak RSS +${(growth / mib).toFixed(1)} MiB`,
			);
		},
		{iterations: 1, warmupIterations: 0},
	);

	bench(
		'SigV4 policy, streamed to disk',
		async () => {
			const fields = sigV4PostFields(
				{
					expiration: new Date(Date.now() + 3_600_000).toISOString(),
					conditions: [{bucket}, ['starts-with', '$key', 'b/']],
				},
				defaultAccount,
			);
			const {growth, result} = await peakRssGrowth(async () =>
				streamPost(sandbox.port, bucket, [['key', 'b/big'], ...fields], size),
			);
			console.log(`accepted POST: HTTP ${result.status}, peak RSS +${(growth / mib).toFixed(1)} MiB`);
		},
		{iterations: 1, warmupIterations: 0},
	);
});
