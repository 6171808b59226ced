import {describe, expect, test} from 'vitest';
import {
	addEtaSample,
	type EtaSample,
	type EtaState,
	estimateEta,
	estimateFromBook,
	etaSampleFromTask,
	formatEta,
	initialEtaState,
	pruneEtaBook,
	updateEtaBook,
} from '../../source/core/eta.js';

const second = 1000;
const minute = 60 * second;

function feed(samples: Array<[number, number | undefined, string?]>, start: EtaState = initialEtaState): EtaState {
	let state = start;
	for (const [timeMs, progress, phase] of samples) {
		state = addEtaSample(state, {timeMs, progress, phase: phase ?? 'bundling'});
	}

	return state;
}

function remaining(state: EtaState, nowMs: number): number | undefined {
	const estimate = estimateEta(state, nowMs);
	return estimate.kind === 'estimate' ? estimate.remainingMs : undefined;
}

describe('estimateEta', () => {
	test('unknown until progress has increased twice', () => {
		expect(estimateEta(initialEtaState, 0)).toEqual({kind: 'unknown'});
		expect(estimateEta(feed([[0, 10]]), 0)).toEqual({kind: 'unknown'});
		expect(
			estimateEta(
				feed([
					[0, 10],
					[30 * second, 10],
				]),
				30 * second,
			),
		).toEqual({kind: 'unknown'});
		expect(
			estimateEta(
				feed([
					[0, 10],
					[minute, 20],
				]),
				minute,
			),
		).toEqual({kind: 'unknown'});
		const state = feed([
			[0, 10],
			[minute, 20],
			[2 * minute, 30],
		]);
		expect(estimateEta(state, 2 * minute)).toEqual({
			kind: 'estimate',
			remainingMs: 7 * minute,
			percentPerMinute: 10,
			overdue: false,
		});
	});

	test('the first value only anchors: a long-stale first sample does not distort the rate', () => {
		// First seen at 40% (reached long ago), then steady 1% per minute.
		const state = feed([
			[0, 40],
			[5 * second, 41],
			[65 * second, 42],
		]);
		expect(remaining(state, 65 * second)).toBe(58 * minute);
	});

	test('counts down between polls while progress is on pace', () => {
		const state = feed([
			[0, 10],
			[minute, 20],
			[2 * minute, 30],
		]);
		expect(remaining(state, 2 * minute + 30 * second)).toBe(6 * minute + 30 * second);
		expect(remaining(state, 8 * minute)).toBe(minute);
	});

	test('repeated samples at the same progress keep the time the value was first reached', () => {
		const state = feed([
			[0, 10],
			[minute, 20],
			[90 * second, 20],
			[2 * minute, 30],
			[150 * second, 30],
		]);
		expect(state.points.map((point) => point.timeMs)).toEqual([minute, 2 * minute]);
		expect(remaining(state, 2 * minute)).toBe(7 * minute);
	});

	test('fits the rate over the window by least squares', () => {
		const state = feed([
			[0, 0],
			[minute, 10],
			[2 * minute, 20],
			[2 * minute + 30 * second, 30],
		]);
		// Points after the anchor: (1 min, 10), (2 min, 20), (2.5 min, 30): slope 90/7 %/min, line reaches 100% at
		// 11/6 + 80/(90/7) min, i.e. 100/18 min after 2.5 min.
		const estimate = estimateEta(state, 2 * minute + 30 * second);
		expect(estimate.kind).toBe('estimate');
		if (estimate.kind === 'estimate') {
			expect(estimate.percentPerMinute).toBeCloseTo(90 / 7, 10);
			expect(estimate.remainingMs).toBe(Math.round((100 / 18) * minute));
			expect(estimate.overdue).toBe(false);
		}
	});

	test('a stall longer than expected falls back to the average rate including the stall', () => {
		const state = feed([
			[0, 10],
			[minute, 20],
			[2 * minute, 30],
		]);
		// Expected to finish at 9 min; at 10 min it is still at 30%: 10% since the anchor (1 min) over 9 min.
		const estimate = estimateEta(state, 10 * minute);
		expect(estimate).toMatchObject({kind: 'estimate', remainingMs: 63 * minute, overdue: true});
		expect(estimate.kind === 'estimate' && estimate.percentPerMinute).toBeCloseTo(10 / 9, 10);
		// Just before the expected finish it was still on pace.
		expect(estimateEta(state, 9 * minute - second)).toMatchObject({remainingMs: second, overdue: false});
	});

	test('progress going backwards restarts the estimator', () => {
		const running = feed([
			[0, 10],
			[minute, 20],
			[2 * minute, 30],
		]);
		const restarted = feed([[3 * minute, 5]], running);
		expect(restarted.points).toEqual([{timeMs: 3 * minute, progress: 5}]);
		expect(estimateEta(restarted, 3 * minute)).toEqual({kind: 'unknown'});
		const again = feed(
			[
				[4 * minute, 10],
				[5 * minute, 15],
			],
			restarted,
		);
		expect(remaining(again, 5 * minute)).toBe(17 * minute);
	});

	test('a phase change restarts the estimator even when progress keeps rising', () => {
		const bundling = feed([
			[0, 10],
			[minute, 20],
			[2 * minute, 30],
		]);
		const storing = feed([[3 * minute, 40, 'storing']], bundling);
		expect(storing.phase).toBe('storing');
		expect(storing.increments).toBe(0);
		expect(estimateEta(storing, 3 * minute)).toEqual({kind: 'unknown'});
	});

	test('100% means nothing remains', () => {
		const state = feed([
			[0, 90],
			[minute, 100],
		]);
		expect(remaining(state, 5 * minute)).toBe(0);
	});

	test('ignores undefined progress, non-finite values and samples older than the last change', () => {
		const state = feed([
			[0, 10],
			[minute, 20],
		]);
		expect(addEtaSample(state, {timeMs: 2 * minute, progress: undefined, phase: 'bundling'})).toBe(state);
		expect(addEtaSample(state, {timeMs: 2 * minute, progress: Number.NaN, phase: 'bundling'})).toBe(state);
		expect(addEtaSample(state, {timeMs: Number.NaN, progress: 50, phase: 'bundling'})).toBe(state);
		expect(addEtaSample(state, {timeMs: 30 * second, progress: 25, phase: 'bundling'})).toBe(state);
	});

	test('two values at the same instant keep the higher one without learning a rate', () => {
		const state = feed([
			[0, 10],
			[0, 15],
		]);
		expect(state.points).toEqual([{timeMs: 0, progress: 15}]);
		expect(state.increments).toBe(0);
	});

	test('never mutates the state it was given', () => {
		const start = feed([
			[0, 10],
			[minute, 20],
		]);
		const snapshot = structuredClone(start);
		feed(
			[
				[2 * minute, 30],
				[3 * minute, 5],
			],
			start,
		);
		expect(start).toEqual(snapshot);
	});

	test('window bounds the number of points kept', () => {
		let state = initialEtaState;
		for (let i = 0; i <= 50; i++) {
			state = addEtaSample(state, {timeMs: i * second, progress: i}, {window: 5});
		}

		expect(state.points).toHaveLength(5);
		expect(state.points[0]).toEqual({timeMs: 46 * second, progress: 46});
	});

	test('tracks a steady task polled every 5 s to within 5% of the true remaining time', () => {
		// True pace: 1% every 7 s; progress reported as an integer, polled every 5 s.
		const pace = 7 * second;
		let state = initialEtaState;
		const errors: number[] = [];
		for (let t = 0; t <= 600 * second; t += 5 * second) {
			const progress = Math.min(100, Math.floor(t / pace));
			state = addEtaSample(state, {timeMs: t, progress, phase: 'storing'});
			const estimate = estimateEta(state, t);
			if (t >= 60 * second && estimate.kind === 'estimate') {
				const truth = 100 * pace - t;
				errors.push(Math.abs(estimate.remainingMs - truth) / truth);
			}
		}

		expect(errors.length).toBeGreaterThan(90);
		expect(Math.max(...errors)).toBeLessThan(0.05);
	});
});

