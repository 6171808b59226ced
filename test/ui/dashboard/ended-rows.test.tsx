/**
 * Issue 15 (the image -> S3 walk): an ended row's clock stops at its end and its words promise nothing more. The
 * store row's elapsed time stops when the poll saw it end (AWS gives no end time) and is not known ('—') for a task
 * already ended when first seen; a failed store task says no object was written; c on an ended row does not say "it
 * ends by itself"; a cancelling bundle's detail counts on like its table cell; the end survives a trip to the wizard.
 */
import {describe, expect, test} from 'vitest';
import {formatDuration} from '../../../source/core/format.js';
import type {StoreTask} from '../../../source/core/types.js';
import {TaskDetail} from '../../../source/ui/components/task-detail.js';
import {layoutColumns, TaskTable} from '../../../source/ui/components/task-table.js';
import {elapsedText} from '../../../source/ui/state/dashboard-format.js';
import type {DashboardRow} from '../../../source/ui/state/dashboard-rows.js';
import {
	currentRows,
	type DashboardState,
	dashboardReducer,
	initialDashboardState,
} from '../../../source/ui/state/dashboard-state.js';
import {renderTui} from '../../helpers/render.js';
import {dashboardRow} from './dashboard-row.js';
import {storeCycle} from './store-cycle.js';

const start = 1_000_000;
const running: StoreTask = {
	amiId: 'ami-0123456789abcdef0',
	region: 'us-east-1',
	bucket: 'stored',
	objectKey: 'ami-0123456789abcdef0.bin',
	state: 'InProgress',
	progress: 40,
	startTime: new Date(start),
	failureReason: undefined,
};
const completed: StoreTask = {...running, state: 'Completed', progress: 100};
const failed: StoreTask = {...running, state: 'Failed', failureReason: 'The specified bucket does not exist'};

/** The dashboard state after polls that saw the store task as given, one poll a minute from start + 1 min. */
function polled(...seen: StoreTask[][]): DashboardState {
	let state = initialDashboardState({watched: ['us-east-1'], history: [], selectedKey: undefined});
	for (const [index, tasks] of seen.entries()) {
		state = dashboardReducer(state, storeCycle(start + (index + 1) * 60_000, tasks));
	}

	return state;
}

function onlyRow(state: DashboardState): DashboardRow {
	const [row] = currentRows(state);
	expect(row).toBeDefined();
	return row!;
}

/** The detail pane at `now`, its lines without the rule. */
function detail(row: DashboardRow, now: number): string {
	const ui = renderTui(<TaskDetail row={row} images={{}} now={now} width={80} height={12} />);
	const frame = ui.lastFrame();
	ui.unmount();
	return frame;
}

function detailLine(row: DashboardRow, now: number, label: string): string {
	return (
		detail(row, now)
			.split('\n')
			.find((line) => line.startsWith(label)) ?? ''
	);
}

/** The table row at 100 columns (the test terminal's width) (ELAPSED shown). */
function tableLine(row: DashboardRow, now: number): string {
	const columns = layoutColumns(100, false, 9, true);
	expect(columns.map((column) => column.id)).toContain('elapsed');
	const ui = renderTui(<TaskTable rows={[row]} selectedKey={row.key} columns={columns} now={now} />, {columns: 100});
	const frame = ui.lastFrame();
	ui.unmount();
	return frame.split('\n')[1] ?? '';
}

const hour = 60 * 60_000;

describe('an ended store row: its elapsed time stops', () => {
	test('seen running, then complete: the detail pane and the table show the same elapsed time an hour later', () => {
		const row = onlyRow(polled([running], [completed]));
		expect(row.state).toBe('complete');
		// Ended between the first poll (start + 1 min) and the second (start + 2 min): it stops at the second
		const ran = formatDuration(2 * 60_000);
		const ended = start + 2 * 60_000;
		expect(detailLine(row, ended, 'elapsed')).toContain(`elapsed  ${ran}`);
		expect(detailLine(row, ended + hour, 'elapsed')).toContain(`elapsed  ${ran}`);
		expect(tableLine(row, ended + hour)).toContain(` ${ran} `);
		expect(elapsedText(row, ended + hour)).toBe(ran);
	});

	test('already complete when first seen: the end is not known, so no elapsed time is made up', () => {
		const state = polled([completed], [completed]);
		const row = onlyRow(state);
		expect(elapsedText(row, start + hour)).toBe('—');
		expect(detail(row, start + hour).replaceAll(/\s+/g, ' ')).toContain(
			'elapsed not known: it had ended when this dashboard first saw it (AWS gives no end time)',
		);
		expect(tableLine(row, start + hour)).not.toContain(formatDuration(2 * 60_000));
	});

	test('the end the poll saw is kept across a trip to the wizard (the dashboard mounts again)', () => {
		const state = polled([running], [completed]);
		const again = dashboardReducer(
			initialDashboardState({
				watched: ['us-east-1'],
				history: [],
				selectedKey: undefined,
				restored: {live: state.live, eta: state.eta, images: state.images, regions: state.regions, work: state.work},
			}),
			storeCycle(start + hour, [completed]),
		);
		expect(elapsedText(onlyRow(again), start + 2 * hour)).toBe(formatDuration(2 * 60_000));
	});

	test('a bundle being cancelled is still running: its detail counts on as the table does', () => {
		const row = dashboardRow({
			state: 'cancelling',
			progress: 30,
			startTime: new Date(start),
			updateTime: new Date(start + 60_000),
			eta: undefined,
		});
		const now = start + 10 * 60_000;
		expect(detailLine(row, now, 'elapsed')).toContain(`elapsed  ${formatDuration(10 * 60_000)}`);
		expect(tableLine(row, now)).toContain(formatDuration(10 * 60_000));
	});
});

describe('a failed store row promises nothing more', () => {
	test('size: no object was written (not "written when the task completes"); the reason is shown', () => {
		const row = onlyRow(polled([running], [failed]));
		const pane = detail(row, start + hour);
		expect(pane).not.toContain('when the task completes');
		expect(pane).toContain('size     no object was written: the store task failed');
		expect(pane).toContain('failed   The specified bucket does not exist');
		// Still running: the object is to come, and saying so is true
		expect(detail(onlyRow(polled([running])), start + hour)).toContain('size     written when the task completes');
	});

	test('c on an ended store row says only running tasks can be cancelled, not that it ends by itself', () => {
		for (const ended of [failed, completed]) {
			const state = dashboardReducer(polled([running], [ended]), {type: 'open', kind: 'cancel'});
			expect(state.notice?.text).toMatch(/is (Failed|Complete): only running tasks can be cancelled\.$/);
			expect(state.notice?.text).not.toContain('ends by itself');
		}

		const busy = dashboardReducer(polled([running]), {type: 'open', kind: 'cancel'});
		expect(busy.notice?.text).toMatch(/AWS has no cancel for store tasks/);
	});
});
