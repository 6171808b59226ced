import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {fastPace, type Harness, startHarness} from './harness.js';

let harness: Harness;

beforeAll(async () => {
	harness = await startHarness(fastPace);
});

afterAll(async () => {
	const secret = harness.test.sandbox.credentials.secretAccessKey;
	for (const output of harness.transcript) {
		expect(output).not.toContain(secret);
	}

	await harness.close();
});

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('bundle', () => {
	test('starts a task, prints its id, records it in history, and wait returns 0 once it completes', async () => {
		const [instance] = await harness.eligibleInstances('us-east-1');
		const started = await harness.run([
			'bundle',
			instance!.id,
			'--bucket',
			'cmd-bundle-a',
			'--prefix',
			'win-a',
			'--region',
			'us-east-1',
		]);
		expect(started.stderr).toBe('');
		expect(started.code).toBe(0);
		const bundleId = started.stdout.trim();
		expect(bundleId).toMatch(/^bun-[0-9a-f]{8,}$/);

		const entry = harness.history().get(bundleId);
		expect(entry).toMatchObject({
			bundleId,
			region: 'us-east-1',
			instanceId: instance!.id,
			instanceName: instance!.name,
			bucket: 'cmd-bundle-a',
			prefix: 'win-a',
		});
		expect(instance!.name).toBeTruthy();

		// The region comes from history: no --region here.
		const waited = await harness.run(['wait', bundleId, '--interval', '1s']);
		expect(waited.stderr).toBe('');
		expect(waited.code).toBe(0);
		const columns = waited.stdout.trim().split('\t');
		expect(columns).toEqual([
			'BUNDLE',
			bundleId,
			instance!.id,
			'cmd-bundle-a',
			'win-a',
			expect.stringMatching(isoDate),
			expect.stringMatching(isoDate),
			'complete',
			'100%',
		]);
		expect(harness.history().get(bundleId)?.lastState).toBe('complete');
	});

	test('--wait --json prints only the final task as JSON', async () => {
		const instances = await harness.eligibleInstances('us-west-2');
		const result = await harness.run([
			'bundle',
			instances[0]!.id,
			'--bucket=cmd-bundle-b',
			'--prefix=win-b',
			'--region',
			'us-west-2',
			'--wait',
			'--interval',
			'1s',
			'--json',
		]);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe('');
		const json = JSON.parse(result.stdout) as Record<string, unknown>;
		expect(json).toEqual({
			task: {
				kind: 'bundle',
				bundleId: expect.stringMatching(/^bun-/),
				region: 'us-west-2',
				instanceId: instances[0]!.id,
				state: 'complete',
				progress: 100,
				bucket: 'cmd-bundle-b',
				prefix: 'win-b',
				manifestLocation: 'cmd-bundle-b/win-b.manifest.xml',
				startTime: expect.stringMatching(isoDate),
				updateTime: expect.stringMatching(isoDate),
				error: null,
			},
			policyExpiry: expect.stringMatching(isoDate),
			temporaryCredentials: false,
			outcome: 'complete',
		});
	});

	test('--dry-run checks without starting a task', async () => {
		const [instance] = await harness.eligibleInstances('eu-west-1');
		const before = await harness.test.services.describeBundleTasks('eu-west-1');
		const result = await harness.run([
			'bundle',
			instance!.id,
			'--bucket',
			'cmd-dry',
			'--prefix',
			'dry',
			'--region',
			'eu-west-1',
			'--dry-run',
			'--json',
		]);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({
			dryRun: true,
			region: 'eu-west-1',
			instanceId: instance!.id,
			bucket: 'cmd-dry',
			prefix: 'dry',
			manifestLocation: 'cmd-dry/dry.manifest.xml',
		});
		const after = await harness.test.services.describeBundleTasks('eu-west-1');
		expect(after).toHaveLength(before.length);
	});

	test('an instance that cannot be bundled fails with one line and exit 1', async () => {
		const instances = await harness.test.services.listInstances('ap-southeast-2');
		const ineligible = instances.find((instance) => instance.rootDeviceType === 'ebs');
		const args = ['bundle', ineligible!.id, '--bucket', 'cmd-bad', '--prefix', 'bad', '--region', 'ap-southeast-2'];
		const result = await harness.run(args);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(/^bundledeck: /);
		expect(result.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);

		// With --json, stdout still carries a JSON document: the error.
		const json = await harness.run([...args, '--json']);
		expect(json.code).toBe(1);
		expect(JSON.parse(json.stdout)).toEqual({
			error: {
				code: 'InvalidInstanceType',
				message: json.stderr.trim().replace(/^bundledeck: /, ''),
				requestId: expect.any(String),
			},
		});
		const {error} = JSON.parse(json.stdout) as {error: {message: string; requestId: string}};
		expect(error.message).toContain(`(request id ${error.requestId})`);
	});

	test("another account's bucket, or a bucket in another region, is refused before BundleInstance", async () => {
		const [instance] = await harness.eligibleInstances('us-east-1');
		await harness.test.services.createBucket('cmd-elsewhere', 'eu-west-1');
		for (const [bucket, expected] of [
			['bundledeck-other-account-bucket', /belongs to another AWS account.*a bucket you own/],
			['cmd-elsewhere', /cmd-elsewhere is in eu-west-1, but the instance runs in us-east-1/],
		] as const) {
			harness.test.sandbox.clearRequestLog();
			const result = await harness.run([
				'bundle',
				instance!.id,
				'--bucket',
				bucket,
				'--prefix',
				'nope',
				'--region',
				'us-east-1',
			]);
			expect(result.code).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
			expect(result.stderr).toMatch(expected);
			expect(harness.test.sandbox.requestLog().some((entry) => entry.action === 'BundleInstance')).toBe(false);
		}
	});

	test('refuses to overwrite an existing bundle at the same prefix', async () => {
		const task = await harness.completedBundle('us-east-1', 'cmd-taken', 'taken');
		const [, instance] = await harness.eligibleInstances('us-east-1');
		const result = await harness.run([
			'bundle',
			instance!.id,
			'--bucket',
			task.bucket,
			'--prefix',
			task.prefix,
			'--region',
			'us-east-1',
		]);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('already exists');
		expect(result.stderr).toContain('--prefix');
	});
});

