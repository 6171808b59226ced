/**
 * Issue 15 (defect 15, found again in the walk): the first state the dashboard sees of a bundle another process
 * recorded (`bundledeck bundle`, a retry) is kept in history, so a restart still shows "Shutdown" in its timeline.
 */
import {afterEach, expect, test} from 'vitest';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let env: TestServices | undefined;
let harness: DashboardHarness | undefined;
afterEach(async () => {
	harness?.cleanup();
	await env?.close();
});

test('the first cycle that sees a task recorded elsewhere keeps its state as a phase', async () => {
	// The instance takes a minute to shut down: the task stays in waiting-for-shutdown for the whole test.
	env = await startTestServices({sandbox: {pace: {bytesPerSecond: 256 * 1024, stepDelayMs: 60_000}}});
	const services = env.services;
	harness = renderDashboard({services, config: {idleIntervalMs: 60_000, activeIntervalMs: 60_000}});
	await harness.waitForFrame('No tasks in');
	const instance = (await services.listInstances('us-east-1')).find((item) => item.eligible);
	const {task} = await services.startBundle({
		region: 'us-east-1',
		instanceId: instance?.id ?? '',
		bucket: 'cli-bucket',
		prefix: 'phases',
	});
	await waitFor(async () => {
		const [now] = await services.describeBundleTasks('us-east-1', [task.bundleId]);
		return now?.state === 'waiting-for-shutdown';
	});
	// What `bundledeck bundle` does after StartBundle: its snapshot is the pending one.
	harness.history.recordBundle(task, instance?.name);
	await harness.waitForFrame('Shutdown', 10_000);
	const states = harness.history.get(task.bundleId)?.phases?.map((phase) => phase.state);
	expect(states).toEqual(['pending', 'waiting-for-shutdown']);
});
