import {describe, expect, test} from 'vitest';
import type {BundleHistoryEntry} from '../../source/core/history.js';
import {
	activeStates,
	bundleStates,
	filterTasks,
	historyEntryToRow,
	isActiveState,
	isBundleState,
	isTerminalState,
	mergeTasksWithHistory,
	nextSortKey,
	parseProgress,
	sortTasks,
	stateLabel,
	stateShortLabel,
	stateTone,
	type TaskRow,
	type TaskState,
	taskSortKeys,
	taskStateLabel,
	taskStateShortLabel,
	taskStateTone,
	terminalStates,
} from '../../source/core/task-model.js';
import type {BundleTask} from '../../source/core/types.js';

function task(overrides: Partial<BundleTask> & Pick<BundleTask, 'bundleId'>): BundleTask {
	return {
		instanceId: 'i-1234abcd',
		region: 'us-east-1',
		state: 'bundling',
		progress: 10,
		startTime: new Date('2026-11-23T14:00:00Z'),
		updateTime: new Date('2026-11-23T14:05:00Z'),
		bucket: 'my-bucket',
		prefix: 'winami',
		error: undefined,
		...overrides,
	};
}

function entry(overrides: Partial<BundleHistoryEntry> & Pick<BundleHistoryEntry, 'bundleId'>): BundleHistoryEntry {
	return {
		kind: 'bundle',
		region: 'us-east-1',
		instanceId: 'i-1234abcd',
		instanceName: 'web01',
		bucket: 'my-bucket',
		prefix: 'web01-20261123-1402',
		startedAt: '2026-11-20T10:00:00.000Z',
		lastState: 'complete',
		lastProgress: 100,
		lastUpdate: '2026-11-20T11:00:00.000Z',
		error: undefined,
		images: [],
		migrations: [],
		...overrides,
	};
}

describe('states', () => {
	test('every state is either active or terminal, never both', () => {
		expect(bundleStates).toHaveLength(7);
		for (const state of bundleStates) {
			expect(isActiveState(state)).not.toBe(isTerminalState(state));
			expect(isBundleState(state)).toBe(true);
		}

		expect([...activeStates]).toEqual(['pending', 'waiting-for-shutdown', 'bundling', 'storing', 'cancelling']);
		expect([...terminalStates]).toEqual(['complete', 'failed']);
		expect(bundleStates.filter((state) => isActiveState(state))).toEqual([...activeStates]);
	});

	test('unknown is neither active nor terminal', () => {
		expect(isActiveState('unknown')).toBe(false);
		expect(isTerminalState('unknown')).toBe(false);
	});

	test.each([['cancelled'], ['Complete'], [''], [undefined], [3]])('isBundleState(%j) is false', (value) => {
		expect(isBundleState(value)).toBe(false);
	});

	test('every state has a distinct text label, a short label and a tone', () => {
		const all: TaskState[] = [...bundleStates, 'unknown'];
		const labels = all.map((state) => stateLabel(state));
		expect(new Set(labels).size).toBe(all.length);
		for (const state of all) {
			expect(stateLabel(state)).toMatch(/^[A-Z][a-z]/);
			expect(stateShortLabel(state).length).toBeLessThanOrEqual(10);
		}

		expect(stateLabel('waiting-for-shutdown')).toBe('Waiting for shutdown');
		expect(stateLabel('storing')).toBe('Storing in S3');
		expect(stateTone('complete')).toBe('success');
		expect(stateTone('failed')).toBe('failure');
		expect(stateTone('unknown')).toBe('muted');
		for (const state of activeStates) {
			expect(stateTone(state)).toBe('active');
		}
	});
});

describe('parseProgress', () => {
	test.each([
		['70%', 70],
		['0%', 0],
		['100%', 100],
		[' 5% ', 5],
		['5 %', 5],
	])('%j -> %s', (value, expected) => {
		expect(parseProgress(value)).toBe(expected);
	});

	test.each([
		[undefined],
		[null],
		[''],
		['70'],
		['%'],
		['7.5%'],
		['-5%'],
		['101%'],
		['1000%'],
		['abc'],
		['70%%'],
		[70],
		[{}],
	])('%j -> undefined', (value) => {
		expect(parseProgress(value)).toBeUndefined();
	});
});

