/**
 * The current time, read fresh at every render, and a render `intervalMs` after the last one when the time moved
 * on. The clock waits from the last render, whatever caused it (a poll's answer, a key): a dashboard whose poll
 * answers between two ticks draws one frame a second, not two close together. With `face` (what the screen shows
 * of the time), a tick that would not change it is skipped: no re-render, no redraw.
 */
import {type RefObject, useEffect, useReducer, useRef} from 'react';

/** Where the time and its ticks come from: the system clock, or one a test moves by hand. */
export type Clock = {
	now(): number;
	/** Calls `tick` once, `ms` from now, unless the returned cancel is called first. */
	after(ms: number, tick: () => void): () => void;
};

export const systemClock: Clock = {
	now: () => Date.now(),
	after(ms, tick) {
		const timer = setTimeout(tick, ms);
		return () => {
			clearTimeout(timer);
		};
	},
};

export function useNow(
	intervalMs: number,
	face?: RefObject<((now: number) => string) | undefined>,
	clock: Clock = systemClock,
): number {
	const [, tick] = useReducer((count: number) => count + 1, 0);
	const now = clock.now();
	const shown = useRef(now);
	shown.current = now;
	// After every render: the next tick is a whole interval after what was just drawn.
	useEffect(() => {
		let cancel: () => void;
		const wait = () => {
			cancel = clock.after(intervalMs, () => {
				const show = face?.current;
				if (show && show(clock.now()) === show(shown.current)) {
					wait();
					return;
				}

				tick();
			});
		};

		wait();
		return () => {
			cancel();
		};
	});
	return now;
}