describe('usage errors (exit 2)', () => {
	test.each([
		[['bundle', 'i-0123456789abcdef0', '--prefix', 'p'], '--bucket'],
		[['bundle', 'i-0123456789abcdef0', '--bucket', 'b-bucket'], '--prefix'],
		[['bundle', '--bucket', 'b-bucket', '--prefix', 'p'], '<instance-id>'],
		[['bundle', 'i-0123456789abcdef0', '--bucket', 'Bad_Bucket', '--prefix', 'p'], '--bucket'],
		[['bundle', 'i-0123456789abcdef0', '--bucket', 'b-bucket', '--prefix', 'p', '--expiry', 'soon'], '--expiry'],
		[['bundle', 'i-0123456789abcdef0', '--bucket', 'b-bucket', '--prefix', 'p', '--frobnicate'], '--frobnicate'],
		[['bundle', 'i-0123456789abcdef0', '--bucket'], '--bucket'],
		[['bundle', 'i-0123456789abcdef0', '--bucket', 'b-bucket', '--prefix', 'p', '--json=yes'], '--json'],
		[['bundle', 'i-0123456789abcdef0', '--bucket', 'b-bucket', '--prefix', 'p', '--region', 'mars-1'], '--region'],
		[
			[
				'bundle',
				'i-0123456789abcdef0',
				'--bucket',
				'b-bucket',
				'--prefix',
				'p',
				'--region',
				'us-east-1',
				'--region',
				'us-west-2',
			],
			'--region',
		],
		[
			['bundle', 'i-0123456789abcdef0', 'i-0123456789abcdef1', '--bucket', 'b-bucket', '--prefix', 'p'],
			'i-0123456789abcdef1',
		],
		[['tasks', '--state', 'sleeping'], '--state'],
		[['tasks', '--all-regions', '--region', 'us-east-1'], '--all-regions'],
		[['wait', 'not-a-bundle'], 'neither a bundle id nor an AMI id'],
		// An AMI id is a store or restore task's: AWS cancels neither, and the line says so
		[['cancel', 'ami-0123456789abcdef0', '--yes'], 'AWS has no cancel for store or restore tasks'],
		[['wait', 'bun-0123abcd', '--timeout', '0s'], '--timeout'],
		[['register', 'bun-0123abcd'], '--name'],
		[['register', 'bun-0123abcd', '--name', 'x'], '--name'],
		[['register', 'bun-0123abcd', '--name', 'good name', '--architecture', 'arm64'], '--architecture'],
		[['register', 'just-a-bucket', '--name', 'good name'], '<manifest | bundle-id>'],
		[['migrate', 'bun-0123abcd', '--to-bucket', 'dest-bucket'], '--to-region'],
		[['migrate', 'bun-0123abcd', '--to-region', 'eu-west-1'], '--to-bucket'],
		[['migrate', 'bun-0123abcd', '--to-region', 'eu-west-1', '--to-bucket', 'dest-bucket', '--register'], '--name'],
		[['copy-image', 'ami-0123abcd'], '--to-region'],
		[['copy-image', 'nope', '--to-region', 'eu-west-1'], '<ami-id>'],
		[['cancel', 'bun-0123abcd'], '--yes'],
		// An AMI name must be 3 to 128 characters: each command that takes --name says so before any session.
		[['copy-image', 'ami-0123abcd', '--to-region', 'eu-west-1', '--name', 'x'], "--name 'x'"],
		[['restore', 'a-bucket/ami-0123abcd.bin', '--name', 'x'], "--name 'x'"],
		[['store', 'i-0123456789abcdef0', '--bucket', 'a-bucket', '--name', 'x'], "--name 'x'"],
		[
			['migrate', 'a-bucket/ami-0123abcd.bin', '--to-region', 'eu-west-1', '--to-bucket', 'b-bucket', '--name', 'x'],
			"--name 'x'",
		],
		[['history', 'extra'], 'extra'],
		[['tasks', '--sandbox-dir', '/tmp/x'], '--sandbox'],
	])('%j names %s', async (argv, flag) => {
		const sessionsBefore = harness.sessions.length;
		const result = await harness.run(argv);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain(flag);
		// Usage problems are caught before any AWS session is opened.
		expect(harness.sessions.length).toBe(sessionsBefore);
	});

	test('--json means no prompt even on a terminal', async () => {
		const result = await harness.run(['bundle', 'i-0123456789abcdef0', '--prefix', 'p', '--json'], {
			stdinIsTTY: true,
			answers: ['typed-bucket'],
		});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--bucket');
		expect(result.stderr).toContain('--json');
	});

	test('off a terminal the error says why nothing prompted', async () => {
		const result = await harness.run(['register', 'bun-0123abcd']);
		expect(result.stderr).toContain('stdin is not a terminal');
	});

	test('an unknown command exits 2', async () => {
		const result = await harness.run(['frobnicate']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain("unknown command 'frobnicate'");
	});
});

describe('prompts on a terminal', () => {
	test('asks for a missing value and uses the answer', async () => {
		const [instance] = await harness.eligibleInstances('eu-west-1');
		const result = await harness.run(
			['bundle', instance!.id, '--prefix', 'prompted', '--region', 'eu-west-1', '--dry-run'],
			{stdinIsTTY: true, answers: ['cmd-prompted']},
		);
		expect(result.code).toBe(0);
		expect(result.stderr).toContain('(--bucket)');
		expect(result.stdout).toContain('s3://cmd-prompted/prompted');
	});
});

describe('--help', () => {
	test.each(['bundle', 'tasks', 'wait', 'cancel', 'register', 'migrate', 'copy-image', 'history'])(
		'%s --help shows usage, flags and exit codes, and exits 0',
		async (name) => {
			const result = await harness.run([name, '--bogus', '--help']);
			expect(result.code).toBe(0);
			expect(result.stderr).toBe('');
			expect(result.stdout).toContain(`$ bundledeck ${name}`);
			expect(result.stdout).toContain('--json');
			expect(result.stdout).toContain('--region');
			expect(result.stdout).toContain('Exit codes');
			expect(result.stdout).toContain('130');
		},
	);
});
