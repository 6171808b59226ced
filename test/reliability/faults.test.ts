/**
 * The fault-and-crash suite's "faults": the whole command workflow (tasks, bundle --wait, register, migrate,
 * copy-image, history) run through a proxy that resets connections, answers 503 throttling, or adds latency on
 * every Nth request. Every command must still succeed through retries, and nothing may be lost or doubled: one
 * task per bundle, the history entry, an AMI registered from parts that verify, a complete migrated copy.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {fastPace, type Harness, startHarness} from '../commands/harness.js';
import {type LossyProxy, type ProxyFault, servicesThrough, startLossyProxy} from '../helpers/lossy-proxy.js';

let harness: Harness;
let proxy: LossyProxy;
const survived: string[] = [];
const runs: string[] = [];

beforeAll(async () => {
	proxy = await startLossyProxy(() => harness.test.sandbox.endpoint);
	harness = await startHarness({...fastPace, extraHostPorts: [proxy.port]});
	const direct = harness.test.services;
	harness.test.services = await servicesThrough(proxy, harness.test.sandbox);
	direct.close();
});

afterAll(async () => {
	proxy.setFault(undefined);
	await proxy.close();
	await harness.close();
	console.info(
		`faults: ${runs.length} command×fault runs, ${survived.length} survived, ${proxy.injected()} faults injected`,
	);
});

const faults: Array<[string, ProxyFault]> = [
	['connection reset on every 3rd request', {kind: 'reset', every: 3}],
	['503 throttling on every 3rd request', {kind: 'throttle', every: 3}],
	['150 ms latency on every 2nd request', {kind: 'latency', every: 2, latencyMs: 150}],
];

describe.each(faults.map(([name, fault], index) => ({name, fault, index})))('$name', ({name, fault, index}) => {
	const bucket = `rel-fault-${index}`;
	let bundleId = '';
	let imageId = '';

	async function run(command: string, argv: string[]): Promise<string> {
		proxy.setFault(fault);
		const before = proxy.injected();
		const result = await harness.run(argv);
		proxy.setFault(undefined);
		runs.push(`${command} / ${name}`);
		expect(result.stderr.split('\n').filter((line) => /\n\s+at /.test(line))).toEqual([]);
		expect({code: result.code, stderr: result.stderr}).toMatchObject({code: 0});
		survived.push(`${command} / ${name}`);
		// The command really met the fault (a run that dodged every fault proves nothing).
		expect(proxy.injected()).toBeGreaterThan(before);
		return result.stdout.trim();
	}

	test('tasks', async () => {
		await run('tasks', ['tasks', '--region', 'us-east-1']);
	});

	test('bundle --wait: one task, in history, complete', async () => {
		const instances = await harness.eligibleInstances('us-east-1');
		const instance = instances[index % instances.length]!;
		const out = await run('bundle', [
			'bundle',
			instance.id,
			'--bucket',
			bucket,
			'--prefix',
			'img',
			'--region',
			'us-east-1',
			'--wait',
			'--interval',
			'1s',
		]);
		bundleId = out.split('\n')[0]!;
		const tasks = await harness.test.services.describeBundleTasks('us-east-1');
		expect(tasks.filter((task) => task.bucket === bucket)).toHaveLength(1);
		expect(harness.history().get(bundleId)?.lastState).toBe('complete');
	});

	test('register: the parts verify and one AMI is recorded', async () => {
		imageId = await run('register', ['register', bundleId, '--name', `rel-fault-${index}`, '--region', 'us-east-1']);
		expect(imageId).toMatch(/^ami-/);
		expect(
			harness
				.history()
				.get(bundleId)
				?.images.map((image) => image.imageId),
		).toEqual([imageId]);
	});

	test('migrate: a complete copy in the other region', async () => {
		await run('migrate', ['migrate', bundleId, '--to-region', 'us-west-2', '--to-bucket', `${bucket}-west`]);
		const [migration] = harness.history().get(bundleId)?.migrations ?? [];
		expect(migration).toMatchObject({destinationRegion: 'us-west-2', complete: true});
	});

	test('copy-image: one copy', async () => {
		const copied = await run('copy-image', [
			'copy-image',
			imageId,
			'--region',
			'us-east-1',
			'--to-region',
			'eu-west-1',
			'--name',
			`rel-fault-${index}-eu`,
		]);
		expect(copied).toMatch(/ami-/);
		const images = await harness.test.services.describeImages('eu-west-1');
		expect(images.filter((image) => image.name === `rel-fault-${index}-eu`)).toHaveLength(1);
	});
});
