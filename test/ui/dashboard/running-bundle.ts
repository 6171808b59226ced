/** The dashboard on the sandbox with web02's bundle running and selected, slow enough to cancel (cancel and retry tests). */
import type {Instance} from '../../../source/core/types.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

export type RunningBundle = {env: TestServices; harness: DashboardHarness; bundleId: string; instance: Instance};

export async function dashboardWithRunningBundle(
	bucket: string,
	prefix: (instance: Instance) => string,
): Promise<RunningBundle> {
	// Slow: the task must still be running when the keys arrive.
	const env = await startTestServices({sandbox: {pace: {bytesPerSecond: 256 * 1024, stepDelayMs: 200}}});
	const instance = (await env.services.listInstances('us-east-1')).find(
		(candidate) => candidate.eligible && candidate.name === 'web02',
	);
	if (!instance) {
		await env.close();
		throw new Error('no eligible web02');
	}

	const {task} = await env.services.startBundle({
		region: 'us-east-1',
		instanceId: instance.id,
		bucket,
		prefix: prefix(instance),
	});
	const harness = renderDashboard({services: env.services, selectBundleId: task.bundleId});
	harness.history.recordBundle(task, instance.name);
	return {env, harness, bundleId: task.bundleId, instance};
}