describe('mergeTasksWithHistory', () => {
	const live = [
		task({bundleId: 'bun-aaaaaaaa', state: 'storing', progress: 40}),
		task({bundleId: 'bun-bbbbbbbb', region: 'eu-west-1', state: 'pending', progress: 0}),
	];
	const history = [
		entry({bundleId: 'bun-aaaaaaaa', instanceName: 'web01', lastState: 'bundling', lastProgress: 20}),
		entry({bundleId: 'bun-cccccccc', instanceName: 'db01'}),
		entry({bundleId: 'bun-dddddddd', region: 'ap-southeast-2'}),
		entry({bundleId: 'bun-eeeeeeee', lastState: undefined, lastProgress: undefined, lastUpdate: undefined}),
		// Same bundle id in another region is another task.
		entry({bundleId: 'bun-bbbbbbbb', region: 'us-east-1', instanceName: 'other'}),
	];

	test('live tasks win, history fills in what AWS no longer lists in watched regions', () => {
		const rows = mergeTasksWithHistory(live, history, ['us-east-1', 'eu-west-1']);
		expect(rows.map((row) => [row.key, row.fromHistory])).toEqual([
			['us-east-1/bun-aaaaaaaa', false],
			['eu-west-1/bun-bbbbbbbb', false],
			['us-east-1/bun-cccccccc', true],
			['us-east-1/bun-eeeeeeee', true],
			['us-east-1/bun-bbbbbbbb', true],
		]);
		const first = rows[0]!;
		expect(first.state).toBe('storing');
		expect(first.progress).toBe(40);
		expect(first.instanceName).toBe('web01');
		expect(rows[1]!.instanceName).toBeUndefined();
		const fromHistory = rows[2]!;
		expect(fromHistory).toMatchObject({state: 'complete', progress: 100, instanceName: 'db01'});
		expect(fromHistory.startTime.toISOString()).toBe('2026-11-20T10:00:00.000Z');
		expect(fromHistory.updateTime?.toISOString()).toBe('2026-11-20T11:00:00.000Z');
		expect(rows[3]).toMatchObject({state: 'unknown', progress: undefined, updateTime: undefined});
	});

	test('history-only rows can be limited by age, live rows never are', () => {
		const old = task({bundleId: 'bun-ffffffff', startTime: new Date('2020-01-01T00:00:00Z')});
		const rows = mergeTasksWithHistory([old], history, ['us-east-1'], {
			historySince: new Date('2026-11-21T00:00:00Z'),
		});
		expect(rows.map((row) => row.bundleId)).toEqual(['bun-ffffffff']);
	});

	test('duplicate live tasks appear once, and nothing is watched means only live rows', () => {
		const rows = mergeTasksWithHistory([live[0]!, live[0]!], history, []);
		expect(rows.map((row) => row.key)).toEqual(['us-east-1/bun-aaaaaaaa']);
	});

	test('a history entry with a corrupt date still gives a row', () => {
		const row = historyEntryToRow(entry({bundleId: 'bun-12345678', startedAt: 'garbage', lastUpdate: 'nope'}));
		expect(row.startTime.getTime()).toBe(0);
		expect(row.updateTime).toBeUndefined();
	});
});

describe('sortTasks', () => {
	const rows = [
		task({bundleId: 'bun-00000001', startTime: new Date('2026-11-23T10:00:00Z'), state: 'complete', progress: 100}),
		task({
			bundleId: 'bun-00000002',
			startTime: new Date('2026-11-23T12:00:00Z'),
			state: 'pending',
			progress: undefined,
			region: 'eu-west-1',
		}),
		task({
			bundleId: 'bun-00000003',
			startTime: new Date('2026-11-23T11:00:00Z'),
			state: 'storing',
			progress: 50,
			region: 'ap-southeast-2',
		}),
		task({bundleId: 'bun-00000004', startTime: new Date('2026-11-23T11:00:00Z'), state: 'failed', progress: 50}),
	];
	const ids = (list: BundleTask[]) => list.map((item) => item.bundleId.slice(-1));

	test('start time: newest first by default, ties by bundle id', () => {
		expect(ids(sortTasks(rows, 'start'))).toEqual(['2', '3', '4', '1']);
		expect(ids(sortTasks(rows, 'start', 'asc'))).toEqual(['1', '3', '4', '2']);
	});

	test('state follows the pipeline, finished last', () => {
		expect(ids(sortTasks(rows, 'state'))).toEqual(['2', '3', '1', '4']);
		expect(ids(sortTasks(rows, 'state', 'desc'))).toEqual(['4', '1', '3', '2']);
	});

	test('region alphabetical; ties newest first', () => {
		expect(ids(sortTasks(rows, 'region'))).toEqual(['3', '2', '4', '1']);
	});

	test('progress: furthest first, unknown progress last', () => {
		expect(ids(sortTasks(rows, 'progress'))).toEqual(['1', '3', '4', '2']);
		expect(ids(sortTasks(rows, 'progress', 'asc'))).toEqual(['2', '3', '4', '1']);
	});

	test('returns a copy', () => {
		const before = [...rows];
		sortTasks(rows, 'region');
		expect(rows).toEqual(before);
	});

	test('nextSortKey cycles through every key', () => {
		let key = taskSortKeys[0]!;
		const visited = [key];
		for (let i = 0; i < taskSortKeys.length; i++) {
			key = nextSortKey(key);
			visited.push(key);
		}

		expect(visited).toEqual([...taskSortKeys, taskSortKeys[0]]);
	});
});

