import {describe, expect, test} from 'vitest';
import {
	initialRegionPickerState,
	type RegionPickerAction,
	regionPickerReducer,
} from '../../../source/ui/state/region-picker-state.js';
import {enter, esc, key, run} from './keys.js';

const failure = {line: 'UnauthorizedOperation: not allowed', code: 'UnauthorizedOperation'};
const start = initialRegionPickerState({watched: ['eu-west-1'], current: 'us-east-1'});
const pick = (...actions: RegionPickerAction[]) => run(regionPickerReducer, start, ...actions);
const loaded: RegionPickerAction = {type: 'regions-loaded', seq: 1, regions: ['us-west-2', 'us-east-1']};

describe('region picker reducer', () => {
	test('lists DescribeRegions plus the watched ones, sorted, the cursor on the first watched', () => {
		const state = pick(loaded);
		expect(state.regions).toEqual({status: 'ready', data: ['eu-west-1', 'us-east-1', 'us-west-2']});
		expect(state.cursor).toBe(0);
	});

	test('a burst "j j space" moves twice then toggles the region under the cursor', () => {
		const state = pick(loaded, key('jj '));
		expect(state.cursor).toBe(2);
		expect(state.chosen).toEqual(['eu-west-1', 'us-west-2']);
		expect(pick(loaded, key('jj '), enter).intent).toEqual({type: 'apply', regions: ['eu-west-1', 'us-west-2']});
	});

	test('a toggles all and then back to the current region; enter with none picked warns', () => {
		expect(pick(loaded, key('a')).chosen).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
		expect(pick(loaded, key('a'), key('a')).chosen).toEqual(['us-east-1']);
		const none = pick(loaded, key(' '), enter);
		expect(none.intent).toBeUndefined();
		expect(none.warning).toContain('at least one region');
	});

	test('a failed list offers r, which asks again with a new seq; the old answer is dropped', () => {
		const failed = pick({type: 'failed', seq: 1, failure, aborted: false});
		expect(failed.regions).toEqual({status: 'failed', failure});
		const retried = regionPickerReducer(failed, key('r'));
		expect(retried.regions).toEqual({status: 'loading', seq: 2});
		expect(regionPickerReducer(retried, loaded)).toBe(retried);
	});

	test('esc closes, ctrl+c quits', () => {
		expect(pick(esc).intent).toEqual({type: 'close'});
		expect(pick(key('c', {ctrl: true})).intent).toEqual({type: 'quit'});
	});
});
