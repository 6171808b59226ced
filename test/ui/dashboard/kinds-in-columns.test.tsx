/**
 * Issue 13 leftovers: the header says "tasks" (it lists store and restore tasks too), the detail pane's title names
 * the phase the row's state column shows ('image 40%', not "Storing in S3"), and a restore row puts its object
 * under BUCKET/PREFIX and its AMI where AMIs go.
 */
import {describe, expect, test} from 'vitest';
import type {Image, Snapshot} from '../../../source/core/types.js';
import type {StoreChain} from '../../../source/core/work-model.js';
import {TaskDetail} from '../../../source/ui/components/task-detail.js';
import {layoutColumns, rowImageText, TaskTable} from '../../../source/ui/components/task-table.js';
import {
	type CycleResult,
	currentRows,
	dashboardReducer,
	initialDashboardState,
} from '../../../source/ui/state/dashboard-state.js';
import {renderTui} from '../../helpers/render.js';
import {manyTasksServices} from './fake-services.js';
import {renderDashboard} from './render-dashboard.js';

const at = Date.parse('2026-11-29T12:00:00Z');

function image(imageId: string, state: Image['state'], snapshotId: string): Image {
	return {
		imageId,
		region: 'us-east-1',
		name: `${imageId}-name`,
		description: undefined,
		state,
		imageLocation: undefined,
		architecture: 'x86_64',
		rootDeviceType: 'ebs',
		platform: 'windows',
		creationDate: new Date(at - 60_000),
		blockDevices: [{deviceName: '/dev/sda1', snapshotId, volumeSizeGiB: 30}],
	};
}

const snapshot: Snapshot = {
	snapshotId: 'snap-0000000000000001a',
	region: 'us-east-1',
	state: 'pending',
	progress: 40,
	volumeSizeGiB: 30,
	startTime: new Date(at - 60_000),
	description: undefined,
	stateMessage: undefined,
};

const chain: StoreChain = {
	region: 'us-east-1',
	instanceId: 'i-0abc0000000000001',
	imageId: 'ami-0000000000000000a',
	name: 'erp01-image',
	bucket: 'stored-images',
	noReboot: false,
	startedAt: new Date(at - 60_000).toISOString(),
	storeStartedAt: undefined,
	restores: [
		{
			region: 'us-east-1',
			imageId: 'ami-0000000000000000b',
			name: 'erp01-restored',
			at: new Date(at - 30_000).toISOString(),
			via: 'restore',
			bucket: 'stored-images',
		},
	],
};

function stateWith(images: Image[]) {
	const result: CycleResult = {
		at,
		outcomes: [{region: 'us-east-1', ok: true, tasks: []}],
		images,
		missingImages: [],
		stores: [{region: 'us-east-1', ok: true, tasks: []}],
		snapshots: [snapshot],
		chains: [chain],
		history: [],
		nextPollAt: at + 1000,
		failures: 0,
	};
	return dashboardReducer(initialDashboardState({watched: ['us-east-1'], history: [], selectedKey: undefined}), {
		type: 'cycle',
		result,
	});
}

describe('rows of both kinds', () => {
	test('the detail title names the phase the state column shows (image 40%), not "Storing in S3"', () => {
		const state = stateWith([
			image('ami-0000000000000000a', 'pending', 'snap-0000000000000001a'),
			image('ami-0000000000000000b', 'available', 'snap-0000000000000002a'),
		]);
		const row = currentRows(state).find((candidate) => candidate.kind === 'store');
		expect(row).toBeDefined();
		const columns = layoutColumns(120, false, 9, true);
		const table = renderTui(<TaskTable rows={[row!]} selectedKey={undefined} columns={columns} now={at} />, {
			columns: 120,
		});
		expect(table.lastFrame()).toContain('image 40%');
		table.unmount();
		const detail = renderTui(<TaskDetail row={row} images={state.images} now={at} width={120} height={10} />, {
			columns: 120,
		});
		const title = detail.lastFrame().split('\n')[1] ?? '';
		detail.unmount();
		expect(title).toContain('image 40%');
		expect(title).not.toContain('Storing');
	});

	test('a restore row: its object under BUCKET/PREFIX, the instance under INSTANCE, its AMI where AMIs go', () => {
		const state = stateWith([
			image('ami-0000000000000000a', 'available', 'snap-0000000000000001a'),
			image('ami-0000000000000000b', 'available', 'snap-0000000000000002a'),
		]);
		const restore = currentRows(state).find((candidate) => candidate.kind === 'restore');
		expect(restore).toMatchObject({
			instanceId: 'i-0abc0000000000001',
			bucket: 'stored-images',
			prefix: 'ami-0000000000000000a.bin',
		});
		// ink-testing-library draws 100 columns: there the AMI goes in the progress cell of a complete row
		const columns = layoutColumns(100, false, 9, true);
		const view = renderTui(<TaskTable rows={[restore!]} selectedKey={undefined} columns={columns} now={at} />, {
			columns: 100,
		});
		const [heading = '', line = ''] = view.lastFrame().split('\n');
		view.unmount();
		const under = (title: string) => line.slice(heading.indexOf(title)).split(/\s+/)[0];
		expect(under('INSTANCE')).toMatch(/^i-0abc/);
		expect(under('BUCKET/PREFIX')).toMatch(/^stored-images\/ami-/);
		expect(under('PROGRESS')).toMatch(/^ami-0/);
		expect(rowImageText(restore!)).toBe('ami-0000000000000000b');
	});
});

test('the dashboard header says "tasks" (it lists bundle, store and restore tasks)', async () => {
	const harness = renderDashboard({services: manyTasksServices([])});
	try {
		const frame = await harness.waitForFrame('No tasks in us-east-1');
		expect(frame.split('\n')[0]).toMatch(/^bundledeck · tasks · /);
	} finally {
		harness.cleanup();
	}
});