describe('filterTasks', () => {
	const rows: TaskRow[] = mergeTasksWithHistory(
		[
			task({bundleId: 'bun-aaaaaaaa', state: 'storing', bucket: 'alpha-bucket', prefix: 'web01-x'}),
			task({bundleId: 'bun-bbbbbbbb', region: 'eu-west-1', instanceId: 'i-0123456789abcdef0', state: 'failed'}),
			task({
				bundleId: 'bun-cccccccc',
				region: 'ap-southeast-2',
				state: 'failed',
				error: {code: 'Client.Cancelled', message: 'The bundle task was cancelled by the user'},
			}),
		],
		[entry({bundleId: 'bun-aaaaaaaa', instanceName: 'WebServer'})],
		['us-east-1', 'eu-west-1'],
	);
	const ids = (list: TaskRow[]) => list.map((row) => row.bundleId);

	test.each([
		['', ['bun-aaaaaaaa', 'bun-bbbbbbbb', 'bun-cccccccc']],
		['   ', ['bun-aaaaaaaa', 'bun-bbbbbbbb', 'bun-cccccccc']],
		['BUN-A', ['bun-aaaaaaaa']],
		['abcdef0', ['bun-bbbbbbbb']],
		['alpha', ['bun-aaaaaaaa']],
		['web01', ['bun-aaaaaaaa']],
		['webserver', ['bun-aaaaaaaa']],
		['failed', ['bun-bbbbbbbb', 'bun-cccccccc']],
		// issue 15 #12: a cancelled task (failed with Client.Cancelled) is found as such.
		['cancelled', ['bun-cccccccc']],
		// issue 15 #17: the short region code the table shows finds the row.
		['euw1', ['bun-bbbbbbbb']],
		['apse2 cancelled', ['bun-cccccccc']],
		['storing in', ['bun-aaaaaaaa']],
		['eu-west', ['bun-bbbbbbbb']],
		['us-east-1 storing', ['bun-aaaaaaaa']],
		['us-east-1 failed', []],
		['use1', ['bun-aaaaaaaa']],
		['nothing-matches', []],
	])('%j', (query, expected) => {
		expect(ids(filterTasks(rows, query))).toEqual(expected);
	});

	test('the KIND column is searched too: a bundle, store or restore row is found by its kind', () => {
		const store = {...rows[0]!, bundleId: 'ami-0store', kind: 'store'};
		const restore = {...rows[1]!, bundleId: 'ami-0restore', kind: 'restore'};
		const all = [...rows, store, restore];
		expect(ids(filterTasks(all, 'store'))).toEqual(['ami-0store', 'ami-0restore']);
		expect(ids(filterTasks(all, 'restore'))).toEqual(['ami-0restore']);
		expect(ids(filterTasks(all, 'bundle'))).toEqual(['bun-aaaaaaaa', 'bun-bbbbbbbb', 'bun-cccccccc']);
	});
});

describe('cancelled tasks (issue 15 #12)', () => {
	test('a task failed with Client.Cancelled is labelled Cancelled and muted; another failure stays Failed', () => {
		const cancelled = task({bundleId: 'bun-1', state: 'failed', error: {code: 'Client.Cancelled', message: 'x'}});
		const failed = task({bundleId: 'bun-2', state: 'failed', error: {code: 'Client.S3Error', message: 'x'}});
		expect(taskStateLabel(cancelled)).toBe('Cancelled');
		expect(taskStateShortLabel(cancelled)).toBe('Cancelled');
		expect(taskStateTone(cancelled)).toBe('muted');
		expect(taskStateLabel(failed)).toBe('Failed');
		expect(taskStateTone(failed)).toBe('failure');
	});
});
