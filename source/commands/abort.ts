/** Ctrl+C support: every wait and every AWS call a command makes gives way to the command's AbortSignal. */
import {pause} from '../core/timers.js';
import {InterruptedError} from './exit-codes.js';

export function throwIfInterrupted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) {
		throw new InterruptedError();
	}
}

/** Resolves after ms (clamped like every timer), or rejects with InterruptedError as soon as the signal fires. */
export async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	throwIfInterrupted(signal);
	try {
		await pause(ms, signal);
	} catch (error) {
		throwIfInterrupted(signal);
		throw error;
	}
}

/** Races a promise against the signal: the command stops waiting (exit 130) even if the call is still in flight. */
export async function interruptible<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) {
		return promise;
	}

	if (signal.aborted) {
		promise.catch(() => undefined);
		throw new InterruptedError();
	}

	return new Promise<T>((resolve, reject) => {
		const onAbort = () => {
			promise.catch(() => undefined);
			reject(new InterruptedError());
		};

		signal.addEventListener('abort', onAbort, {once: true});
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}
