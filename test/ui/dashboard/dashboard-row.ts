/** A dashboard row for tests: a complete bundle task of web01 in us-east-1, with any field overridden. */
import type {DashboardRow} from '../../../source/ui/state/dashboard-rows.js';

export function dashboardRow(overrides: Partial<DashboardRow> = {}): DashboardRow {
	return {
		key: 'us-east-1/bun-5a2c1f00',
		bundleId: 'bun-5a2c1f00',
		region: 'us-east-1',
		instanceId: 'i-038a1af8247b8b212',
		instanceName: 'web01',
		state: 'complete',
		progress: 100,
		startTime: new Date('2026-11-26T15:00:07Z'),
		updateTime: new Date('2026-11-26T15:01:02Z'),
		bucket: 'demo-bundles',
		prefix: 'web01-20261126-1500',
		error: undefined,
		fromHistory: false,
		cancelRequested: false,
		timeline: [],
		eta: undefined,
		history: undefined,
		...overrides,
	};
}
