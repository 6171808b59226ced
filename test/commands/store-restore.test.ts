/**
 * `store` and `restore` through runCommand against the sandbox: the round trip, and each refusal as one clear
 * line with exit 1 (wrong-region bucket, instance store-backed AMI, quota, duplicate name, truncated object).
 */
import {GetObjectCommand, PutObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {sandboxS3} from '../aws/support.js';
import {fastPace, type Harness, startHarness} from './harness.js';

let harness: Harness;
const region = 'us-east-1';

async function instanceId(name: string): Promise<string> {
	const instances = await harness.test.services.listInstances(region);
	return instances.find((instance) => instance.name === name)!.id;
}

function oneClearLine(result: {code: number; stderr: string}): string {
	expect(result.code).toBe(1);
	const lines = result.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
	return lines[0]!;
}

beforeAll(async () => {
	harness = await startHarness(fastPace);
	await harness.test.services.createBucket('cmd-store', region);
	await harness.test.services.createBucket('cmd-store-west', 'us-west-2');
});

afterAll(async () => {
	const secret = harness.test.sandbox.credentials.secretAccessKey;
	for (const output of harness.transcript) {
		expect(output).not.toContain(secret);
	}

	await harness.close();
});

describe('store and restore', () => {
	let amiId: string;
	let objectKey: string;

	test('store <instance> --wait: CreateImage, then the store task, one STORE line', async () => {
		const instance = await instanceId('erp01');
		const result = await harness.run([
			'store',
			instance,
			'--bucket',
			'cmd-store',
			'--name',
			'erp01 by command',
			'--wait',
			'--interval',
			'1s',
		]);
		// The reboot is announced (the instance has downtime); nothing else on stderr
		expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/is rebooted for a consistent image/)]);
		expect(result.code).toBe(0);
		const columns = result.stdout.trim().split('\t');
		expect(columns[0]).toBe('STORE');
		expect(columns[2]).toBe(instance);
		expect(columns.slice(6)).toEqual(['Completed', '100%']);
		amiId = columns[1]!;
		objectKey = columns[4]!;
		expect(objectKey).toBe(`${amiId}.bin`);
	});

	test('restore --wait --json yields an available AMI; the same name again is refused in one line', async () => {
		const result = await harness.run([
			'restore',
			`cmd-store/${objectKey}`,
			'--name',
			'erp01 restored by command',
			'--wait',
			'--interval',
			'1s',
			'--json',
		]);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({kind: 'restore', region, state: 'available'});

		const again = await harness.run(['restore', `cmd-store/${objectKey}`, '--name', 'erp01 restored by command']);
		expect(oneClearLine(again)).toMatch(/An AMI named "erp01 restored by command" already exists in us-east-1/);
		// Without --name the stored name is used: the source AMI still has it
		const stored = await harness.run(['restore', `cmd-store/${objectKey}`]);
		expect(oneClearLine(stored)).toMatch(/The stored AMI's name is already used by an AMI in us-east-1 .*--name/);
	});

	test('history lists the chain as a STORE line, and with "kind": "store" in JSON, from CreateImage to complete', async () => {
		const instance = await instanceId('erp01');
		const lines = await harness.run(['history']);
		expect(lines.code).toBe(0);
		const store = lines.stdout.split('\n').find((line) => line.startsWith('STORE\t'));
		expect(store?.split('\t')).toEqual([
			'STORE',
			amiId,
			region,
			instance,
			'cmd-store',
			objectKey,
			expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			'complete',
			'100%',
		]);
		const json = await harness.run(['history', '--json']);
		const entries = (JSON.parse(json.stdout) as {entries: Array<Record<string, unknown>>}).entries;
		const entry = entries.find((candidate) => candidate['kind'] === 'store');
		expect(entry).toMatchObject({
			kind: 'store',
			amiId,
			region,
			instanceId: instance,
			// The Name tag, for the dashboard's INSTANCE column after a restart (the id before)
			instanceName: 'erp01',
			name: 'erp01 by command',
			bucket: 'cmd-store',
			objectKey,
			lastState: 'complete',
			lastProgress: 100,
			failureReason: null,
		});
		// The phases the waits saw: the AMI being created first, the stored object last
		const phases = ((entry?.['phases'] ?? []) as Array<{state: string}>).map((phase) => phase.state);
		expect(phases[0]).toBe('image');
		expect(phases.at(-1)).toBe('complete');
	});

	test('history lists each restore as a RESTORE line with the new AMI id, and with "kind": "restore" in JSON', async () => {
		const lines = await harness.run(['history']);
		const restore = lines.stdout.split('\n').find((line) => line.startsWith('RESTORE\t'));
		const columns = restore?.split('\t') ?? [];
		expect(columns[1]).toMatch(/^ami-[\da-f]+$/);
		expect(columns[1]).not.toBe(amiId);
		expect(columns.slice(2, 5)).toEqual([region, 'cmd-store', objectKey]);
		expect(columns.slice(6)).toEqual(['available', 'erp01 restored by command']);
		const json = await harness.run(['history', '--json']);
		const entries = (JSON.parse(json.stdout) as {entries: Array<Record<string, unknown>>}).entries;
		expect(entries).toContainEqual(
			expect.objectContaining({
				kind: 'restore',
				imageId: columns[1],
				region,
				name: 'erp01 restored by command',
				bucket: 'cmd-store',
				objectKey,
				sourceImageId: amiId,
				via: 'restore',
				lastState: 'available',
				// restore --wait saw it pending, then available
				endedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			}),
		);
	});

	test('tasks --state complete lists the Completed store task too; --state in-progress does not', async () => {
		const complete = await harness.run(['tasks', '--region', region, '--state', 'complete', '--json']);
		expect(complete.code).toBe(0);
		const tasks = (JSON.parse(complete.stdout) as {tasks: Array<Record<string, unknown>>}).tasks;
		expect(tasks).toContainEqual(expect.objectContaining({kind: 'store', amiId, state: 'Completed'}));
		const working = await harness.run(['tasks', '--region', region, '--state', 'InProgress', '--json']);
		expect((JSON.parse(working.stdout) as {tasks: Array<Record<string, unknown>>}).tasks).not.toContainEqual(
			expect.objectContaining({amiId}),
		);
	});

	test('tasks shows the instance of a store task bundledeck did not start, from the AMI AWS describes', async () => {
		const {services} = harness.test;
		const instance = await instanceId('hr01');
		const {imageId} = await services.createImage({
			region,
			instanceId: instance,
			name: 'hr01 elsewhere',
			noReboot: true,
		});
		await harness.run(['wait', imageId, '--interval', '1s']);
		await services.storeImage({region, imageId, bucket: 'cmd-store'});
		const lines = await harness.run(['tasks', '--region', region]);
		const store = lines.stdout.split('\n').find((line) => line.startsWith(`STORE\t${imageId}\t`));
		expect(store?.split('\t')[2]).toBe(instance);
		const json = await harness.run(['tasks', '--region', region, '--json']);
		expect((JSON.parse(json.stdout) as {tasks: unknown[]}).tasks).toContainEqual(
			expect.objectContaining({kind: 'store', amiId: imageId, instanceId: instance}),
		);
		await harness.run(['wait', imageId, '--interval', '1s']);
	});

	test('tasks lists the store task as a STORE line, and with "kind": "store" in JSON; wait takes its AMI id', async () => {
		const lines = await harness.run(['tasks', '--region', region]);
		expect(lines.code).toBe(0);
		// The instance the chain started from (history knows it), not '-'
		expect(lines.stdout.split('\n')).toContainEqual(
			expect.stringMatching(new RegExp(`^STORE\t${amiId}\t${await instanceId('erp01')}\t`)),
		);
		const json = await harness.run(['tasks', '--region', region, '--json']);
		expect((JSON.parse(json.stdout) as {tasks: unknown[]}).tasks).toContainEqual(
			expect.objectContaining({
				kind: 'store',
				amiId,
				bucket: 'cmd-store',
				objectKey,
				state: 'Completed',
				progress: 100,
			}),
		);
		const waited = await harness.run(['wait', amiId]);
		expect(waited.code).toBe(0);
		// The same STORE line as tasks prints, with the instance history knows (the walk saw '-' here)
		expect(waited.stdout).toMatch(new RegExp(`^STORE\t${amiId}\t${await instanceId('erp01')}\t.*\tCompleted\t100%`));
		const waitedJson = await harness.run(['wait', amiId, '--json']);
		expect((JSON.parse(waitedJson.stdout) as {stores: unknown[]}).stores).toEqual([
			expect.objectContaining({amiId, instanceId: await instanceId('erp01')}),
		]);
	});

	test('migrate <bucket/key.bin> copies the stored AMI to another region and restores it there', async () => {
		const result = await harness.run([
			'migrate',
			`cmd-store/${objectKey}`,
			'--to-region',
			'eu-west-1',
			'--to-bucket',
			'cmd-store-eu',
			'--name',
			'erp01 in eu',
		]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const [destination, imageId] = result.stdout.trim().split('\n');
		expect(destination).toBe(`cmd-store-eu/${objectKey}`);
		const waited = await harness.run(['wait', imageId!, '--region', 'eu-west-1', '--interval', '1s']);
		expect(waited.stdout).toMatch(new RegExp(`^IMAGE\t${imageId}\terp01 in eu\tavailable`));
		// Found in the issue 15 walk: wait <ami-id> ignored the region history recorded, as it does for bundle ids
		const fromHistory = await harness.run(['wait', imageId!, '--interval', '1s']);
		expect(fromHistory.stderr).toBe('');
		expect(fromHistory.stdout).toMatch(new RegExp(`^IMAGE\t${imageId}\terp01 in eu\tavailable`));
	});

	test('wait <ami-id> of an AMI nobody has names it in its one line', async () => {
		const result = await harness.run(['wait', 'ami-0000000000000dead', '--interval', '1s']);
		expect(oneClearLine(result)).toMatch(/^bundledeck: The AMI ami-0000000000000dead does not exist in us-east-1 — /);
	});

	test('an interrupted migrate <bucket/key.bin> exits 130 saying how far it got; the rerun finishes the copy', async () => {
		const argv = ['migrate', `cmd-store/${objectKey}`, '--to-region', 'eu-west-1', '--to-bucket', 'cmd-store-eu-again'];
		// Interrupted while the copy is in flight (not while checking the source).
		const interrupted = await harness.runInterrupted(argv, ['CopyObject'], ' copying ');
		expect(interrupted.code).toBe(130);
		expect(interrupted.stderr).toContain(
			'copy interrupted after 0 of 1 part; run the same command again to resume (parts already copied are kept)',
		);

		const resumed = await harness.run(argv);
		expect(resumed.code).toBe(0);
		expect(resumed.stdout.trim()).toBe(`cmd-store-eu-again/${objectKey}`);
	});

	test('copy-image <ebs-ami> --to-region copies the stored AMI; the copy becomes available there', async () => {
		const result = await harness.run(['copy-image', amiId, '--to-region', 'ap-southeast-2', '--json']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const copied = JSON.parse(result.stdout) as {imageId: string; region: string; name: string};
		expect(copied).toMatchObject({region: 'ap-southeast-2', name: 'erp01 by command', sourceImageId: amiId});
		const waited = await harness.run(['wait', copied.imageId, '--region', 'ap-southeast-2', '--interval', '1s']);
		expect(waited.code).toBe(0);
		expect(waited.stdout).toMatch(new RegExp(`^IMAGE\t${copied.imageId}\terp01 by command\tavailable`));
	});

	test('a missing bucket is refused in one line before any CreateImage', async () => {
		harness.test.sandbox.clearRequestLog();
		const result = await harness.run(['store', await instanceId('dc01'), '--bucket', 'cmd-no-such-bucket']);
		expect(oneClearLine(result)).toMatch(/Bucket cmd-no-such-bucket does not exist — create it in us-east-1 first/);
		expect(harness.test.sandbox.requestLog().some((entry) => entry.action === 'CreateImage')).toBe(false);
	});

	test('a bucket in another region is refused in one line', async () => {
		const result = await harness.run(['store', amiId, '--bucket', 'cmd-store-west']);
		expect(oneClearLine(result)).toMatch(/cmd-store-west is in us-west-2.*needs a bucket in us-east-1/);
	});

	test('an instance store-backed AMI is refused in one line', async () => {
		const bundle = await harness.completedBundle(region, 'cmd-store', 'bundles/web');
		const registered = await harness.run(['register', bundle.bundleId, '--name', 'web bundle ami']);
		expect(registered.code).toBe(0);
		const result = await harness.run(['store', registered.stdout.trim(), '--bucket', 'cmd-store']);
		expect(oneClearLine(result)).toMatch(/instance store-backed: only EBS-backed AMIs can be stored/);
	});

	test('a truncated object is refused in one line', async () => {
		const s3 = sandboxS3(harness.test.sandbox, region);
		const object = await s3.send(new GetObjectCommand({Bucket: 'cmd-store', Key: objectKey}));
		const bytes = Buffer.from(await object.Body!.transformToByteArray());
		await s3.send(
			new PutObjectCommand({Bucket: 'cmd-store', Key: 'cut.bin', Body: bytes.subarray(0, bytes.length - 1000)}),
		);
		s3.destroy();
		const result = await harness.run(['restore', 'cmd-store/cut.bin', '--name', 'from a cut object']);
		expect(oneClearLine(result)).toMatch(/cmd-store\/cut\.bin cannot be restored: .*truncated/);
	});

	test('a missing object is refused in one line that says so and where stored AMIs are listed', async () => {
		const result = await harness.run(['restore', 'cmd-store/ami-0123456789abcdef0.bin']);
		expect(oneClearLine(result)).toMatch(
			/^bundledeck: The object cmd-store\/ami-0123456789abcdef0\.bin does not exist in us-east-1 — .*`bundledeck tasks/,
		);
	});
});

describe('the store quota', () => {
	test('more than 1,200 GB being stored at once is refused in one line', async () => {
		const slow = await startHarness({pace: {bytesPerSecond: 1024 * 1024, imageSize: 1024 * 1024, stepDelayMs: 0}});
		try {
			const {services} = slow.test;
			await services.createBucket('cmd-quota', region);
			const archive = (await services.listInstances(region)).find((instance) => instance.name === 'archive01')!;
			const images = await Promise.all(
				['archive a', 'archive b'].map(async (name) =>
					services.createImage({region, instanceId: archive.id, name, noReboot: true}),
				),
			);
			for (const {imageId} of images) {
				await slow.run(['wait', imageId, '--interval', '1s']);
			}

			const first = await slow.run(['store', images[0]!.imageId, '--bucket', 'cmd-quota']);
			expect(first.code).toBe(0);
			const second = await slow.run(['store', images[1]!.imageId, '--bucket', 'cmd-quota']);
			expect(oneClearLine(second)).toMatch(
				/limit of 1200 GB of snapshot data being stored at once.*wait for store tasks in progress/i,
			);
		} finally {
			await slow.close();
		}
	});
});

describe('an interrupted store chain', () => {
	test('a rerun continues the chain: no second CreateImage, the store task starts once the AMI is available', async () => {
		const slow = await startHarness({pace: {bytesPerSecond: 1024 * 1024, imageSize: 2 * 1024 * 1024, stepDelayMs: 0}});
		try {
			const {services} = slow.test;
			await services.createBucket('cmd-chain', region);
			const instance = (await services.listInstances(region)).find((candidate) => candidate.name === 'hr01')!;
			const argv = ['store', instance.id, '--bucket', 'cmd-chain', '--interval', '1s'];
			const controller = new AbortController();
			const first = await slow.run(argv, {
				signal: controller.signal,
				onStart() {
					setTimeout(() => {
						controller.abort();
					}, 500);
				},
			});
			expect(first.code).toBe(130);
			const createImages = () => slow.test.sandbox.requestLog().filter((entry) => entry.action === 'CreateImage');
			expect(createImages()).toHaveLength(1);

			const second = await slow.run([...argv, '--wait']);
			expect(second.code).toBe(0);
			expect(second.stderr).toMatch(/continuing the image -> store chain of i-/);
			expect(second.stdout).toMatch(/^STORE\tami-[\da-f]+\ti-[\da-f]+\tcmd-chain\t.*\tCompleted\t100%/);
			expect(createImages()).toHaveLength(1);
		} finally {
			await slow.close();
		}
	});
});
