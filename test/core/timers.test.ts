import {afterEach, describe, expect, test, vi} from 'vitest';
import {sleep} from '../../source/commands/abort.js';
import {clampDelay, maxTimerDelayMs, pause, startTimer} from '../../source/core/timers.js';

afterEach(() => {
	vi.useRealTimers();
});

describe('timer delays are clamped (issue 14 item 2)', () => {
	test('clampDelay keeps a delay Node honours', () => {
		expect(clampDelay(600 * 3_600_000)).toBe(maxTimerDelayMs);
		expect(clampDelay(Number.POSITIVE_INFINITY)).toBe(maxTimerDelayMs);
		expect(clampDelay(-5)).toBe(0);
		expect(clampDelay(Number.NaN)).toBe(0);
		expect(clampDelay(1500.4)).toBe(1500);
		expect(maxTimerDelayMs).toBe(2 ** 31 - 1);
	});

	// Node (and the fake clock, which copies it) fires a timer over 2^31-1 ms after 1 ms: a tight loop.
	test.each([
		['startTimer', (done: () => void) => startTimer(done, 600 * 3_600_000)],
		['pause', (done: () => void) => void pause(600 * 3_600_000).then(done)],
		['the commands’ sleep', (done: () => void) => void sleep(600 * 3_600_000, undefined).then(done)],
	])('%s with 600h does not fire at once', async (_name, start) => {
		vi.useFakeTimers();
		let fired = false;
		start(() => {
			fired = true;
		});
		await vi.advanceTimersByTimeAsync(60_000);
		expect(fired).toBe(false);
		await vi.advanceTimersByTimeAsync(maxTimerDelayMs);
		expect(fired).toBe(true);
	});
});
