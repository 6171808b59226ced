/** The dashboard skips clock ticks that change nothing it shows (issue 16): what counts as a change. */
import {describe, expect, test} from 'vitest';
import type {StatusLineProps} from '../../../source/ui/components/status-line.js';
import {clockFace} from '../../../source/ui/state/clock-face.js';
import type {DashboardRow} from '../../../source/ui/state/dashboard-rows.js';
import {dashboardRow} from './dashboard-row.js';

const start = Date.parse('2026-11-26T15:00:00Z');

function row(overrides: Partial<DashboardRow> = {}): DashboardRow {
	return dashboardRow({startTime: new Date(start), updateTime: new Date(start + 60_000), ...overrides});
}

const status: StatusLineProps = {
	watched: ['us-east-1'],
	regions: {},
	loaded: true,
	lastCycleAt: start,
	nextPollAt: undefined,
	now: start,
	summary: '1 task',
};

const later = start + 10 * 60_000;
const face = (rows: DashboardRow[], time: number, extra: Partial<StatusLineProps> = {}) =>
	clockFace({rows, status: {...status, ...extra}, notice: undefined}, time);

describe('clockFace', () => {
	test('a finished task updated minutes ago looks the same a second later: the tick is skipped', () => {
		expect(face([row()], later + 1000)).toBe(face([row()], later));
	});

	test('the minute its age rolls over, it differs', () => {
		const rollover = start + 60_000 + 10 * 60_000;
		expect(face([row()], rollover)).not.toBe(face([row()], rollover - 1000));
	});

	test('an active task counts seconds: every tick differs', () => {
		const active = row({state: 'bundling', progress: 40, updateTime: new Date(later - 5000)});
		expect(face([active], later + 1000)).not.toBe(face([active], later));
	});

	test('a retry countdown and a notice about to expire count too', () => {
		expect(face([], later + 1000, {nextPollAt: later + 5000, regions: {'us-east-1': {error: 'x'}} as never})).not.toBe(
			face([], later, {nextPollAt: later + 5000, regions: {'us-east-1': {error: 'x'}} as never}),
		);
		const notice = {shownAt: later - 4500, lifetimeMs: 5000};
		expect(clockFace({rows: [], status, notice}, later + 1000)).not.toBe(clockFace({rows: [], status, notice}, later));
	});
});
