import {describe, expect, test} from 'vitest';
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
