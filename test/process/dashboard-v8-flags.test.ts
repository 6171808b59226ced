/**
 * The dashboard's V8 settings (source/dashboard-v8-flags.ts): the flags it sets, that it leaves the user's own alone,
 * and that this Node honours each one set at run time.
 */
import {spawnSync} from 'node:child_process';
import {describe, expect, test} from 'vitest';
import {dashboardV8Flags} from '../../source/dashboard-v8-flags.js';

const both = ['--semi-space-growth-factor=1', '--interrupt-budget=675840'];

describe('dashboardV8Flags', () => {
	test('sets both when node was given neither kind', () => {
		expect(dashboardV8Flags([], undefined)).toEqual(both);
		expect(dashboardV8Flags(['--enable-source-maps'], '--max-old-space-size=512')).toEqual(both);
	});

	test("leaves the user's own semi-space or budget flags alone, on the command line or in NODE_OPTIONS", () => {
		expect(dashboardV8Flags(['--max-semi-space-size=8'], undefined)).toEqual(['--interrupt-budget=675840']);
		expect(dashboardV8Flags([], '--inspect --max_semi_space_size=4')).toEqual(['--interrupt-budget=675840']);
		expect(dashboardV8Flags([], '--interrupt-budget=1000')).toEqual(['--semi-space-growth-factor=1']);
		expect(dashboardV8Flags(['--semi-space-growth-factor=4', '--interrupt_budget=9'], undefined)).toEqual([]);
	});
});

/** Runs `program` in a child node with `flag` set at run time ('' for none); its stdout. */
function runWith(program: string, flag: string, nodeArgs: string[] = []): string {
	const result = spawnSync(process.execPath, [...nodeArgs, '-e', program, '--', flag], {
		encoding: 'utf8',
		env: {PATH: process.env['PATH']},
	});
	expect(result.stderr).toBe('');
	return result.stdout.trim();
}

const setFlag = "if (process.argv[1]) require('node:v8').setFlagsFromString(process.argv[1]);";

test('this Node keeps the young generation at its starting size when the flag is set at run time', () => {
	// Allocation with survivors, as a busy dashboard's: without the flag V8 grows the new space past its start.
	const program = `${setFlag}
		const kept = [];
		for (let i = 0; i < 2e6; i++) {
			const item = {i, text: 'x' + i, pair: [i, i + 1]};
			if (i % 10 === 0) kept.push(item);
			if (kept.length > 20000) kept.splice(0, 10000);
		}
		const space = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
		console.log(space.space_size);`;
	const small = Number(runWith(program, both[0]!));
	const grown = Number(runWith(program, ''));
	expect(small).toBeLessThanOrEqual(2 * 1024 * 1024);
	expect(grown).toBeGreaterThan(2 * small);
});

test('this Node waits longer before optimizing a function when the budget is set at run time', () => {
	// A function warmed as a poll warms its parser: optimized by default, not yet with ten times the budget. The
	// optimizing compiler runs on this thread here, so the answer does not depend on a background thread's timing.
	const program = `${setFlag}
		function work(x) { let sum = 0; for (let i = 0; i < 200; i++) sum += (i * x) % 7; return sum; }
		for (let call = 0; call < 60; call++) work(call);
		const optimized = 1 << 4;
		console.log((%GetOptimizationStatus(work) & optimized) !== 0);`;
	// TurboFan alone (newer Nodes also tier up through Maglev, on a budget of its own).
	const natives = ['--allow-natives-syntax', '--no-concurrent-recompilation', '--no-maglev'];
	expect(runWith(program, '', natives)).toBe('true');
	expect(runWith(program, both[1]!, natives)).toBe('false');
});
