/**
 * What a screen's state holds of a services call. How to build a screen or dialog (the wizard's pattern):
 * 1. State + pure reducer in ui/state/<name>-state.ts: every key press (`{type: 'key'}`, bursts through reduceKeys)
 *    and every answer is an action; a call the screen wants is a request in the state tagged with a fresh `seq`
 *    (a Remote 'loading', or a `{seq, ...}` field), and an answer whose seq no longer matches is dropped.
 *    Things only the component can do (close, quit, tell the dashboard) are an `intent` field.
 * 2. A thin component: useReducer, useRequest (hooks/use-screen-calls.ts) per request, useIntent for the intent,
 *    one useInput that dispatches keys; the rest renders the state.
 * 3. Tests of the reducer alone (no Ink), plus a few screen tests through ink-testing-library.
 */
import {isAppError} from '../../core/app-error.js';

/** A failed call, already turned into the one line the user sees (never a stack, never a secret). */
export type Failure = {line: string; code: string | undefined};

/** Data a screen loads: asked for (seq tags the request), there, or failed. */
export type Remote<T> =
	| {status: 'loading'; seq: number}
	| {status: 'ready'; data: T}
	| {status: 'failed'; failure: Failure};

/** An action that is not a load (register, cancel, start): running (seq tags it) or failed. */
export type Call = {status: 'running'; seq: number} | {status: 'failed'; failure: Failure};

/** The answer of any failed request (useRequest): the reducer gives it to whichever request waits for `seq`. */
export type RequestFailed = {type: 'failed'; seq: number; failure: Failure; aborted: boolean};

/** One line for any failure: AppError's own line, or the message of anything else (never a stack). */
export function errorText(error: unknown): string {
	if (isAppError(error)) {
		return error.toLine();
	}

	if (error instanceof Error) {
		return error.message.split('\n')[0] ?? 'Unexpected error';
	}

	return String(error);
}

export function toFailure(error: unknown): Failure {
	return {line: errorText(error), code: isAppError(error) ? error.code : undefined};
}

/** True when `call` is waiting for the answer to request `seq` (so that answer is the one to keep). */
export function matchesSeq(call: {status: string; seq?: number} | undefined, seq: number): boolean {
	return call !== undefined && 'seq' in call && call.seq === seq;
}

/** The request a hook runs for `call`: the call itself while it waits for its answer (it has a seq), else undefined. */
export function pending<C extends {status: string}>(call: C | undefined): Extract<C, {seq: number}> | undefined {
	return call && 'seq' in call ? (call as Extract<C, {seq: number}>) : undefined;
}
