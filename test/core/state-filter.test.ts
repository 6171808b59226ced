/** `tasks --state`: one meaning over bundle tasks (AWS's lowercase states) and store tasks (InProgress, Completed...). */
import {expect, test} from 'vitest';
import {bundleTaskMatches, stateFilterOf, storeTaskMatches} from '../../source/core/state-filter.js';

test('complete, failed and in-progress name the same tasks of both kinds, in any case', () => {
	for (const text of ['complete', 'Completed', 'COMPLETE']) {
		const filter = stateFilterOf(text)!;
		expect(bundleTaskMatches(filter, {state: 'complete'}), text).toBe(true);
		expect(storeTaskMatches(filter, 'Completed'), text).toBe(true);
		expect(storeTaskMatches(filter, 'Failed'), text).toBe(false);
	}

	const failed = stateFilterOf('Failed')!;
	expect(bundleTaskMatches(failed, {state: 'failed', error: {code: 'Client.Cancelled'}})).toBe(true);
	expect(storeTaskMatches(failed, 'Failed')).toBe(true);
	for (const text of ['in-progress', 'InProgress']) {
		const working = stateFilterOf(text)!;
		expect(['pending', 'bundling', 'storing'].every((state) => bundleTaskMatches(working, {state} as never))).toBe(
			true,
		);
		expect(bundleTaskMatches(working, {state: 'complete'})).toBe(false);
		expect(storeTaskMatches(working, 'InProgress')).toBe(true);
	}
});

test('a bundle state or cancelled names bundle tasks only; an unknown state names nothing', () => {
	const cancelled = stateFilterOf('cancelled')!;
	expect(bundleTaskMatches(cancelled, {state: 'failed', error: {code: 'Client.Cancelled'}})).toBe(true);
	expect(bundleTaskMatches(cancelled, {state: 'failed', error: {code: 'Client.S3Error'}})).toBe(false);
	expect(storeTaskMatches(cancelled, 'Failed')).toBe(false);
	const storing = stateFilterOf('storing')!;
	expect(bundleTaskMatches(storing, {state: 'storing'})).toBe(true);
	expect(storeTaskMatches(storing, 'InProgress')).toBe(false);
	expect(stateFilterOf('sleeping')).toBeUndefined();
	expect(stateFilterOf('')).toBeUndefined();
});
