/** Rows the dashboard derives from its state (issue 15 #12: a task being cancelled has no ETA). */
import {describe, expect, test} from 'vitest';
import type {BundleTask} from '../../../source/core/types.js';
import {buildRows} from '../../../source/ui/state/dashboard-rows.js';
import type {TrackedTask} from '../../../source/ui/state/dashboard-state.js';

function tracked(overrides: Partial<BundleTask> & Pick<BundleTask, 'bundleId'>): TrackedTask {
	const task: BundleTask = {
		instanceId: 'i-1234abcd',
		region: 'us-east-1',
		state: 'bundling',
		progress: 40,
		startTime: new Date('2026-11-23T14:00:00Z'),
		updateTime: new Date('2026-11-23T14:05:00Z'),
		bucket: 'my-bucket',
		prefix: 'winami',
		error: undefined,
		...overrides,
	};
	return {task, timeline: [{state: task.state, at: task.updateTime}]};
}

describe('ETA of a task being cancelled', () => {
	const live = {
		'us-east-1': {
			'us-east-1/bun-run': tracked({bundleId: 'bun-run'}),
			'us-east-1/bun-asked': tracked({bundleId: 'bun-asked'}),
			'us-east-1/bun-cancelling': tracked({bundleId: 'bun-cancelling', state: 'cancelling'}),
		},
	};
	const rows = buildRows(live, [], ['us-east-1'], {'us-east-1/bun-asked': true}, {});
	const eta = (id: string) => rows.find((row) => row.bundleId === id)?.eta;

	test('a running task has an estimator', () => {
		expect(eta('bun-run')).toBeDefined();
	});

	test('none while AWS reports cancelling, nor once the cancel is requested', () => {
		expect(eta('bun-cancelling')).toBeUndefined();
		expect(eta('bun-asked')).toBeUndefined();
	});
});
