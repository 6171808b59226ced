/**
 * useInput with a stable subscription that always runs the handler of the latest render. Ink re-subscribes when
 * the handler changes, in an effect: a key arriving between a render and that effect would otherwise reach the
 * previous render's handler (stale lists, stale cursor). The ref is updated during render, so it never lags.
 */
import {type Key, useInput} from 'ink';
import {useCallback, useRef} from 'react';

export function useStableInput(handler: (input: string, key: Key) => void, options: {isActive?: boolean} = {}): void {
	const latest = useRef(handler);
	latest.current = handler;
	const stable = useCallback((input: string, key: Key) => {
		latest.current(input, key);
	}, []);
	useInput(stable, options);
}
