/**
 * The thin hooks of the screen pattern (see ui/state/remote.ts for how to build a screen or dialog): run the
 * requests a reducer's state asks for, carry out its intent, hand it the keys.
 */
import {type Key, useInput, useStdin} from 'ink';
import {useCallback, useEffect, useRef} from 'react';
import {type Failure, toFailure} from '../state/remote.js';

export type Outcome<T> = {ok: true; value: T} | {ok: false; failure: Failure; aborted: boolean};

/**
 * Runs `run(request)` once per request object (a new request has a new seq; the reducer keeps the object while it
 * waits) and hands the outcome to `answer`, tagged by the request so the reducer can drop late answers. A request
 * replaced or unmounted is aborted and its answer dropped; `stop` aborts the current one and still answers
 * (aborted: true), for a copy the user stops part-way.
 */
export function useRequest<R extends {seq: number}, T>(
	request: R | undefined,
	run: (request: R, signal: AbortSignal) => Promise<T>,
	answer: (request: R, outcome: Outcome<T>) => void,
	stop = false,
): void {
	const latest = useRef({run, answer});
	latest.current = {run, answer};
	const controller = useRef<AbortController | undefined>(undefined);
	useEffect(() => {
		if (!request) {
			return;
		}

		const abort = new AbortController();
		controller.current = abort;
		let live = true;
		latest.current.run(request, abort.signal).then(
			(value) => {
				if (live) {
					latest.current.answer(request, {ok: true, value});
				}
			},
			(error: unknown) => {
				if (live) {
					latest.current.answer(request, {ok: false, failure: toFailure(error), aborted: abort.signal.aborted});
				}
			},
		);
		return () => {
			live = false;
			abort.abort();
		};
	}, [request]);
	useEffect(() => {
		if (stop) {
			controller.current?.abort();
		}
	}, [stop]);
}

/** Carries out a reducer's intent once (then dispatches `done`, which clears it). */
export function useIntent<I>(intent: I | undefined, done: () => void, carryOut: (intent: I) => void): void {
	const latest = useRef({done, carryOut});
	latest.current = {done, carryOut};
	useEffect(() => {
		if (intent === undefined) {
			return;
		}

		latest.current.done();
		latest.current.carryOut(intent);
	}, [intent]);
}

/** Hands every key to the reducer (it splits bursts itself, see reduceKeys). */
export function useKeys(dispatch: (action: {type: 'key'; input: string; key: Key}) => void, isActive = true): void {
	const {isRawModeSupported} = useStdin();
	const onKey = useCallback(
		(input: string, key: Key) => {
			dispatch({type: 'key', input, key});
		},
		[dispatch],
	);
	useInput(onKey, {isActive: isActive && isRawModeSupported});
}
