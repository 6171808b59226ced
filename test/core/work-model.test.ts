import {describe, expect, test} from 'vitest';
import type {Image, Snapshot, StoreTask} from '../../source/core/types.js';
import {
	bundleWork,
	chainStatus,
	chainWork,
	etaSampleOfWork,
	imageWork,
	type StoreChain,
	snapshotsProgress,
	storeWork,
} from '../../source/core/work-model.js';

const image = (state: Image['state']): Image => ({
	imageId: 'ami-0123456789abcdef0',
	region: 'us-east-1',
	name: 'erp01',
	description: undefined,
	state,
	imageLocation: undefined,
	architecture: 'x86_64',
	rootDeviceType: 'ebs',
	platform: 'windows',
	creationDate: new Date('2026-11-01T00:00:00Z'),
	blockDevices: [
		{deviceName: '/dev/sda1', snapshotId: 'snap-00000001', volumeSizeGiB: 30},
		{deviceName: 'xvdb', snapshotId: 'snap-00000002', volumeSizeGiB: 90},
	],
});

const snapshot = (id: string, state: Snapshot['state'], progress: number, size: number): Snapshot => ({
	snapshotId: id,
	region: 'us-east-1',
	state,
	progress,
	volumeSizeGiB: size,
	startTime: undefined,
	description: undefined,
	stateMessage: undefined,
});

const storeTask = (state: StoreTask['state'], progress: number): StoreTask => ({
	amiId: 'ami-0123456789abcdef0',
	region: 'us-east-1',
	bucket: 'images',
	objectKey: 'ami-0123456789abcdef0.bin',
	state,
	progress,
	startTime: new Date('2026-11-01T00:05:00Z'),
	failureReason: state === 'Failed' ? 'snapshot deleted' : undefined,
});

const chain: StoreChain = {
	region: 'us-east-1',
	instanceId: 'i-0123456789abcdef0',
	imageId: 'ami-0123456789abcdef0',
	name: 'erp01',
	bucket: 'images',
	noReboot: false,
	startedAt: '2026-11-01T00:00:00.000Z',
	storeStartedAt: undefined,
};

describe('work model', () => {
	test('image progress weighs snapshots by volume size and stays below 100 until available', () => {
		const snapshots = [snapshot('snap-00000001', 'completed', 100, 30), snapshot('snap-00000002', 'pending', 20, 90)];
		expect(snapshotsProgress(image('pending'), snapshots)).toBe(40);
		expect(
			snapshotsProgress(image('pending'), [
				snapshot('snap-00000001', 'completed', 100, 30),
				snapshot('snap-00000002', 'completed', 100, 90),
			]),
		).toBe(99);
		expect(snapshotsProgress(image('available'), [])).toBe(100);
		expect(snapshotsProgress(image('pending'), [])).toBeUndefined();
	});

	test('every kind maps onto one state vocabulary', () => {
		expect(storeWork(storeTask('InProgress', 12)).state).toBe('active');
		expect(storeWork(storeTask('Failed', 12))).toMatchObject({state: 'failed', error: 'snapshot deleted'});
		expect(imageWork('restore', image('available'), [], {source: 'images/x.bin'})).toMatchObject({
			kind: 'restore',
			state: 'complete',
			progress: 100,
		});
		expect(imageWork('image', image('failed'), [], {source: 'i-1'}).state).toBe('failed');
		expect(
			bundleWork({
				bundleId: 'bun-c1a540a8',
				instanceId: 'i-1',
				region: 'us-east-1',
				state: 'bundling',
				progress: 30,
				startTime: new Date(0),
				updateTime: new Date(0),
				bucket: 'b',
				prefix: 'p',
				error: undefined,
			}),
		).toMatchObject({kind: 'bundle', state: 'active', phaseLabel: 'Bundling', progress: 30});
	});

	test('an image -> store chain moves image 40% -> store 0% (start it) -> store 12% -> complete as one row', () => {
		const snapshots = [snapshot('snap-00000001', 'completed', 100, 30), snapshot('snap-00000002', 'pending', 20, 90)];
		const imaging = chainStatus(chain, image('pending'), snapshots, undefined);
		expect(imaging).toMatchObject({phase: 'image', label: 'image 40%', next: 'wait-image'});
		expect(chainStatus(chain, image('available'), [], undefined)).toMatchObject({phase: 'store', next: 'start-store'});
		const started = {...chain, storeStartedAt: '2026-11-01T00:05:00.000Z'};
		const storing = chainStatus(started, image('available'), [], storeTask('InProgress', 12));
		expect(storing).toMatchObject({phase: 'store', label: 'store 12%', next: 'wait-store'});
		expect(chainStatus(started, image('available'), [], storeTask('Completed', 100)).phase).toBe('complete');
		expect(chainStatus(started, image('available'), [], storeTask('Failed', 40))).toMatchObject({
			phase: 'failed',
			failedIn: 'store',
		});
		expect(chainStatus(chain, undefined, [], undefined)).toMatchObject({phase: 'failed', failedIn: 'image'});

		// One row key for every phase; the ETA restarts when the phase changes
		const rows = [imaging, storing].map((status) => chainWork(started, status));
		expect(new Set(rows.map((row) => row.key)).size).toBe(1);
		expect(rows.map((row) => etaSampleOfWork(row, 0).phase)).toEqual(['store:image', 'store:store']);
	});
});
