/** The dashboard reducer with rows of the image -> S3 path: ended rows stop their clock, c says why not, restore names. */
import {describe, expect, test} from 'vitest';
import type {StoreTask} from '../../../source/core/types.js';
import {layoutColumns} from '../../../source/ui/components/task-table.js';
import {currentRows, dashboardReducer, initialDashboardState} from '../../../source/ui/state/dashboard-state.js';
import {freeRestoreName} from '../../../source/ui/state/restore-dialog-state.js';
import {storeCycle} from './store-cycle.js';

const task: StoreTask = {
	amiId: 'ami-0123456789abcdef0',
	region: 'us-east-1',
	bucket: 'stored',
	objectKey: 'ami-0123456789abcdef0.bin',
	state: 'Completed',
	progress: 100,
	startTime: new Date(1_000_000),
	failureReason: undefined,
};

describe('dashboard reducer: store rows', () => {
	test('a completed store task keeps the time the poll first saw it ended (its elapsed time stops growing)', () => {
		let state = initialDashboardState({watched: ['us-east-1'], history: [], selectedKey: undefined});
		state = dashboardReducer(state, storeCycle(1_900_000, [{...task, state: 'InProgress', progress: 60}]));
		state = dashboardReducer(state, storeCycle(2_000_000, [task]));
		state = dashboardReducer(state, storeCycle(2_600_000, [task]));
		const [row] = currentRows(state);
		expect(row).toMatchObject({kind: 'store', state: 'complete', bundleId: task.amiId});
		expect(row?.updateTime?.getTime()).toBe(2_000_000);
	});

	test('c on a running store row says AWS has no cancel for it; r on a complete one opens the restore dialog', () => {
		let state = initialDashboardState({watched: ['us-east-1'], history: [], selectedKey: undefined});
		const running = dashboardReducer(state, storeCycle(1_900_000, [{...task, state: 'InProgress', progress: 60}]));
		state = dashboardReducer(state, storeCycle(2_000_000, [task]));
		const cancelled = dashboardReducer(running, {type: 'open', kind: 'cancel'});
		expect(cancelled.dialog.kind).toBe('none');
		expect(cancelled.notice?.text).toMatch(/AWS has no cancel for store tasks/);
		const restoring = dashboardReducer(state, {type: 'open', kind: 'register'});
		expect(restoring.dialog).toEqual({kind: 'restore', key: `store:us-east-1/${task.amiId}`});
	});

	test('the restore name: the stored one when free, else the first free -restored[-N]', () => {
		expect(freeRestoreName('erp01', ['web01'])).toBe('erp01');
		expect(freeRestoreName('erp01', ['erp01'])).toBe('erp01-restored');
		expect(freeRestoreName('erp01', ['erp01', 'erp01-restored'])).toBe('erp01-restored-2');
	});
});

describe('table columns with both kinds', () => {
	test('KIND is kept at 80 columns, with and without the region column; BUNDLE stays for bundles only', () => {
		for (const multiRegion of [true, false]) {
			const columns = layoutColumns(80, multiRegion, 9, true);
			expect(columns.map((column) => column.id)).toEqual(
				expect.arrayContaining(['kind', 'bundle', 'state', 'progress']),
			);
			expect(columns.reduce((sum, column) => sum + column.width + 1, 1)).toBeLessThanOrEqual(80);
		}

		expect(layoutColumns(120, true, 9, false).map((column) => column.title)).toContain('BUNDLE');
		expect(layoutColumns(120, true, 9, false).map((column) => column.id)).not.toContain('kind');
		expect(layoutColumns(120, true, 9, true).find((column) => column.id === 'bundle')?.title).toBe('TASK');
	});
});
