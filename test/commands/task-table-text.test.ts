/** The table `tasks` draws on a terminal: aligned, as wide as the terminal, state and progress never cut. */
import {describe, expect, test} from 'vitest';
import {bundleTableRow, storeTableRow, type TaskTableRow, taskTable} from '../../source/commands/task-table-text.js';
import {displayWidth} from '../../source/core/format.js';
import type {BundleTask} from '../../source/core/types.js';

const base: BundleTask = {
	bundleId: 'bun-0a1b2c3d',
	instanceId: 'i-0123456789abcdef0',
	region: 'ap-southeast-2',
	state: 'waiting-for-shutdown',
	progress: undefined,
	startTime: new Date('2026-11-29T19:14:00Z'),
	updateTime: new Date('2026-11-29T19:15:00Z'),
	bucket: 'bundledeck-amis-ap-southeast-2-production',
	prefix: 'app01-web-frontend-windows-2019-20261129-1914',
	error: undefined,
};

const rows: TaskTableRow[] = [
	bundleTableRow(base),
	bundleTableRow({...base, bundleId: 'bun-5e1f0c3a', region: 'us-east-1', state: 'storing', progress: 45}),
	storeTableRow({
		amiId: 'ami-0123456789abcdef0',
		region: 'eu-west-1',
		bucket: 'my-amis',
		objectKey: 'ami-0123456789abcdef0.bin',
		state: 'InProgress',
		progress: 7,
		startTime: undefined,
		failureReason: undefined,
	}),
];

describe('taskTable', () => {
	test('wide enough: every column, aligned under its header, no trailing spaces', () => {
		const lines = taskTable(rows, {width: 250, withRegion: true});
		expect(lines[0]).toMatch(/^KIND +ID +INSTANCE +REGION +STATE +PROGRESS +STARTED +LOCATION$/);
		expect(lines[1]).toContain(
			'bundledeck-amis-ap-southeast-2-production/app01-web-frontend-windows-2019-20261129-1914',
		);
		expect(lines[3]).toMatch(/^STORE +ami-0123456789abcdef0 +- +eu-west-1 +InProgress +7% +- +my-amis\//);
		const stateAt = lines[0]!.indexOf('STATE');
		for (const line of lines.slice(1)) {
			expect(line.slice(stateAt)).toMatch(/^(waiting-for-shutdown|storing|InProgress) /);
			expect(line).not.toMatch(/ $/);
		}

		// PROGRESS is right-aligned under its header.
		const progressEnd = lines[0]!.indexOf('PROGRESS') + 'PROGRESS'.length;
		expect(lines[2]!.slice(progressEnd - 3, progressEnd)).toBe('45%');
	});

	test.each([200, 120, 100, 80, 79, 60, 50, 40])('at %i columns: fits, and state and progress are whole', (width) => {
		const lines = taskTable(rows, {width, withRegion: true});
		for (const line of lines) {
			expect(displayWidth(line)).toBeLessThanOrEqual(width);
		}

		expect(lines[0]).toMatch(/STATE +PROGRESS/);
		expect(lines[1]).toMatch(/ waiting-for-shutdown +- ?/);
		expect(lines[2]).toMatch(/ storing +45%/);
		expect(lines[3]).toMatch(/ InProgress +7%/);
		if (width >= 60) {
			// Only when nothing else is left to give is the id cut.
			for (const [index, id] of ['bun-0a1b2c3d', 'bun-5e1f0c3a', 'ami-0123456789abcdef0'].entries()) {
				expect(lines[index + 1]).toContain(id);
			}
		}
	});

	test('at 80 columns the location is shortened in the middle before it goes, both ends kept', () => {
		const lines = taskTable(rows.slice(0, 2), {width: 79, withRegion: false});
		expect(lines[0]).toMatch(/LOCATION$/);
		expect(lines[1]).toMatch(/ bundledeck-amis-.*….*-1914$/);
	});

	test('text from AWS cannot move the cursor', () => {
		const [, line] = taskTable([{...rows[1]!, location: 'b/\u001B[2Jx'}], {width: 120, withRegion: false});
		expect(line).not.toContain('\u001B');
		expect(line).toContain('b/<ESC>[2Jx');
	});
});

test('a cancelled bundle task reads cancelled on a terminal, as in the dashboard (AWS lists it failed)', () => {
	const error = {code: 'Client.Cancelled', message: 'The bundle task was cancelled by the user.'};
	expect(bundleTableRow({...base, state: 'failed', error}).state).toBe('cancelled');
	expect(bundleTableRow({...base, state: 'failed', error: {code: 'Server.InternalError', message: 'x'}}).state).toBe(
		'failed',
	);
});
