/**
 * Rows the dashboard derives from its state (issue 15 #12: a task being cancelled has no ETA; #15: after a restart the
 * timeline keeps the phases observed before it).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import type {BundleTask} from '../../../source/core/types.js';
import {openHistory} from '../../../source/store/history.js';
import {timelineText} from '../../../source/ui/components/task-detail.js';
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

describe('timeline after a restart', () => {
	test('the phases seen by an earlier run come back from history; the new run adds what it sees', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-phases-'));
		try {
			const base = tracked({bundleId: 'bun-phases', state: 'pending', progress: undefined}).task;
			const clock = (time: string) => new Date(`2026-11-23T${time}Z`);
			const earlier = openHistory({cwd: dir, name: 'history'});
			earlier.recordBundle({...base, updateTime: clock('14:00:00')}, 'web01');
			earlier.recordTask({...base, state: 'bundling', progress: 10, updateTime: clock('14:00:05')});
			earlier.recordTask({...base, state: 'bundling', progress: 50, updateTime: clock('14:00:20')});
			earlier.recordTask({...base, state: 'storing', progress: 70, updateTime: clock('14:00:40')});

			// A new run: it first sees the task complete.
			const history = openHistory({cwd: dir, name: 'history'}).bundles();
			const done = tracked({bundleId: 'bun-phases', state: 'complete', progress: 100, updateTime: clock('14:01:00')});
			const live = {'us-east-1': {'us-east-1/bun-phases': done}};
			const [row] = buildRows(live, history, ['us-east-1'], {}, {});
			expect(row?.timeline.map((event) => event.state)).toEqual(['pending', 'bundling', 'storing', 'complete']);
			expect(timelineText(row!)).toMatch(/Bundling.*Storing.*Complete/);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
