/**
 * EC2 lists a finished bundle task only for a while: after finishedTaskRetentionMs (BUNDLEDECK_SANDBOX_FINISHED_TASK_
 * SECONDS; 3 days by default) DescribeBundleTasks no longer lists it and its id is unknown, while its bundle stays in
 * S3 and registers. Tasks in flight are never dropped.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {CancelBundleTaskCommand, DescribeBundleTasksCommand, RegisterImageCommand} from '@aws-sdk/client-ec2';
import {afterEach, describe, expect, test} from 'vitest';
import {defaultFinishedTaskRetentionMs, resolveFinishedTaskRetention} from '../../../source/sandbox/task-retention.js';
import {waitFor} from '../../helpers/wait-for.js';
import {
	type Fixture,
	failure,
	finished,
	instanceId,
	makeDir,
	mib,
	openSandbox,
	startBundle,
	waitForTask,
} from './fixture.js';

const pace = {imageSize: 2 * mib, stepDelayMs: 0, bytesPerSecond: undefined};
const fixtures: Fixture[] = [];

afterEach(async () => {
	// Two fixtures may share a directory: all are closed before any directory is removed
	const open = fixtures.splice(0);
	await Promise.all(open.map(async (fixture) => fixture.close()));
	for (const fixture of open) {
		await fixture.cleanup();
	}
});

async function listedIds(fixture: Fixture): Promise<string[]> {
	const output = await fixture.ec2().send(new DescribeBundleTasksCommand({}));
	return (output.BundleTasks ?? []).map((task) => task.BundleId!);
}

describe('finished bundle tasks age out of DescribeBundleTasks', () => {
	test('listed while recent; after the retention the id is unknown, the bundle still registers', async () => {
		const dir = await makeDir();
		const first = await openSandbox({dir, pace});
		fixtures.push(first);
		const ec2 = first.ec2();
		const started = await startBundle(ec2, {
			instanceId: await instanceId(ec2, 'web02'),
			bucket: `bundledeck-aged-${Date.now()}`,
			prefix: 'aged',
			account: first.account,
		});
		const bucket = started.Storage!.S3!.Bucket!;
		expect((await waitForTask(ec2, started.BundleId!, finished)).State).toBe('complete');
		// The default keeps it listed (3 days)
		expect(await listedIds(first)).toContain(started.BundleId);
		await first.close();

		// The same region started again with a retention of 0: the finished task is no longer listed
		const again = await openSandbox({dir, pace, finishedTaskRetentionMs: 0});
		fixtures.push(again);
		expect(await listedIds(again)).not.toContain(started.BundleId);
		const byId = await failure(again.ec2().send(new DescribeBundleTasksCommand({BundleIds: [started.BundleId!]})));
		expect(byId.name).toBe('InvalidBundleID.NotFound');
		const cancel = await failure(again.ec2().send(new CancelBundleTaskCommand({BundleId: started.BundleId!})));
		expect(cancel.name).toBe('InvalidBundleID.NotFound');
		// Forgotten for good (not only hidden): the saved world no longer holds it
		await waitForSaved(dir, (text) => !text.includes(started.BundleId!));
		const registered = await again
			.ec2()
			.send(new RegisterImageCommand({Name: 'aged out', ImageLocation: `${bucket}/aged.manifest.xml`}));
		expect(registered.ImageId).toMatch(/^ami-/);
	});

	test('a task in flight is listed whatever the retention', async () => {
		const fixture = await openSandbox({pace: {...pace, bytesPerSecond: 64 * 1024}, finishedTaskRetentionMs: 0});
		fixtures.push(fixture);
		const ec2 = fixture.ec2();
		const started = await startBundle(ec2, {
			instanceId: await instanceId(ec2, 'web02'),
			bucket: `bundledeck-running-${Date.now()}`,
			prefix: 'running',
			account: fixture.account,
		});
		expect(await listedIds(fixture)).toContain(started.BundleId);
		await waitForTask(ec2, started.BundleId!, (task) => task.State === 'bundling');
		expect(await listedIds(fixture)).toContain(started.BundleId);
	});

	test('the retention: the option wins, then BUNDLEDECK_SANDBOX_FINISHED_TASK_SECONDS, then 3 days', () => {
		const env = {BUNDLEDECK_SANDBOX_FINISHED_TASK_SECONDS: '90'};
		expect(resolveFinishedTaskRetention(5, env)).toBe(5);
		expect(resolveFinishedTaskRetention(undefined, env)).toBe(90_000);
		expect(resolveFinishedTaskRetention(undefined, {BUNDLEDECK_SANDBOX_FINISHED_TASK_SECONDS: '0'})).toBe(0);
		expect(resolveFinishedTaskRetention(undefined, {})).toBe(defaultFinishedTaskRetentionMs);
		expect(defaultFinishedTaskRetentionMs).toBe(3 * 24 * 3_600_000);
	});
});

async function waitForSaved(dir: string, check: (text: string) => boolean): Promise<void> {
	await waitFor(async () => check(await readFile(path.join(dir, 'ec2', 'world.json'), 'utf8')));
}
