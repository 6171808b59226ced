/** A dashboard on the in-process sandbox with one complete app01 bundle selected (the `m` dialog tests start here). */
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

export async function dashboardWithCompleteBundle(
	bucket: string,
	prefix: string,
	options: {maxAttempts?: number} = {},
): Promise<{env: TestServices; harness: DashboardHarness; bundleId: string}> {
	const env = await startTestServices(options);
	const instance = (await env.services.listInstances('us-east-1')).find(
		(candidate) => candidate.eligible && candidate.name === 'app01',
	);
	if (!instance) {
		throw new Error('no eligible app01');
	}

	const {task} = await env.services.startBundle({region: 'us-east-1', instanceId: instance.id, bucket, prefix});
	const harness = renderDashboard({services: env.services, selectBundleId: task.bundleId, columns: 120, rows: 30});
	harness.history.recordBundle(task, instance.name);
	await harness.waitForFrame(`${task.bundleId} · us-east-1 · Complete`, 30_000);
	return {env, harness, bundleId: task.bundleId};
}