test('etaSampleFromTask uses the arrival time, the progress and the state as phase', () => {
	expect(etaSampleFromTask({state: 'storing', progress: 42}, 1234)).toEqual<EtaSample>({
		timeMs: 1234,
		progress: 42,
		phase: 'storing',
	});
});

test('formatEta', () => {
	expect(formatEta({kind: 'unknown'})).toBe('?');
	expect(formatEta({kind: 'estimate', remainingMs: 185 * second, percentPerMinute: 1, overdue: false})).toBe('3m 05s');
	expect(formatEta({kind: 'estimate', remainingMs: 185 * second, percentPerMinute: 1, overdue: true})).toBe('~3m 05s');
});

describe('EtaBook', () => {
	test('update, estimate and prune by key', () => {
		let book = {};
		book = updateEtaBook(book, 'us-east-1/bun-a', {timeMs: 0, progress: 10, phase: 'bundling'});
		book = updateEtaBook(book, 'us-east-1/bun-a', {timeMs: minute, progress: 20, phase: 'bundling'});
		book = updateEtaBook(book, 'us-east-1/bun-a', {timeMs: 2 * minute, progress: 30, phase: 'bundling'});
		book = updateEtaBook(book, 'eu-west-1/bun-b', {timeMs: 0, progress: 0, phase: 'pending'});
		expect(Object.keys(book).sort()).toEqual(['eu-west-1/bun-b', 'us-east-1/bun-a']);
		const estimate = estimateFromBook(book, 'us-east-1/bun-a', 2 * minute);
		expect(estimate.kind === 'estimate' && estimate.remainingMs).toBe(7 * minute);
		expect(estimateFromBook(book, 'nope', 0)).toEqual({kind: 'unknown'});

		const same = updateEtaBook(book, 'us-east-1/bun-a', {timeMs: 3 * minute, progress: 30, phase: 'bundling'});
		expect(same).toBe(book);

		const pruned = pruneEtaBook(book, ['us-east-1/bun-a']);
		expect(Object.keys(pruned)).toEqual(['us-east-1/bun-a']);
		expect(pruneEtaBook(pruned, ['us-east-1/bun-a', 'other'])).toBe(pruned);
	});
});
