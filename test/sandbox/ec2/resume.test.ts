/**
 * A bundle task in flight when the sandbox stops runs again at the next start (close + start on the same dir):
 * from the beginning, with the policy stored with it, its earlier uploads removed; it fails with S3's reason when
 * the policy has expired meanwhile, and with a stated reason when it cannot run again. The world file is 0600.
 */
import {chmod, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {type BundleTask, DescribeImagesCommand, RegisterImageCommand} from '@aws-sdk/client-ec2';
import {
	CreateBucketCommand,
	DeleteBucketCommand,
	GetObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
} from '@aws-sdk/client-s3';
import {describe, expect, test} from 'vitest';
import {parseManifest} from '../../../source/core/manifest.js';
import {signUploadPolicy} from '../../../source/core/upload-policy.js';
import type {TaskRecord, WorldState} from '../../../source/sandbox/ec2/world.js';
import {waitFor} from '../../helpers/wait-for.js';
import {
	describeTask,
	type Fixture,
	finished,
	instanceId,
	instanceState,
	makeDir,
	mib,
	openSandbox,
	rawEc2,
	sha1,
	startBundle,
	waitForTask,
} from './fixture.js';

// 16 MiB at 16 MiB/s: about a second of bundling, so a test can stop the sandbox in the middle
const pace = {imageSize: 16 * mib, bytesPerSecond: 16 * mib, stepDelayMs: 50};
// 40 MiB: three parts, so the sandbox can be stopped after the first part is stored
const storingPace = {imageSize: 40 * mib, bytesPerSecond: 32 * mib, stepDelayMs: 50};
const early = new Set(['pending', 'waiting-for-shutdown', 'bundling']);

function worldFile(dir: string): string {
	return path.join(dir, 'ec2', 'world.json');
}

async function readWorld(dir: string): Promise<WorldState> {
	return JSON.parse(await readFile(worldFile(dir), 'utf8')) as WorldState;
}

async function editTask(dir: string, bundleId: string, edit: (task: TaskRecord, world: WorldState) => void) {
	const world = await readWorld(dir);
	const task = world.tasks.find((candidate) => candidate.bundleId === bundleId)!;
	edit(task, world);
	await writeFile(worldFile(dir), JSON.stringify(world));
}

async function mode(file: string): Promise<number> {
	return (await stat(file)).mode & 0o777;
}

async function keys(fixture: Fixture, bucket: string, prefix = ''): Promise<string[]> {
	const output = await fixture.s3().send(new ListObjectsV2Command({Bucket: bucket, Prefix: prefix}));
	return (output.Contents ?? []).map((object) => object.Key!).sort();
}

async function object(fixture: Fixture, bucket: string, key: string): Promise<Uint8Array> {
	const output = await fixture.s3().send(new GetObjectCommand({Bucket: bucket, Key: key}));
	return output.Body!.transformToByteArray();
}

/** The stored parts are exactly the manifest's (no stale ones), and each matches its digest. */
async function expectBundleMatchesManifest(fixture: Fixture, bucket: string, prefix: string) {
	const manifest = parseManifest(Buffer.from(await object(fixture, bucket, `${prefix}.manifest.xml`)));
	const directory = prefix.slice(0, prefix.lastIndexOf('/') + 1);
	expect(await keys(fixture, bucket, directory)).toEqual(
		[`${prefix}.manifest.xml`, ...manifest.parts.map((part) => `${directory}${part.filename}`)].sort(),
	);
	let total = 0;
	for (const part of manifest.parts) {
		const data = await object(fixture, bucket, `${directory}${part.filename}`);
		expect(sha1(data), part.filename).toBe(part.digest);
		total += data.length;
	}

	expect(total).toBe(manifest.bundledSize);
	return manifest;
}

describe('a task in flight when the sandbox stops resumes at the next start', () => {
	test('interrupted while bundling: runs again from the beginning, completes, and its manifest registers', async () => {
		const dir = await makeDir();
		const first = await openSandbox({dir, pace});
		const bucket = `bundledeck-resume-${Date.now()}`;
		const expiration = new Date(Date.now() + 3_600_000);
		let bundleId: string;
		let id: string;
		let before: BundleTask;
		try {
			const ec2 = first.ec2();
			id = await instanceId(ec2, 'web01');
			const task = await startBundle(ec2, {
				instanceId: id,
				bucket,
				prefix: 'resumed',
				account: first.account,
				policy: {expiration},
			});
			bundleId = task.BundleId!;
			before = await waitForTask(
				ec2,
				bundleId,
				(current) => current.State === 'bundling' && Number.parseInt(current.Progress!, 10) >= 30,
			);
			expect(await instanceState(ec2, id)).toBe('stopped');
		} finally {
			await first.close();
		}

		// What the task needs to run again is in the world file (never the secret key), which only its owner may read
		const {signature} = signUploadPolicy({bucket, prefix: 'resumed', expiration}, first.account.secretAccessKey);
		const saved = (await readWorld(dir)).tasks.find((task) => task.bundleId === bundleId)!;
		expect(saved).toMatchObject({
			state: 'bundling',
			accountId: first.account.id,
			awsAccessKeyId: first.account.accessKeyId,
			uploadPolicySignature: signature,
			bucket,
			prefix: 'resumed',
			instanceId: id,
		});
		expect(Buffer.from(saved.uploadPolicy!, 'base64').toString('utf8')).toContain('"starts-with", "$key", "resumed"');
		expect(await readFile(worldFile(dir), 'utf8')).not.toContain(first.account.secretAccessKey);
		expect(await mode(worldFile(dir))).toBe(0o600);

		const second = await openSandbox({dir, pace});
		try {
			const ec2 = second.ec2();
			// Started again: an early state, progress back below where it was stopped, a newer update time
			const restarted = await describeTask(ec2, bundleId);
			expect(early.has(restarted.State!)).toBe(true);
			expect(Number.parseInt(restarted.Progress!, 10)).toBeLessThan(Number.parseInt(before.Progress!, 10));
			expect(restarted.UpdateTime!.getTime()).toBeGreaterThan(before.UpdateTime!.getTime());
			expect(restarted.StartTime!.getTime()).toBe(before.StartTime!.getTime());
			expect(restarted.BundleTaskError).toBeUndefined();

			const seen: string[] = [];
			const done = await waitForTask(ec2, bundleId, (current) => {
				seen.push(current.State!);
				return finished(current);
			});
			expect(done.BundleTaskError).toBeUndefined();
			expect(done.State).toBe('complete');
			expect(done.Progress).toBe('100%');
			expect(seen).toContain('storing');
			expect(await instanceState(ec2, id)).toBe('running');

			const manifest = await expectBundleMatchesManifest(second, bucket, 'resumed');
			expect(manifest.size).toBe(16 * mib);
			expect(manifest.user).toBe(second.account.id);
			const {ImageId} = await ec2.send(
				new RegisterImageCommand({Name: 'resumed bundle', ImageLocation: `${bucket}/resumed.manifest.xml`}),
			);
			const image = await waitFor(async () => {
				const [found] = (await ec2.send(new DescribeImagesCommand({ImageIds: [ImageId!]}))).Images ?? [];
				return found?.State === 'pending' ? undefined : found;
			});
			expect(image.State).toBe('available');

			// Once the task is finished its signed policy is not kept, nor ever shown
			const world = await readFile(worldFile(dir), 'utf8');
			expect(world).not.toContain(signature);
			expect(world).not.toContain(saved.uploadPolicy);
			const described = await rawEc2(second, {Action: 'DescribeBundleTasks', 'BundleId.1': bundleId});
			expect(described.status).toBe(200);
			expect(described.body).not.toContain(signature);
		} finally {
			await second.cleanup();
		}
	});

	test('interrupted while storing: the parts it had stored are removed, the bundle is stored again and matches its manifest', async () => {
		const dir = await makeDir();
		const first = await openSandbox({dir, pace: storingPace});
		const bucket = `bundledeck-resume-storing-${Date.now()}`;
		let bundleId: string;
		/** key -> ETag of the parts the interrupted run stored */
		let stale: Map<string, string>;
		try {
			const ec2 = first.ec2();
			const task = await startBundle(ec2, {
				instanceId: await instanceId(ec2, 'app01'),
				bucket,
				prefix: 'stored/again',
				account: first.account,
			});
			bundleId = task.BundleId!;
			stale = await waitFor(
				async () => {
					const output = await first.s3().send(new ListObjectsV2Command({Bucket: bucket}));
					const stored = new Map((output.Contents ?? []).map((entry) => [entry.Key!, entry.ETag!]));
					return stored.size > 0 ? stored : undefined;
				},
				{timeout: 45_000},
			);
			expect((await describeTask(ec2, bundleId)).State).toBe('storing');
		} finally {
			await first.close();
		}

		const saved = (await readWorld(dir)).tasks.find((task) => task.bundleId === bundleId)!;
		expect(saved.state).toBe('storing');
		// Every part that reached S3 is recorded, so the restart knows what to remove
		expect(saved.uploadedKeys).toEqual(expect.arrayContaining([...stale.keys()]));

		const second = await openSandbox({dir, pace: storingPace});
		try {
			const ec2 = second.ec2();
			// Listed first, then described: when the task is still before storing, nothing of it can be in S3
			const listed = await keys(second, bucket);
			const restarted = await describeTask(ec2, bundleId);
			expect(early.has(restarted.State!)).toBe(true);
			expect(listed).toEqual([]);
			const done = await waitForTask(ec2, bundleId, finished);
			expect(done.BundleTaskError).toBeUndefined();
			expect(done.State).toBe('complete');
			const manifest = await expectBundleMatchesManifest(second, bucket, 'stored/again');
			expect(manifest.parts.length).toBeGreaterThanOrEqual(3);
			// A new bundle (new key and IV) under the same names: none of the interrupted run's bytes is left
			const output = await second.s3().send(new ListObjectsV2Command({Bucket: bucket}));
			for (const [key, etag] of stale) {
				const now = output.Contents?.find((entry) => entry.Key === key);
				expect(now, key).toBeDefined();
				expect(now?.ETag, key).not.toBe(etag);
			}
			const world = await readWorld(dir);
			expect(world.tasks.find((task) => task.bundleId === bundleId)?.uploadedKeys.sort()).toEqual(
				await keys(second, bucket),
			);
		} finally {
			await second.cleanup();
		}
	});

	test('parts stored after the last save (an abrupt stop) are found and removed too; other objects stay', async () => {
		const dir = await makeDir();
		const first = await openSandbox({dir, pace: storingPace});
		const bucket = `bundledeck-resume-abrupt-${Date.now()}`;
		let bundleId: string;
		try {
			const ec2 = first.ec2();
			await first.s3().send(new CreateBucketCommand({Bucket: bucket}));
			const task = await startBundle(ec2, {
				instanceId: await instanceId(ec2, 'app02'),
				bucket,
				prefix: 'abrupt',
				account: first.account,
			});
			bundleId = task.BundleId!;
			// Written while the task runs, under its prefix, but not named like a part: not the task's
			await first.s3().send(new PutObjectCommand({Bucket: bucket, Key: 'abrupt.notes.txt', Body: 'mine'}));
			await waitFor(async () => (await keys(first, bucket, 'abrupt.part')).length > 0, {timeout: 45_000});
		} finally {
			await first.close();
		}

		// As if the process had died before it saved the list of uploaded parts
		await editTask(dir, bundleId, (task) => {
			expect(task.uploadedKeys.length).toBeGreaterThan(0);
			task.uploadedKeys = [];
		});

		const second = await openSandbox({dir, pace: storingPace});
		try {
			const ec2 = second.ec2();
			const listed = await keys(second, bucket);
			const restarted = await describeTask(ec2, bundleId);
			expect(early.has(restarted.State!)).toBe(true);
			expect(listed).toEqual(['abrupt.notes.txt']);
			const done = await waitForTask(ec2, bundleId, finished);
			expect(done.State).toBe('complete');
			const manifest = parseManifest(Buffer.from(await object(second, bucket, 'abrupt.manifest.xml')));
			expect(await keys(second, bucket)).toEqual(
				['abrupt.manifest.xml', 'abrupt.notes.txt', ...manifest.parts.map((part) => part.filename)].sort(),
			);
		} finally {
			await second.cleanup();
		}
	});

	test('a policy that expired while the sandbox was stopped: S3 refuses the upload and the task fails saying why', async () => {
		const dir = await makeDir();
		// Slow enough that the task is still bundling when the sandbox is stopped
		const first = await openSandbox({dir, pace: {...pace, bytesPerSecond: 4 * mib}});
		const bucket = `bundledeck-resume-expired-${Date.now()}`;
		// Policy times have second precision: the policy expires within two seconds from now
		const expiration = new Date(Date.now() + 2000);
		let bundleId: string;
		let id: string;
		try {
			const ec2 = first.ec2();
			id = await instanceId(ec2, 'sql01');
			const task = await startBundle(ec2, {
				instanceId: id,
				bucket,
				prefix: 'late',
				account: first.account,
				policy: {expiration},
			});
			bundleId = task.BundleId!;
			await waitForTask(ec2, bundleId, (current) => current.State === 'bundling');
		} finally {
			await first.close();
		}

		await waitFor(() => Date.now() > expiration.getTime() + 1000, {timeout: 10_000});
		const second = await openSandbox({dir, pace: {...pace, bytesPerSecond: undefined}});
		try {
			const ec2 = second.ec2();
			const done = await waitForTask(ec2, bundleId, finished);
			expect(done.State).toBe('failed');
			expect(done.BundleTaskError?.Code).toBe('Client.AccessDenied');
			expect(done.BundleTaskError?.Message).toMatch(
				/S3 refused the upload of late\.part\.0 to bucket .*Policy expired/,
			);
			const {signature} = signUploadPolicy({bucket, prefix: 'late', expiration}, second.account.secretAccessKey);
			expect(done.BundleTaskError?.Message).not.toContain(signature);
			expect(await keys(second, bucket)).toEqual([]);
			expect(await instanceState(ec2, id)).toBe('running');
		} finally {
			await second.cleanup();
		}
	});

	test('tasks that cannot run again fail with the reason; a task that was cancelling ends cancelled', async () => {
		const dir = await makeDir();
		// Slow: the four tasks are all still bundling when the sandbox is stopped
		const first = await openSandbox({dir, pace: {...pace, bytesPerSecond: 4 * mib}});
		const ids: Record<'cancelling' | 'oldFormat' | 'noInstance' | 'noBucket', string> = {
			cancelling: '',
			oldFormat: '',
			noInstance: '',
			noBucket: '',
		};
		const names = {cancelling: 'web01', oldFormat: 'web02', noInstance: 'app01', noBucket: 'app02'} as const;
		const bucket = `bundledeck-resume-fail-${Date.now()}`;
		const vanished = `bundledeck-resume-vanish-${Date.now()}`;
		try {
			const ec2 = first.ec2();
			for (const which of Object.keys(ids) as Array<keyof typeof ids>) {
				const task = await startBundle(ec2, {
					instanceId: await instanceId(ec2, names[which]),
					bucket: which === 'noBucket' ? vanished : bucket,
					prefix: which,
					account: first.account,
				});
				ids[which] = task.BundleId!;
			}

			for (const bundleId of Object.values(ids)) {
				await waitForTask(ec2, bundleId, (current) => current.State === 'bundling');
			}

			// Nothing is stored before storing: the bucket is empty and can be deleted
			await first.s3().send(new DeleteBucketCommand({Bucket: vanished}));
		} finally {
			await first.close();
		}

		const world = await readWorld(dir);
		const task = (which: keyof typeof ids) => world.tasks.find((candidate) => candidate.bundleId === ids[which])!;
		task('cancelling').state = 'cancelling';
		task('oldFormat').uploadPolicy = undefined;
		task('oldFormat').uploadPolicySignature = undefined;
		// Seeded instances come back at every start: the task's instance id is made one that does not exist
		task('noInstance').instanceId = 'i-0000000000000dead';
		await writeFile(worldFile(dir), JSON.stringify(world));

		const second = await openSandbox({dir, pace});
		try {
			const ec2 = second.ec2();
			const outcome = async (which: keyof typeof ids) => {
				const done = await waitForTask(ec2, ids[which], finished);
				expect(done.State, which).toBe('failed');
				return done.BundleTaskError!;
			};

			expect(await outcome('cancelling')).toEqual({
				Code: 'Client.Cancelled',
				Message: expect.stringMatching(/cancelled by the user/),
			});
			expect(await outcome('oldFormat')).toEqual({
				Code: 'Server.Interrupted',
				Message: expect.stringMatching(
					/^The sandbox stopped while the task was bundling and it cannot resume: it was saved without its upload policy .*Start the bundle again\.$/,
				),
			});
			expect((await outcome('noInstance')).Message).toMatch(
				/cannot resume: instance i-0000000000000dead no longer exists/,
			);
			expect((await outcome('noBucket')).Message).toMatch(
				new RegExp(`cannot resume: bucket ${vanished} no longer exists`),
			);
			for (const which of ['cancelling', 'oldFormat', 'noBucket'] as const) {
				expect(await instanceState(ec2, await instanceId(ec2, names[which]))).toBe('running');
			}

			expect(await keys(second, bucket)).toEqual([]);
		} finally {
			await second.cleanup();
		}
	});
});

describe('the world file', () => {
	test('is written with mode 0600, also when it was readable by others before', async () => {
		const dir = await makeDir();
		const first = await openSandbox({dir, pace});
		try {
			expect(await mode(worldFile(dir))).toBe(0o600);
			const ec2 = first.ec2();
			const task = await startBundle(ec2, {
				instanceId: await instanceId(ec2, 'web01'),
				bucket: `bundledeck-mode-${Date.now()}`,
				prefix: 'mode',
				account: first.account,
			});
			await waitForTask(ec2, task.BundleId!, finished);
			expect(await mode(worldFile(dir))).toBe(0o600);
		} finally {
			await first.close();
		}

		await chmod(worldFile(dir), 0o644);
		const second = await openSandbox({dir, pace});
		try {
			expect(await mode(worldFile(dir))).toBe(0o600);
		} finally {
			await second.cleanup();
		}
	});
});
