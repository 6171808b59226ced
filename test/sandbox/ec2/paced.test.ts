/** Paced bundles: progress that moves, BundlingInProgress, CancelBundleTask, and a restart with a task in flight (resume.test.ts has the details). */

import {mkdir, readdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {
	CancelBundleTaskCommand,
	DescribeBundleTasksCommand,
	DescribeImagesCommand,
	RegisterImageCommand,
} from '@aws-sdk/client-ec2';
import {ListObjectsV2Command} from '@aws-sdk/client-s3';
import {describe, expect, test} from 'vitest';
import {waitFor} from '../../helpers/wait-for.js';
import {
	describeTask,
	failure,
	finished,
	instanceId,
	instanceState,
	makeDir,
	mib,
	openSandbox,
	startBundle,
	waitForTask,
} from './fixture.js';

// 16 MiB at 16 MiB/s: about a second of bundling, then storing; slow enough to observe, fast enough for CI
const pace = {imageSize: 16 * mib, bytesPerSecond: 16 * mib, stepDelayMs: 50};

describe('paced bundle tasks', () => {
	test('progress and update time move; BundlingInProgress while it runs; the instance stops and restarts', async () => {
		const fixture = await openSandbox({pace});
		try {
			const ec2 = fixture.ec2();
			const id = await instanceId(ec2, 'web01');
			const bucket = `bundledeck-paced-${Date.now()}`;
			const task = await startBundle(ec2, {instanceId: id, bucket, prefix: 'paced', account: fixture.account});
			const again = await failure(
				startBundle(ec2, {instanceId: id, bucket, prefix: 'paced2', account: fixture.account}),
			);
			expect(again.name).toBe('BundlingInProgress');
			expect(again.message).toContain(task.BundleId);

			const seen: Array<{state: string; progress: string; update: number}> = [];
			const bundling = await waitForTask(ec2, task.BundleId!, (current) => current.State === 'bundling');
			// The instance is shut down while it is bundled
			expect(await instanceState(ec2, id)).toBe('stopped');
			seen.push({state: bundling.State!, progress: bundling.Progress!, update: bundling.UpdateTime!.getTime()});
			await waitForTask(ec2, task.BundleId!, (current) => {
				seen.push({state: current.State!, progress: current.Progress!, update: current.UpdateTime!.getTime()});
				return finished(current);
			});
			const last = seen.at(-1)!;
			expect(last.state).toBe('complete');
			for (const entry of seen) {
				expect(entry.progress).toMatch(/^(\d|[1-9]\d|100)%$/);
			}

			const bundlingProgress = new Set(
				seen.filter((entry) => entry.state === 'bundling').map((entry) => entry.progress),
			);
			expect(bundlingProgress.size).toBeGreaterThanOrEqual(3);
			const storingProgress = new Set(seen.filter((entry) => entry.state === 'storing').map((entry) => entry.progress));
			expect(storingProgress.size).toBeGreaterThanOrEqual(2);
			// Progress never goes back
			const values = seen.map((entry) => Number.parseInt(entry.progress, 10));
			expect(values.every((value, index) => index === 0 || value >= values[index - 1]!)).toBe(true);
			expect(new Set(seen.map((entry) => entry.update)).size).toBeGreaterThanOrEqual(4);
			expect(await instanceState(ec2, id)).toBe('running');
		} finally {
			await fixture.cleanup();
		}
	});

	test('CancelBundleTask: cancelling -> failed (cancelled by the user), stored parts removed, instance running', async () => {
		// 40 MiB: three parts, so there is time to cancel after the first one is stored
		const fixture = await openSandbox({pace: {...pace, imageSize: 40 * mib}});
		try {
			const ec2 = fixture.ec2();
			const id = await instanceId(ec2, 'app01');
			const bucket = `bundledeck-cancel-${Date.now()}`;
			const task = await startBundle(ec2, {instanceId: id, bucket, prefix: 'cancel', account: fixture.account});
			// Wait until at least one part is in S3, so the cleanup has something to remove
			await waitFor(
				async () => {
					const listed = await fixture.s3().send(new ListObjectsV2Command({Bucket: bucket}));
					return (listed.KeyCount ?? 0) > 0;
				},
				{timeout: 45_000},
			);
			expect((await failure(ec2.send(new CancelBundleTaskCommand({BundleId: task.BundleId, DryRun: true})))).name).toBe(
				'DryRunOperation',
			);
			const cancelled = await ec2.send(new CancelBundleTaskCommand({BundleId: task.BundleId}));
			expect(cancelled.BundleTask?.State).toBe('cancelling');
			expect(cancelled.BundleTask?.BundleId).toBe(task.BundleId);
			const done = await waitForTask(ec2, task.BundleId!, finished);
			expect(done.State).toBe('failed');
			expect(done.BundleTaskError?.Code).toBe('Client.Cancelled');
			expect(done.BundleTaskError?.Message).toMatch(/cancelled by the user/);
			const listed = await fixture.s3().send(new ListObjectsV2Command({Bucket: bucket}));
			expect(listed.KeyCount ?? 0).toBe(0);
			expect(await instanceState(ec2, id)).toBe('running');
			expect((await failure(ec2.send(new CancelBundleTaskCommand({BundleId: task.BundleId})))).name).toBe(
				'IncorrectState',
			);
		} finally {
			await fixture.cleanup();
		}
	});

	test('restart: images and finished tasks persist; a task in flight runs again and completes', async () => {
		const dir = await makeDir();
		const first = await openSandbox({dir, pace});
		const bucket = `bundledeck-restart-${Date.now()}`;
		let doneId: string;
		let inFlightId: string;
		let imageId: string;
		let inFlightInstance: string;
		try {
			const ec2 = first.ec2();
			const done = await startBundle(ec2, {
				instanceId: await instanceId(ec2, 'web02'),
				bucket,
				prefix: 'kept',
				account: first.account,
			});
			doneId = done.BundleId!;
			await waitForTask(ec2, doneId, (task) => task.State === 'complete');
			imageId = (
				await ec2.send(new RegisterImageCommand({Name: 'kept image', ImageLocation: `${bucket}/kept.manifest.xml`}))
			).ImageId!;
			inFlightInstance = await instanceId(ec2, 'app02');
			const inFlight = await startBundle(ec2, {
				instanceId: inFlightInstance,
				bucket,
				prefix: 'interrupted',
				account: first.account,
			});
			inFlightId = inFlight.BundleId!;
			await waitForTask(ec2, inFlightId, (task) => task.State === 'bundling');
		} finally {
			await first.close();
		}

		const second = await openSandbox({dir, pace});
		try {
			const ec2 = second.ec2();
			expect((await describeTask(ec2, doneId)).State).toBe('complete');
			const interrupted = await describeTask(ec2, inFlightId);
			expect(interrupted.State).not.toBe('failed');
			expect(interrupted.BundleTaskError).toBeUndefined();
			// While it is bundling again, the instance is not available for another bundle
			expect(
				(await failure(startBundle(ec2, {instanceId: inFlightInstance, bucket, prefix: 'x', account: second.account})))
					.name,
			).toBe('BundlingInProgress');
			const resumed = await waitForTask(ec2, inFlightId, finished);
			expect(resumed.State).toBe('complete');
			expect(await instanceState(ec2, inFlightInstance)).toBe('running');
			const listed = await second.s3().send(new ListObjectsV2Command({Bucket: bucket, Prefix: 'interrupted'}));
			expect(listed.Contents?.map((object) => object.Key)).toContain('interrupted.manifest.xml');
			const images = await ec2.send(new DescribeImagesCommand({ImageIds: [imageId]}));
			await waitFor(async () => {
				const [image] = (await ec2.send(new DescribeImagesCommand({ImageIds: [imageId]}))).Images ?? [];
				return image?.State === 'available';
			});
			expect(images.Images?.[0]?.Name).toBe('kept image');
			// The instance can be bundled again
			const retry = await startBundle(ec2, {
				instanceId: inFlightInstance,
				bucket,
				prefix: 'retried',
				account: second.account,
			});
			const all = await ec2.send(new DescribeBundleTasksCommand({}));
			expect(all.BundleTasks?.map((task) => task.BundleId)).toEqual(
				expect.arrayContaining([doneId, inFlightId, retry.BundleId]),
			);
			await ec2.send(new CancelBundleTaskCommand({BundleId: retry.BundleId}));
			await waitForTask(ec2, retry.BundleId!, finished);
		} finally {
			await second.cleanup();
		}
	});

	test('a corrupt world file is set aside and the sandbox starts with a fresh seeded world', async () => {
		const dir = await makeDir();
		await mkdir(path.join(dir, 'ec2'), {recursive: true});
		await writeFile(path.join(dir, 'ec2', 'world.json'), '{"version": 1, "instan');
		const fixture = await openSandbox({dir, pace});
		try {
			const ec2 = fixture.ec2();
			expect(await instanceState(ec2, await instanceId(ec2, 'web01'))).toBe('running');
			const files = await readdir(path.join(dir, 'ec2'));
			expect(files.some((file) => file.startsWith('world.json.corrupt-'))).toBe(true);
		} finally {
			await fixture.cleanup();
		}
	});
});
