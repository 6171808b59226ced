/**
 * The current time, refreshed every `intervalMs` (one timer, cleared on unmount). With `face` (what the screen
 * shows of the time), a tick that would not change it is skipped: no re-render, no redraw.
 */
import {type RefObject, useEffect, useRef, useState} from 'react';

/** Where the time and its ticks come from: the system clock, or one a test moves by hand. */
export type Clock = {
	now(): number;
	/** Calls `tick` every `ms` until the returned stop is called. */
	every(ms: number, tick: () => void): () => void;
};

export const systemClock: Clock = {
	now: () => Date.now(),
	every(ms, tick) {
		const timer = setInterval(tick, ms);
		return () => {
			clearInterval(timer);
		};
	},
};

export function useNow(
	intervalMs: number,
	face?: RefObject<((now: number) => string) | undefined>,
	clock: Clock = systemClock,
): number {
	const [now, setNow] = useState(() => clock.now());
	const shown = useRef(now);
	shown.current = now;
	useEffect(
		() =>
			clock.every(intervalMs, () => {
				const next = clock.now();
				const show = face?.current;
				if (show && show(next) === show(shown.current)) {
					return;
				}

				setNow(next);
			}),
		[intervalMs, face, clock],
	);
	return now;
}
