/**
 * Issue 14 item 3: BundleInstance has no client token. When its answer is lost, the SDK's retry hears "already
 * being bundled"; bundledeck adopts the task the first call started (same bucket and prefix) instead of exiting 1
 * with no id and no history.
 */
import {afterAll, beforeAll, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import type {Services} from '../../source/core/services.js';
import {type Harness, slowPace, startHarness} from '../commands/harness.js';
import {type LossyProxy, startLossyProxy} from '../helpers/lossy-proxy.js';
import {rejection} from '../helpers/rejection.js';

let harness: Harness;
let proxy: LossyProxy;
let services: Services;

beforeAll(async () => {
	proxy = await startLossyProxy(() => harness.test.sandbox.endpoint);
	harness = await startHarness({...slowPace, extraHostPorts: [proxy.port]});
	services = await createServices({
		mode: 'sandbox',
		endpointUrl: proxy.endpoint,
		credentials: harness.test.sandbox.credentials,
		region: 'us-east-1',
		env: {},
	});
});

afterAll(async () => {
	services?.close();
	await proxy?.close();
	await harness?.close();
});

test('a lost BundleInstance answer: the retry adopts the task the first call started', async () => {
	const [instance] = await harness.eligibleInstances('us-east-1');
	proxy.loseNextAnswer('Action=BundleInstance');
	const started = await services.startBundle({
		region: 'us-east-1',
		instanceId: instance!.id,
		bucket: 'rel-lost',
		prefix: 'lost-1',
	});
	expect(proxy.lost()).toBe(1);
	expect(started.adopted).toBe(true);
	expect(started.task).toMatchObject({instanceId: instance!.id, bucket: 'rel-lost', prefix: 'lost-1'});
	const tasks = await services.describeBundleTasks('us-east-1');
	expect(tasks.map((task) => task.bundleId)).toEqual([started.task.bundleId]);
});

test('an instance already bundling elsewhere: the error names the other task and where it writes', async () => {
	const tasks = await services.describeBundleTasks('us-east-1');
	const running = tasks[0]!;
	const error = await rejection(
		services.startBundle({region: 'us-east-1', instanceId: running.instanceId, bucket: 'rel-lost', prefix: 'lost-2'}),
	);
	expect(error.code).toBe('BundlingInProgress');
	expect(error.toLine()).toContain(running.bundleId);
	expect(error.toLine()).toContain('s3://rel-lost/lost-1');
});
