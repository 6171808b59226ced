/**
 * Issue 14 item 1: two bundles to one bucket/prefix overwrite each other's parts. A prefix an active task writes
 * (any region) is refused by the CLI, by the Services check the wizard uses, and by the sandbox's BundleInstance.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {type Harness, slowPace, startHarness} from '../commands/harness.js';
import {rejection} from '../helpers/rejection.js';

let harness: Harness;
let writer: string;

const bundleIntoSharedPrefix = (instanceId: string) => [
	'bundle',
	instanceId,
	'--bucket',
	'rel-shared',
	'--prefix',
	'p1',
	'--region',
	'us-west-2',
];

beforeAll(async () => {
	harness = await startHarness(slowPace);
	const [first] = await harness.eligibleInstances('us-west-2');
	const started = await harness.run(bundleIntoSharedPrefix(first!.id));
	expect(started.code, started.stderr).toBe(0);
	writer = started.stdout.trim();
});

afterAll(async () => {
	await harness.close();
});

describe('a prefix an active task writes', () => {
	test('Services.prefixTaken (the wizard check) refuses it from another region, naming the task', async () => {
		const error = await rejection(harness.test.services.prefixTaken('rel-shared', 'p1'));
		expect(error.code).toBe('PrefixInUse');
		expect(error.toLine()).toContain(writer);
		expect(error.toLine()).toContain('us-west-2');
		expect(await harness.test.services.prefixTaken('rel-shared', 'p2')).toBe(false);
	});

	test('the CLI refuses it, with and without --dry-run, and starts nothing', async () => {
		const [other] = await harness.eligibleInstances('us-west-2');
		const instances = await harness.eligibleInstances('us-west-2');
		const second = instances.find((instance) => instance.id !== other?.id && instance.state === 'running')!;
		for (const extra of [[], ['--dry-run']]) {
			const result = await harness.run([...bundleIntoSharedPrefix(second.id), ...extra]);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(writer);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
		}

		const tasks = await harness.test.services.describeBundleTasks('us-west-2');
		expect(tasks.filter((task) => task.bucket === 'rel-shared' && task.prefix === 'p1')).toHaveLength(1);
	});

	test("the sandbox's BundleInstance refuses it even when the client skips the check (any region)", async () => {
		const [instance] = await harness.eligibleInstances('us-east-1');
		const error = await rejection(
			harness.test.services.startBundle({
				region: 'us-east-1',
				instanceId: instance!.id,
				bucket: 'rel-shared',
				prefix: 'p1',
			}),
		);
		expect(error.code).toBe('InvalidParameterValue');
		expect(error.toLine()).toContain(writer);
		expect(await harness.test.services.describeBundleTasks('us-east-1')).toHaveLength(0);
	});
});
