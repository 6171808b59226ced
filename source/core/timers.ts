/**
 * Every timer with a computed delay goes through here: Node fires a timer at once (with a warning) when its delay is
 * over 2^31-1 ms, negative or not a number, which turns a poll loop into a tight loop.
 */

/** The longest delay Node's timers honour (about 24.8 days). */
export const maxTimerDelayMs = 2 ** 31 - 1;

/** A delay Node honours: 0 to maxTimerDelayMs, whole milliseconds; NaN or negative is 0, too long is the maximum. */
export function clampDelay(ms: number): number {
	if (Number.isNaN(ms) || ms <= 0) {
		return 0;
	}

	return Math.min(maxTimerDelayMs, Math.round(ms));
}

/** setTimeout with the delay clamped. */
export function startTimer(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
	return setTimeout(callback, clampDelay(ms));
}

/** Resolves after the (clamped) delay; rejects with an AbortError, as node:timers/promises does, when the signal fires. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	const aborted = () =>
		Object.assign(new Error('The operation was aborted'), {name: 'AbortError', cause: signal?.reason});
	if (signal?.aborted) {
		throw aborted();
	}

	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(aborted());
		};

		const timer = startTimer(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, {once: true});
	});
}
