import {describe, expect, test} from 'vitest';
import type {BundleTask} from '../../../source/core/types.js';
import {type CancelAction, cancelReducer, initialCancelState} from '../../../source/ui/state/cancel-dialog-state.js';
import {enter, esc, key, run} from './keys.js';

const task = {bundleId: 'bun-1', region: 'us-east-1', state: 'cancelling'} as BundleTask;
const failure = {line: 'Throttling: slow down', code: 'Throttling'};
const cancel = (...actions: CancelAction[]) => run(cancelReducer, initialCancelState, ...actions);

describe('cancel dialog reducer', () => {
	test('y asks for one cancel; a second y in the same burst does not ask again', () => {
		const state = cancel(key('yy'));
		expect(state.call).toEqual({status: 'running', seq: 1});
		expect(state.seq).toBe(1);
		expect(state.intent).toBeUndefined();
	});

	test('n, esc, enter and q close without a call', () => {
		for (const action of [key('n'), esc, enter, key('q')]) {
			const state = cancel(action);
			expect(state.call).toBeUndefined();
			expect(state.intent).toEqual({type: 'close'});
		}
	});

	test('the answer hands the task to the dashboard; a late answer of another request is dropped', () => {
		const asked = cancel(key('y'));
		expect(cancelReducer(asked, {type: 'cancelled', seq: 7, task})).toBe(asked);
		expect(cancelReducer(asked, {type: 'cancelled', seq: 1, task}).intent).toEqual({type: 'cancelled', task});
	});

	test('a failure is shown, keys wait while running, and any key then closes', () => {
		const asked = cancel(key('y'));
		expect(cancelReducer(asked, esc)).toBe(asked);
		const failed = cancelReducer(asked, {type: 'failed', seq: 1, failure, aborted: false});
		expect(failed.call).toEqual({status: 'failed', failure});
		expect(cancelReducer(failed, key('x')).intent).toEqual({type: 'close'});
	});

	test('ctrl+c quits even while the call runs', () => {
		expect(cancel(key('y'), key('c', {ctrl: true})).intent).toEqual({type: 'quit'});
	});
});
