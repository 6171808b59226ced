/**
 * What `D` offers and what its question says stays behind: an EBS-backed restored AMI keeps its snapshots, an
 * instance store-backed AMI registered from a bundle keeps its bundle in S3 (it has no snapshots).
 */
import {expect, test} from 'vitest';
import type {DashboardRow} from '../../../source/ui/state/dashboard-rows.js';
import {deregisterTarget} from '../../../source/ui/state/deregister-dialog-state.js';

const at = '2026-11-30T08:00:00.000Z';

test("a bundle's AMI: the newest registered here, and its bundle's parts are what stays", () => {
	const row = {
		region: 'us-east-1',
		bucket: 'walk-bundles',
		prefix: 'web01-20261130',
		state: 'complete',
		history: {
			images: [
				{imageId: 'ami-first', region: 'us-east-1', name: 'web01 a', kind: 'registered', at},
				{imageId: 'ami-eu', region: 'eu-west-1', name: 'web01 eu', kind: 'migrated', at},
				{imageId: 'ami-again', region: 'us-east-1', name: 'web01 b', kind: 'registered', at},
			],
		},
	} as unknown as DashboardRow;
	const target = deregisterTarget(row);
	expect(target).toMatchObject({region: 'us-east-1', imageId: 'ami-again', name: 'web01 b'});
	expect(target?.stays).toContain('s3://walk-bundles/web01-20261130.*');
	expect(target?.stays).not.toContain('snapshot');
});

test('a restored AMI: it is EBS-backed, its snapshots are what stays', () => {
	const row = {
		kind: 'restore',
		state: 'complete',
		work: {restore: {region: 'eu-west-1', imageId: 'ami-restored', name: 'erp01 restored'}},
	} as unknown as DashboardRow;
	expect(deregisterTarget(row)).toMatchObject({imageId: 'ami-restored', stays: expect.stringContaining('snapshots')});
});
