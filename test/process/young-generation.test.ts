/**
 * The dashboard keeps V8's young generation at its starting size (source/young-generation.ts): the flag it sets, when
 * it leaves the user's own sizing alone, and that this Node honours the flag set at run time.
 */
import {spawnSync} from 'node:child_process';
import {describe, expect, test} from 'vitest';
import {youngGenerationFlag} from '../../source/young-generation.js';

describe('youngGenerationFlag', () => {
	test('stops the growth when nothing sized the young generation', () => {
		expect(youngGenerationFlag([], undefined)).toBe('--semi-space-growth-factor=1');
		expect(youngGenerationFlag(['--enable-source-maps'], '--max-old-space-size=512')).toBe(
			'--semi-space-growth-factor=1',
		);
	});

	test("leaves the user's own semi-space flags alone, on the command line or in NODE_OPTIONS", () => {
		expect(youngGenerationFlag(['--max-semi-space-size=8'], undefined)).toBeUndefined();
		expect(youngGenerationFlag([], '--inspect --max_semi_space_size=4')).toBeUndefined();
		expect(youngGenerationFlag([], '--semi-space-growth-factor=4')).toBeUndefined();
	});
});

test('this Node keeps the young generation at its starting size when the flag is set at run time', () => {
	// Allocation with survivors, as a busy dashboard's: without the flag V8 grows the new space past its start.
	const program = `
		const v8 = require('node:v8');
		if (process.argv[1]) v8.setFlagsFromString(process.argv[1]);
		const kept = [];
		for (let i = 0; i < 2e6; i++) {
			const item = {i, text: 'x' + i, pair: [i, i + 1]};
			if (i % 10 === 0) kept.push(item);
			if (kept.length > 20000) kept.splice(0, 10000);
		}
		const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
		console.log(space.space_size);`;
	const newSpace = (flag: string) => {
		const result = spawnSync(process.execPath, ['-e', program, '--', flag], {
			encoding: 'utf8',
			env: {PATH: process.env['PATH']},
		});
		expect(result.stderr).toBe('');
		return Number(result.stdout);
	};

	const flag = youngGenerationFlag([], undefined)!;
	const small = newSpace(flag);
	const grown = newSpace('');
	expect(small).toBeLessThanOrEqual(2 * 1024 * 1024);
	expect(grown).toBeGreaterThan(2 * small);
});
