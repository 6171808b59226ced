import {describe, expect, test} from 'vitest';
import {parseCommandArgs} from '../../source/commands/args.js';
import {dashboardSpec} from '../../source/commands/dashboard-spec.js';
import {closestCommand, editDistance} from '../../source/commands/did-you-mean.js';

describe('did you mean', () => {
	test('counts a swap of two neighbours as one edit', () => {
		expect(editDistance('bundel', 'bundle')).toBe(1);
		expect(editDistance('hsitory', 'history')).toBe(1);
		expect(editDistance('tasks', 'tasks')).toBe(0);
		expect(editDistance('', 'wait')).toBe(4);
	});

	test('suggests the nearest name within two edits, the first word of a two-word command', () => {
		const names = ['bundle', 'store', 'restore', 'tasks', 'wait', 'sandbox status', 'sandbox'];
		expect(closestCommand('bundel', names)).toBe('bundle');
		expect(closestCommand('Tasks', names)).toBe('tasks');
		expect(closestCommand('restor', names)).toBe('restore');
		expect(closestCommand('sandbx', names)).toBe('sandbox');
		expect(closestCommand('frobnicate', names)).toBeUndefined();
	});
});

describe('a mistyped command with flags the dashboard does not take', () => {
	const names = ['bundle', 'tasks', 'history'];
	const parse = (argv: string[]) => () => parseCommandArgs(dashboardSpec, argv, {}, names);

	test('the unknown command is named (with its nearest), not the flag', () => {
		expect(parse(['taks', '--json'])).toThrow("unknown command 'taks' — did you mean 'tasks'?");
		expect(parse(['--bogus', 'histroy'])).toThrow("unknown command 'histroy' — did you mean 'history'?");
	});

	test("a flag's value is no command: an unknown flag alone is still named", () => {
		expect(parse(['--region', 'us-east-1', '--json'])).toThrow('unknown flag --json');
		expect(parse(['--json'])).toThrow('unknown flag --json');
	});
});
