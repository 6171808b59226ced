/**
 * Bundles a 1 GiB synthetic image at full speed (no pacing) through the sandbox's real pipeline
 * (stream -> SHA1 -> gzip -> AES-128-CBC -> 10 MiB parts -> S3 POST path -> manifest) and prints the extra RSS
 * (peak RSS during the bundle minus RSS before it) and the throughput. Run with `npm run bench`.
 * BUNDLE_BENCH_MIB overrides the image size.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {bench, describe} from 'vitest';
import {signUploadPolicy} from '../../source/core/upload-policy.js';
import {defaultAccount} from '../../source/sandbox/accounts.js';
import {openBenchEc2} from './bench-ec2.js';

const mib = 1024 * 1024;
const imageSize = Number(process.env['BUNDLE_BENCH_MIB'] ?? 1024) * mib;

async function bundleOnce(): Promise<void> {
	const dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-bench-'));
	try {
		const {objects, ec2, call} = await openBenchEc2(dir, imageSize);

		const instances = await call('DescribeInstances', {'Filter.1.Name': 'tag:Name', 'Filter.1.Value.1': 'web02'});
		const instanceId = /<instanceId>(i-[\da-f]+)</.exec(instances)?.[1];
		if (!instanceId) {
			throw new Error('no seeded instance web02');
		}

		const policy = signUploadPolicy(
			{bucket: 'bench-bucket', prefix: 'bench', expiration: new Date(Date.now() + 3_600_000)},
			defaultAccount.secretAccessKey,
		);
		globalThis.gc?.();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		let state = '';
		const peaks = new Map<string, number>();
		const sampler = setInterval(() => {
			const rss = process.memoryUsage().rss;
			peak = Math.max(peak, rss);
			peaks.set(state, Math.max(peaks.get(state) ?? 0, rss));
		}, 20);
		const started = Date.now();
		const bundle = await call('BundleInstance', {
			InstanceId: instanceId,
			'Storage.S3.Bucket': 'bench-bucket',
			'Storage.S3.Prefix': 'bench',
			'Storage.S3.AWSAccessKeyId': defaultAccount.accessKeyId,
			'Storage.S3.UploadPolicy': policy.base64,
			'Storage.S3.UploadPolicySignature': policy.signature,
		});
		const bundleId = /<bundleId>([^<]+)</.exec(bundle)?.[1] ?? '';
		while (state !== 'complete' && state !== 'failed') {
			await new Promise((resolve) => {
				setTimeout(resolve, 100);
			});
			const tasks = await call('DescribeBundleTasks', {'BundleId.1': bundleId});
			state = /<state>([^<]+)</.exec(tasks)?.[1] ?? '';
		}

		clearInterval(sampler);
		const seconds = (Date.now() - started) / 1000;
		const parts = (await objects.listObjects('bench-bucket', 'bench.part.')).length;
		await ec2.close();
		console.log(
			`bundle of ${imageSize / mib} MiB: ${state}, ${parts} parts, ${seconds.toFixed(1)} s ` +
				`(${(imageSize / mib / seconds).toFixed(0)} MiB/s); RSS before ${(baseline / mib).toFixed(0)} MiB, ` +
				`peak ${(peak / mib).toFixed(0)} MiB, extra ${((peak - baseline) / mib).toFixed(0)} MiB; extra by phase: ` +
				[...peaks]
					.filter(([phase]) => phase !== '')
					.map(([phase, rss]) => `${phase} ${((rss - baseline) / mib).toFixed(0)} MiB`)
					.join(', '),
		);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
}

describe('sandbox bundler', () => {
	bench(`bundle a ${imageSize / mib} MiB image at full speed`, bundleOnce, {
		iterations: 1,
		warmupIterations: 0,
		time: 0,
		warmupTime: 0,
	});
});
