/**
 * The thin hooks of the screen pattern (see ui/state/remote.ts for how to build a screen or dialog): run the
 * requests a reducer's state asks for, carry out its intent, hand it the keys.
 */
import {type Key, useInput, useStdin} from 'ink';
import {useCallback, useEffect, useRef} from 'react';
import {type RequestFailed, toFailure} from '../state/remote.js';

/**
 * Runs `run(request)` once per request object (a new request has a new seq; the reducer keeps the object while it
 * waits) and dispatches `answered(value, seq)`, or `{type: 'failed', seq, failure, aborted}`: the reducer drops an
 * answer whose seq no longer matches. A request replaced or unmounted is aborted and its answer dropped; `stop`
 * aborts the current one and still answers (aborted: true), for a copy the user stops part-way.
 */
export function useRequest<R extends {seq: number}, T, A>(
	request: R | undefined,
	run: (request: R, signal: AbortSignal) => Promise<T>,
	dispatch: (action: A | RequestFailed) => void,
	answered: (value: T, seq: number) => A,
	stop = false,
): void {
	const latest = useRef({run, dispatch, answered});
	latest.current = {run, dispatch, answered};
	const controller = useRef<AbortController | undefined>(undefined);
	useEffect(() => {
		if (!request) {
			return;
		}

		const abort = new AbortController();
		controller.current = abort;
		let live = true;
		const {seq} = request;
		latest.current.run(request, abort.signal).then(
			(value) => {
				if (live) {
					latest.current.dispatch(latest.current.answered(value, seq));
				}
			},
			(error: unknown) => {
				if (live) {
					latest.current.dispatch({type: 'failed', seq, failure: toFailure(error), aborted: abort.signal.aborted});
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

type IntentHandlers<I extends {type: string}> = {[T in I['type']]: (intent: Extract<I, {type: T}>) => void};

/** Carries out a reducer's intent once with the handler for its type, after dispatching `intent-done`. */
export function useIntent<I extends {type: string}>(
	intent: I | undefined,
	dispatch: (action: {type: 'intent-done'}) => void,
	handlers: IntentHandlers<I>,
): void {
	const latest = useRef({dispatch, handlers});
	latest.current = {dispatch, handlers};
	useEffect(() => {
		if (intent === undefined) {
			return;
		}

		latest.current.dispatch({type: 'intent-done'});
		const handler = latest.current.handlers[intent.type as I['type']] as (value: I) => void;
		handler(intent);
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
