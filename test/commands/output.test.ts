import {describe, expect, test} from 'vitest';
import {expandTabs, fitFrame, taskJson, taskLine} from '../../source/commands/output.js';
import type {BundleTask} from '../../source/core/types.js';

const task: BundleTask = {
	bundleId: 'bun-c1a540a8',
	instanceId: 'i-0abc1234',
	region: 'eu-west-1',
	state: 'storing',
	progress: undefined,
	startTime: new Date('2026-11-26T10:00:00Z'),
	updateTime: new Date('2026-11-26T10:05:00Z'),
	bucket: 'my-amis',
	prefix: 'win/base',
	error: undefined,
};

describe('task output', () => {
	test('BUNDLE line: unknown progress is "-", region column only when asked', () => {
		expect(taskLine(task, false)).toBe(
			'BUNDLE\tbun-c1a540a8\ti-0abc1234\tmy-amis\twin/base\t2026-11-26T10:00:00.000Z\t2026-11-26T10:05:00.000Z\tstoring\t-',
		);
		expect(
			taskLine({...task, progress: 7}, true)
				.split('\t')
				.slice(-2),
		).toEqual(['7%', 'eu-west-1']);
	});

	test('JSON uses ISO dates and null for absent values', () => {
		expect(taskJson(task)).toEqual({
			kind: 'bundle',
			bundleId: 'bun-c1a540a8',
			region: 'eu-west-1',
			instanceId: 'i-0abc1234',
			state: 'storing',
			progress: null,
			bucket: 'my-amis',
			prefix: 'win/base',
			manifestLocation: 'my-amis/win/base.manifest.xml',
			startTime: '2026-11-26T10:00:00.000Z',
			updateTime: '2026-11-26T10:05:00.000Z',
			error: null,
		});
		expect(taskJson({...task, state: 'failed', error: {code: 'X', message: 'y'}}).error).toEqual({
			code: 'X',
			message: 'y',
		});
	});
});

describe('redraw frames', () => {
	test('tabs expand to 8-column stops', () => {
		expect(expandTabs('ab\tc\t\td')).toBe(`ab${' '.repeat(6)}c${' '.repeat(7)}${' '.repeat(8)}d`);
	});

	test('every line fits the width and the frame stays shorter than the terminal', () => {
		const lines = Array.from(
			{length: 50},
			(_, index) => `BUNDLE\tbun-${String(index).padStart(8, '0')}\t${'x'.repeat(200)}`,
		);
		const frame = fitFrame(lines, ['footer'], {columns: 60, rows: 10});
		expect(frame.length).toBeLessThan(10);
		expect(frame.at(-1)).toBe('footer');
		expect(frame.at(-2)).toContain('43 more');
		for (const line of frame) {
			expect(line.length).toBeLessThan(60);
			expect(line).not.toContain('\t');
		}
	});

	test('a short list is kept whole', () => {
		expect(fitFrame(['a', 'b'], ['f'], {columns: 80, rows: 24})).toEqual(['a', 'b', 'f']);
	});
});
