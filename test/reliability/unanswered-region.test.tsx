/**
 * Issue 14 item 9: with an unreachable endpoint, history rows are not "Not listed by AWS any more" (AWS never
 * answered); once the region answered without the task, they are.
 */
import {expect, test} from 'vitest';
import type {BundleHistoryEntry} from '../../source/core/history.js';
import {TaskDetail} from '../../source/ui/components/task-detail.js';
import {buildRows} from '../../source/ui/state/dashboard-rows.js';
import {renderTui} from '../helpers/render.js';

const entry = {
	kind: 'bundle',
	bundleId: 'bun-5a2c1f00',
	region: 'us-east-1',
	instanceId: 'i-038a1af8247b8b212',
	instanceName: 'web01',
	bucket: 'demo-bundles',
	prefix: 'web01-20261126-1500',
	startedAt: '2026-11-26T15:00:07.000Z',
	lastState: 'bundling',
	lastProgress: 40,
	lastUpdate: '2026-11-26T15:01:02.000Z',
	error: undefined,
	images: [],
	migrations: [],
} as BundleHistoryEntry;

function detailFor(live: Parameters<typeof buildRows>[0]): string {
	const [row] = buildRows(live, [entry], ['us-east-1'], {}, {});
	const view = renderTui(<TaskDetail row={row} images={{}} now={Date.now()} width={80} height={12} />);
	const frame = view.lastFrame();
	view.unmount();
	return frame;
}

test('no answer for the region yet: says so, not "Not listed by AWS any more"', () => {
	const frame = detailFor({});
	expect(frame).toContain('No answer from AWS for us-east-1 yet');
	expect(frame).not.toContain('Not listed by AWS any more');
});

test('the region answered without the task: "Not listed by AWS any more"', () => {
	expect(detailFor({'us-east-1': {}})).toContain('Not listed by AWS any more');
});
