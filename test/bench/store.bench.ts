/**
 * Stores a 1 GiB image at full speed through the sandbox's real store task (snapshot files -> pack -> gzip ->
 * 8 MiB parts through the S3 multipart path -> complete) and prints the throughput and the extra RSS (peak RSS during
 * the store minus RSS before it). The snapshot is made first by CreateImage and not timed. Run with `npm run bench`.
 * STORE_BENCH_MIB overrides the image size.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {bench, describe} from 'vitest';
import {defaultAccount} from '../../source/sandbox/accounts.js';
import {openBenchEc2} from './bench-ec2.js';

const mib = 1024 * 1024;
const imageSize = Number(process.env['STORE_BENCH_MIB'] ?? 1024) * mib;

async function storeOnce(): Promise<void> {
	const dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-store-bench-'));
	try {
		const {objects, ec2, call} = await openBenchEc2(dir, imageSize);

		const pause = async () =>
			new Promise((resolve) => {
				setTimeout(resolve, 100);
			});
		const instances = await call('DescribeInstances', {'Filter.1.Name': 'tag:Name', 'Filter.1.Value.1': 'dc01'});
		const instanceId = /<instanceId>(i-[\da-f]+)</.exec(instances)?.[1] ?? '';
		const created = await call('CreateImage', {InstanceId: instanceId, Name: 'bench image', NoReboot: 'true'});
		const imageId = /<imageId>([^<]+)</.exec(created)?.[1] ?? '';
		while (!/<imageState>available</.test(await call('DescribeImages', {'ImageId.1': imageId}))) {
			await pause();
		}

		await objects.createBucket(defaultAccount.id, 'bench-store', 'us-east-1');
		globalThis.gc?.();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		const sampler = setInterval(() => {
			peak = Math.max(peak, process.memoryUsage().rss);
		}, 20);
		const started = Date.now();
		await call('CreateStoreImageTask', {ImageId: imageId, Bucket: 'bench-store'});
		let state = 'InProgress';
		while (state === 'InProgress') {
			await pause();
			const tasks = await call('DescribeStoreImageTasks', {'ImageId.1': imageId});
			state = /<storeTaskState>([^<]+)</.exec(tasks)?.[1] ?? '';
		}

		clearInterval(sampler);
		const seconds = (Date.now() - started) / 1000;
		const object = await objects.headObject('bench-store', `${imageId}.bin`);
		await ec2.close();
		console.log(
			`store of a ${imageSize / mib} MiB image: ${state}, object ${((object?.size ?? 0) / mib).toFixed(0)} MiB, ` +
				`${seconds.toFixed(1)} s (${(imageSize / mib / seconds).toFixed(0)} MiB/s); RSS before ` +
				`${(baseline / mib).toFixed(0)} MiB, peak ${(peak / mib).toFixed(0)} MiB, extra ${((peak - baseline) / mib).toFixed(0)} MiB`,
		);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
}

describe('sandbox store task', () => {
	bench(`store a ${imageSize / mib} MiB image at full speed`, storeOnce, {
		iterations: 1,
		warmupIterations: 0,
		time: 0,
		warmupTime: 0,
	});
});
