import fs from 'node:fs';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {BundleTask} from '../../source/core/types.js';
import {fastPace, type Harness, startHarness} from './harness.js';

let harness: Harness;
let bundle: BundleTask;

beforeAll(async () => {
	harness = await startHarness(fastPace);
	bundle = await harness.completedBundle('us-east-1', 'cmd-flow', 'flow/win');
});

afterAll(async () => {
	const secret = harness.test.sandbox.credentials.secretAccessKey;
	for (const output of harness.transcript) {
		expect(output).not.toContain(secret);
	}

	expect(fs.readFileSync(harness.historyFile, 'utf8')).not.toContain(secret);
	await harness.close();
});

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('tasks', () => {
	test('one BUNDLE line per task of the region', async () => {
		const result = await harness.run(['tasks', '--region', 'us-east-1']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		const line = result.stdout.split('\n').find((candidate) => candidate.includes(bundle.bundleId));
		expect(line?.split('\t')).toEqual([
			'BUNDLE',
			bundle.bundleId,
			bundle.instanceId,
			'cmd-flow',
			'flow/win',
			bundle.startTime.toISOString(),
			expect.stringMatching(isoDate),
			'complete',
			'100%',
		]);
	});

	test('--json shape, --state filter, and a region column when several regions are listed', async () => {
		const json = await harness.run(['tasks', '--region', 'us-east-1', '--json']);
		expect(json.code).toBe(0);
		const parsed = JSON.parse(json.stdout) as {tasks: unknown[]; errors: unknown[]};
		expect(parsed.errors).toEqual([]);
		expect(parsed.tasks).toContainEqual({
			kind: 'bundle',
			bundleId: bundle.bundleId,
			region: 'us-east-1',
			instanceId: bundle.instanceId,
			state: 'complete',
			progress: 100,
			bucket: 'cmd-flow',
			prefix: 'flow/win',
			manifestLocation: 'cmd-flow/flow/win.manifest.xml',
			startTime: bundle.startTime.toISOString(),
			updateTime: expect.stringMatching(isoDate),
			error: null,
		});

		const failedOnly = await harness.run(['tasks', '--region', 'us-east-1', '--state', 'failed', '--json']);
		expect((JSON.parse(failedOnly.stdout) as {tasks: unknown[]}).tasks).toEqual([]);

		const several = await harness.run(['tasks', '--region', 'us-east-1', '--region', 'eu-west-1']);
		expect(several.code).toBe(0);
		const line = several.stdout.split('\n').find((candidate) => candidate.includes(bundle.bundleId));
		expect(line?.split('\t').at(-1)).toBe('us-east-1');
	});

	test('a region that fails does not hide the others: its error on stderr, exit 1', async () => {
		// The sandbox serves four regions; sa-east-1 is not one of them.
		const result = await harness.run(['tasks', '--region', 'us-east-1', '--region', 'sa-east-1', '--json']);
		expect(result.code).toBe(1);
		const parsed = JSON.parse(result.stdout) as {
			tasks: Array<{bundleId: string}>;
			errors: Array<{region: string; code: string; message: string}>;
		};
		expect(parsed.tasks.map((task) => task.bundleId)).toContain(bundle.bundleId);
		expect(parsed.errors).toHaveLength(1);
		expect(parsed.errors[0]!.region).toBe('sa-east-1');
		expect(result.stderr).toMatch(/^bundledeck: sa-east-1: /);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});

	test('--watch off a terminal prints the tasks and stops when all are finished', async () => {
		const result = await harness.run(['tasks', '--region', 'us-east-1', '--watch', '--interval', '1s']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(bundle.bundleId);
		expect(result.stdout).not.toContain('\u001B[');
	});

	test('global flags may come anywhere, --no-color included', async () => {
		const result = await harness.run(['tasks', '--no-color', '--state', 'complete', '--region', 'us-east-1', '--json']);
		expect(result.code).toBe(0);
		expect(harness.sessions.at(-1)).toEqual({
			sandbox: false,
			sandboxDir: undefined,
			sandboxReset: false,
			profile: undefined,
			region: 'us-east-1',
			endpointUrl: undefined,
		});
		const sandboxed = await harness.run(['history', '--sandbox', '--json']);
		expect(sandboxed.code).toBe(0);
		expect(harness.sessions.at(-1)?.sandbox).toBe(true);
	});

	test('--all-regions lists every region with a region column', async () => {
		const result = await harness.run(['tasks', '--all-regions', '--json']);
		expect(result.code).toBe(0);
		const parsed = JSON.parse(result.stdout) as {tasks: Array<{bundleId: string; region: string}>};
		expect(parsed.tasks).toContainEqual(expect.objectContaining({bundleId: bundle.bundleId, region: 'us-east-1'}));
	});
});

describe('register', () => {
	test('by bundle id: prints the image id and records it in history', async () => {
		const result = await harness.run(['register', bundle.bundleId, '--name', 'flow image', '--json']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout) as {imageId: string};
		expect(json).toEqual({
			imageId: expect.stringMatching(/^ami-/),
			region: 'us-east-1',
			name: 'flow image',
			manifestLocation: 'cmd-flow/flow/win.manifest.xml',
			bundleId: bundle.bundleId,
		});
		const [image] = await harness.test.services.describeImages('us-east-1', [json.imageId]);
		expect(image?.imageLocation).toBe('cmd-flow/flow/win.manifest.xml');
		expect(harness.history().get(bundle.bundleId)?.images).toContainEqual(
			expect.objectContaining({imageId: json.imageId, kind: 'registered', region: 'us-east-1', name: 'flow image'}),
		);
	});

	test('by manifest location: text output is the image id', async () => {
		const result = await harness.run(['register', 's3://cmd-flow/flow/win.manifest.xml', '--name', 'flow by manifest']);
		expect(result.code).toBe(0);
		expect(result.stdout.trim()).toMatch(/^ami-[0-9a-f]+$/);
		expect(
			harness
				.history()
				.get(bundle.bundleId)
				?.images.map((image) => image.name),
		).toContain('flow by manifest');
	});

	test('a bundle AWS no longer lists is registered from local history', async () => {
		// Simulate an aged-out task: history knows an id the sandbox never issued, pointing at a real manifest.
		const forgotten: BundleTask = {...bundle, bundleId: 'bun-00000000000a9ed1', state: 'complete'};
		harness.history().recordBundle(forgotten);
		const result = await harness.run(['register', forgotten.bundleId, '--name', 'from history']);
		expect(result.code).toBe(0);
		expect(result.stdout.trim()).toMatch(/^ami-/);
		expect(result.stderr).toContain('local history');
		expect(harness.history().get(forgotten.bundleId)?.images).toHaveLength(1);
	});

	test('wait trusts history for a task AWS no longer lists, but only in the region it ran in', async () => {
		const forgotten: BundleTask = {...bundle, bundleId: 'bun-00000000000a9ed2', state: 'complete'};
		harness.history().recordBundle(forgotten);
		const waited = await harness.run(['wait', forgotten.bundleId, '--json']);
		expect(waited.code).toBe(0);
		expect((JSON.parse(waited.stdout) as {outcome: string}).outcome).toBe('complete');

		const elsewhere = await harness.run(['wait', forgotten.bundleId, '--region', 'eu-west-1']);
		expect(elsewhere.code).toBe(1);
		expect(elsewhere.stderr).toContain('not listed in eu-west-1');
	});

	test('an unknown bundle id that history does not know either fails with exit 1', async () => {
		const result = await harness.run(['register', 'bun-00000000ffffffff', '--name', 'nothing']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('not in local history');
	});

	test('a missing manifest fails with AWS error and exit 1', async () => {
		const result = await harness.run(['register', 'cmd-flow/nothing-here.manifest.xml', '--name', 'nothing here']);
		expect(result.code).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});
});

describe('cancel', () => {
	test('an id AWS never issued and history does not know: not found, as AWS says', async () => {
		const result = await harness.run(['cancel', 'bun-0000c0de', '--yes', '--region', 'us-east-1']);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^bundledeck: bundle task bun-0000c0de not found in us-east-1 — /);
		expect(result.stderr).toContain('`bundledeck tasks --all-regions --region us-east-1`');
		expect(result.stderr).toMatch(/\(request id [\w-]+\)\n$/);
		expect(result.stderr).not.toContain('no longer lists');
	});

	test('an id only history knows: AWS no longer lists it, and history says how it ended', async () => {
		const forgotten: BundleTask = {...bundle, bundleId: 'bun-00000000000ca9c1', state: 'complete'};
		harness.history().recordBundle(forgotten);
		const result = await harness.run(['cancel', forgotten.bundleId, '--yes']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(`AWS no longer lists bundle task ${forgotten.bundleId} in us-east-1`);
		expect(result.stderr).toContain('history last saw it complete');
	});

	test('a complete task: one sentence that it is already complete, said once', async () => {
		const result = await harness.run(['cancel', bundle.bundleId, '--yes', '--json']);
		expect(result.code).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain(`bundle task ${bundle.bundleId} is already complete in us-east-1`);
		expect(result.stderr).toContain('there is nothing to cancel');
		expect(result.stderr.match(/can be cancelled/gi) ?? []).toHaveLength(0);
		const {error} = JSON.parse(result.stdout) as {error: {code: string; requestId: string | null}};
		expect(error.code).toBe('IncorrectState');
		expect(error.requestId).toEqual(expect.any(String));
	});
});

describe('migrate and copy-image', () => {
	test("a migration refused before it started (another account's bucket, a bucket in another region) is not recorded", async () => {
		await harness.test.services.createBucket('cmd-flow-usw2', 'us-west-2');
		for (const [bucket, expected] of [
			['bundledeck-other-account-bucket', /belongs to another AWS account/],
			['cmd-flow-usw2', /cmd-flow-usw2 is in us-west-2, not in eu-west-1/],
		] as const) {
			const result = await harness.run(['migrate', bundle.bundleId, '--to-region', 'eu-west-1', '--to-bucket', bucket]);
			expect(result.code).toBe(1);
			expect(result.stderr).toMatch(expected);
		}

		expect(harness.history().get(bundle.bundleId)?.migrations ?? []).toEqual([]);
	});

	test('migrate copies the bundle, registers it, records it, and a second run skips what is there', async () => {
		const first = await harness.run([
			'migrate',
			bundle.bundleId,
			'--to-region',
			'eu-west-1',
			'--to-bucket',
			'cmd-flow-eu',
			'--register',
			'--name',
			'flow eu',
			'--json',
		]);
		expect(first.stderr).toBe('');
		expect(first.code).toBe(0);
		const json = JSON.parse(first.stdout) as {copied: number; imageId: string};
		expect(json).toEqual({
			bundleId: bundle.bundleId,
			sourceRegion: 'us-east-1',
			sourceManifestLocation: 'cmd-flow/flow/win.manifest.xml',
			destinationRegion: 'eu-west-1',
			destinationBucket: 'cmd-flow-eu',
			destinationManifestLocation: 'cmd-flow-eu/flow/win.manifest.xml',
			copied: expect.any(Number),
			skipped: 0,
			imageId: expect.stringMatching(/^ami-/),
		});
		expect(json.copied).toBeGreaterThan(1);
		const entry = harness.history().get(bundle.bundleId);
		expect(entry?.migrations).toEqual([
			expect.objectContaining({
				destinationRegion: 'eu-west-1',
				destinationManifestLocation: 'cmd-flow-eu/flow/win.manifest.xml',
				complete: true,
			}),
		]);
		expect(entry?.images).toContainEqual(expect.objectContaining({imageId: json.imageId, kind: 'migrated'}));

		const again = await harness.run([
			'migrate',
			bundle.bundleId,
			'--to-region',
			'eu-west-1',
			'--to-bucket',
			'cmd-flow-eu',
			'--json',
		]);
		expect(again.code).toBe(0);
		const second = JSON.parse(again.stdout) as {copied: number; skipped: number; imageId: string | null};
		expect(second.copied).toBe(0);
		expect(second.skipped).toBe(json.copied);
		expect(second.imageId).toBeNull();
	});

	test('interrupted migrate exits 130 saying how to resume; running it again finishes the job', async () => {
		const argv = ['migrate', bundle.bundleId, '--to-region', 'us-west-2', '--to-bucket', 'cmd-flow-west'];
		// Interrupted once copying has started: that is what history keeps as incomplete (resumable).
		const interrupted = await harness.runInterrupted(argv, ['CopyObject'], 'copying');
		expect(interrupted.code).toBe(130);
		expect(interrupted.stderr).toContain('run the same command again to resume');
		expect(harness.history().get(bundle.bundleId)?.migrations).toContainEqual(
			expect.objectContaining({destinationRegion: 'us-west-2', complete: false}),
		);

		const resumed = await harness.run(argv);
		expect(resumed.code).toBe(0);
		expect(resumed.stdout.trim()).toBe('cmd-flow-west/flow/win.manifest.xml');
		expect(harness.history().get(bundle.bundleId)?.migrations).toContainEqual(
			expect.objectContaining({destinationRegion: 'us-west-2', complete: true}),
		);
	});

	test('copy-image copies an AMI to another region and records the copy', async () => {
		const registered = await harness.run(['register', bundle.bundleId, '--name', 'to copy']);
		const sourceImageId = registered.stdout.trim();
		const result = await harness.run([
			'copy-image',
			sourceImageId,
			'--region',
			'us-east-1',
			'--to-region',
			'us-west-2',
			'--json',
		]);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout) as {imageId: string};
		expect(json).toEqual({
			imageId: expect.stringMatching(/^ami-/),
			region: 'us-west-2',
			name: 'to copy',
			sourceImageId,
			sourceRegion: 'us-east-1',
		});
		expect(harness.history().get(bundle.bundleId)?.images).toContainEqual(
			expect.objectContaining({imageId: json.imageId, kind: 'copied', sourceImageId, region: 'us-west-2'}),
		);
	});

	test('copy-image into the same region names the copy "<name> (copy)", then "(copy 2)", and copies it', async () => {
		const registered = await harness.run(['register', bundle.bundleId, '--name', 'same region']);
		expect(registered.code).toBe(0);
		const sourceImageId = registered.stdout.trim();
		const copy = async () => {
			const result = await harness.run(['copy-image', sourceImageId, '--to-region', 'us-east-1', '--json']);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
			return JSON.parse(result.stdout) as {imageId: string; name: string; region: string; sourceRegion: string};
		};

		const first = await copy();
		expect(first).toMatchObject({name: 'same region (copy)', region: 'us-east-1', sourceRegion: 'us-east-1'});
		const second = await copy();
		expect(second.name).toBe('same region (copy 2)');
		const images = await harness.test.services.describeImages('us-east-1', [first.imageId, second.imageId]);
		expect(images.map((image) => image.name).sort()).toEqual(['same region (copy 2)', 'same region (copy)']);
		expect(harness.history().get(bundle.bundleId)?.images).toContainEqual(
			expect.objectContaining({imageId: first.imageId, kind: 'copied', name: 'same region (copy)'}),
		);

		// --name still wins.
		const named = await harness.run([
			'copy-image',
			sourceImageId,
			'--to-region',
			'us-east-1',
			'--name',
			'my own name',
			'--json',
		]);
		expect(named.code).toBe(0);
		expect((JSON.parse(named.stdout) as {name: string}).name).toBe('my own name');
	});

	test('copy-image of an unknown AMI fails with exit 1', async () => {
		const result = await harness.run(['copy-image', 'ami-00000000', '--to-region', 'us-west-2']);
		expect(result.code).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});
});

describe('history', () => {
	test('--json lists what was started, registered and migrated', async () => {
		const result = await harness.run(['history', '--json']);
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout) as {entries: Array<{bundleId: string; images: unknown[]}>};
		const entry = json.entries.find((candidate) => candidate.bundleId === bundle.bundleId);
		expect(entry).toMatchObject({
			bundleId: bundle.bundleId,
			region: 'us-east-1',
			instanceId: bundle.instanceId,
			instanceName: expect.any(String),
			bucket: 'cmd-flow',
			prefix: 'flow/win',
			manifestLocation: 'cmd-flow/flow/win.manifest.xml',
			startedAt: bundle.startTime.toISOString(),
			lastState: 'complete',
			lastProgress: 100,
			error: null,
		});
		expect(entry?.images).toEqual(expect.arrayContaining([expect.objectContaining({sourceImageId: null})]));
	});

	test('text lists HISTORY, IMAGE and MIGRATION lines', async () => {
		const result = await harness.run(['history']);
		expect(result.code).toBe(0);
		const lines = result.stdout.trim().split('\n');
		expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^HISTORY\\t${bundle.bundleId}\\tus-east-1\\t`)));
		expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^IMAGE\\t${bundle.bundleId}\\tami-`)));
		expect(lines).toContainEqual(
			expect.stringMatching(
				new RegExp(`^MIGRATION\\t${bundle.bundleId}\\teu-west-1\\tcmd-flow-eu/flow/win.manifest.xml\\tcomplete`),
			),
		);
	});

	test('a corrupt history file is reported, set aside, and the command still works', async () => {
		const original = fs.readFileSync(harness.historyFile, 'utf8');
		fs.writeFileSync(harness.historyFile, '{"entries": [ this is not json');
		const result = await harness.run(['history', '--json']);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({entries: []});
		expect(result.stderr).toContain('warning');
		expect(result.stderr).toContain(harness.historyFile);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		const aside = fs.readdirSync(harness.dir).filter((name) => name.includes('.corrupt-'));
		expect(aside).toHaveLength(1);
		// Restore for the other tests of this file.
		fs.writeFileSync(harness.historyFile, original);
	});
});
