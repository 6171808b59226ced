/**
 * Store and restore rows after a restart (left alone in the issue 15 walk): they name the chain's instance by its Name
 * tag as bundle rows do (the id when no name was recorded), and a restore the previous run saw go from pending to
 * available keeps its elapsed time (restores recorded no end, so it read "—").
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {expect, test} from 'vitest';
import type {Image} from '../../../source/core/types.js';
import type {StoreChain} from '../../../source/core/work-model.js';
import {openHistory} from '../../../source/store/history.js';
import {storeChainsOf} from '../../../source/store/store-chains.js';
import {describeRow} from '../../../source/ui/components/row-description.js';
import {layoutColumns, TaskTable} from '../../../source/ui/components/task-table.js';
import {workDetailItems} from '../../../source/ui/components/work-detail.js';
import {elapsedMs, elapsedText} from '../../../source/ui/state/dashboard-format.js';
import type {DashboardRow} from '../../../source/ui/state/dashboard-rows.js';
import {currentRows, dashboardReducer, initialDashboardState} from '../../../source/ui/state/dashboard-state.js';
import {renderTui} from '../../helpers/render.js';
import {completedStoreTask, storeCycle} from './store-cycle.js';

const chain: StoreChain = {
	region: 'us-east-1',
	instanceId: 'i-0123456789abcdef0',
	instanceName: 'erp01',
	imageId: 'ami-0123456789abcdef0',
	name: 'erp01 nightly',
	bucket: 'stored',
	noReboot: false,
	startedAt: '2026-11-30T00:19:29.740Z',
	storeStartedAt: '2026-11-30T00:20:14.573Z',
};
const stored = completedStoreTask(chain);
const restoredId = 'ami-0fedcba9876543210';
const restored: Image = {
	imageId: restoredId,
	region: 'us-east-1',
	name: 'erp01 restored',
	description: undefined,
	state: 'available',
	imageLocation: undefined,
	architecture: 'x86_64',
	rootDeviceType: 'ebs',
	platform: 'windows',
	creationDate: new Date('2026-11-30T00:25:00.000Z'),
};

/** A history where `saved` was stored and restored; the previous run saw the restored AMI as `seen`, in order. */
function restartedRows(saved: StoreChain, seen: Image[]): DashboardRow[] {
	const history = openHistory({cwd: mkdtempSync(path.join(tmpdir(), 'bundledeck-restart-rows-')), name: 'history'});
	const chains = storeChainsOf(history);
	chains.save(saved);
	chains.addRestore(saved, {
		region: 'us-east-1',
		imageId: restoredId,
		name: restored.name,
		at: '2026-11-30T00:24:59.000Z',
		via: 'restore',
		bucket: saved.bucket,
	});
	for (const image of seen) {
		history.recordTask(image);
	}

	// A new run: the chains come from history; the first poll finds the store task complete and the AMI available.
	const cycle = storeCycle(Date.now(), [stored]);
	cycle.result.chains = chains.list();
	cycle.result.images = [restored];
	const state = dashboardReducer(
		initialDashboardState({watched: ['us-east-1'], history: [], selectedKey: undefined}),
		cycle,
	);
	return currentRows(state);
}

function tableText(rows: DashboardRow[], columns: number): string {
	const layout = layoutColumns(columns, false, 9, true);
	const ui = renderTui(<TaskTable rows={rows} selectedKey={undefined} columns={layout} now={Date.now()} />, {columns});
	const frame = ui.lastFrame();
	ui.unmount();
	return frame;
}

test('store and restore rows show the instance name the chain recorded, as bundle rows do', () => {
	const rows = restartedRows(chain, []);
	expect(rows.map((row) => `${row.kind} ${row.instanceName}`).sort()).toEqual(['restore erp01', 'store erp01']);
	for (const columns of [80, 200]) {
		const lines = tableText(rows, columns).split('\n').slice(1);
		const workLines = lines.filter((line) => /\b(store|restore) +ami-/.test(line));
		expect(workLines).toHaveLength(2);
		expect(workLines.every((line) => / ami-\S+ +erp01 /.test(line))).toBe(true);
		expect(lines.join('\n')).not.toMatch(/ i-0123/);
	}
});

test('the describe overlay and the detail pane name it too', () => {
	const rows = restartedRows(chain, []);
	for (const row of rows) {
		const described = describeRow(row, {}, undefined, Date.now());
		expect(described.find((entry) => entry.key === 'instance')?.label).toBe('erp01 (i-0123456789abcdef0)');
	}

	const store = rows.find((row) => row.kind === 'store');
	const source = workDetailItems(store!, store!.work!, {}, undefined, Date.now()).find((item) => item.id === 'source');
	expect(source?.text).toContain('from instance erp01 (i-0123456789abcdef0)');
});

test('a chain that recorded no name (an older history) shows the instance id', () => {
	const rows = restartedRows({...chain, instanceName: undefined}, []);
	expect(rows.map((row) => [row.instanceId, row.instanceName])).toEqual([
		[chain.instanceId, undefined],
		[chain.instanceId, undefined],
	]);
});

test('the name is kept in the history file and read back with the chain', () => {
	const history = openHistory({cwd: mkdtempSync(path.join(tmpdir(), 'bundledeck-restart-rows-')), name: 'history'});
	storeChainsOf(history).save(chain);
	// Saved again without it (a rerun that only knows the id): the recorded name stays
	storeChainsOf(history).save({...chain, instanceName: undefined, storeStartedAt: '2026-11-30T01:00:00.000Z'});
	expect(storeChainsOf(history).find(chain.region, chain.imageId)?.instanceName).toBe('erp01');
});

test('a restore seen pending, then available, keeps its elapsed time after a restart', () => {
	const rows = restartedRows(chain, [{...restored, state: 'pending'}, restored]);
	const restore = rows.find((row) => row.kind === 'restore');
	expect(restore?.work?.restore?.endedAt).toBeDefined();
	const end = Date.parse(restore?.work?.restore?.endedAt ?? '');
	expect(restore && elapsedMs(restore, Date.now())).toBe(end - (restored.creationDate?.getTime() ?? 0));
	expect(restore && elapsedText(restore, Date.now())).not.toBe('—');
});

test('a restore history first saw available still has no known end ("—")', () => {
	const rows = restartedRows(chain, [restored]);
	const restore = rows.find((row) => row.kind === 'restore');
	expect(restore && elapsedText(restore, Date.now())).toBe('—');
});
