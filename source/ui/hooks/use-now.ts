/**
 * The current time, refreshed every `intervalMs` (one timer, cleared on unmount). With `face` (what the screen
 * shows of the time), a tick that would not change it is skipped: no re-render, no redraw.
 */
import {type RefObject, useEffect, useRef, useState} from 'react';

export function useNow(intervalMs: number, face?: RefObject<((now: number) => string) | undefined>): number {
	const [now, setNow] = useState(() => Date.now());
	const shown = useRef(now);
	shown.current = now;
	useEffect(() => {
		const timer = setInterval(() => {
			const next = Date.now();
			const show = face?.current;
			if (show && show(next) === show(shown.current)) {
				return;
			}

			setNow(next);
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [intervalMs, face]);
	return now;
}
