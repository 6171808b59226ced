/**
 * A poll loop for Ink screens: runs `poll` now, then again after `interval(result)` (or a jittered exponential
 * backoff while `failed(result)`), one cycle at a time. `refresh()` polls now (or right after the cycle in flight).
 * Changing `key` restarts the loop. On unmount the timer is cleared and the in-flight cycle's signal is aborted;
 * its result is dropped.
 */
import {useCallback, useEffect, useRef} from 'react';
import {startTimer} from '../../core/timers.js';

export type PollSchedule = {
	/** epoch ms of the next cycle */
	nextAt: number;
	/** consecutive failed cycles (0 after a good one) */
	failures: number;
};

export type BackoffOptions = {baseMs: number; maxMs: number};

export type PollerOptions<T> = {
	/** Changing it restarts the loop at once (for example when the watched regions change). */
	key: string;
	/** One cycle. Should report failures in its result; a throw counts as a failed cycle. */
	poll(signal: AbortSignal): Promise<T>;
	onStart?: (() => void) | undefined;
	onResult(result: T, schedule: PollSchedule): void;
	onError?: ((error: unknown, schedule: PollSchedule) => void) | undefined;
	failed(result: T): boolean;
	/** Delay after a good cycle (e.g. short while tasks are active, long when idle). */
	interval(result: T): number;
	backoff: BackoffOptions;
	/** Source of jitter (tests may pin it); default Math.random. */
	random?: (() => number) | undefined;
};

/** base * 2^(failures-1), capped at max, with "equal jitter": between half and all of it. */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number = Math.random): number {
	const exponent = Math.min(Math.max(failures - 1, 0), 20);
	const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function usePoller<T>(options: PollerOptions<T>): {refresh(): void} {
	const latest = useRef(options);
	latest.current = options;
	const refreshRef = useRef<() => void>(() => {
		// Replaced once the loop runs.
	});

	// biome-ignore lint/correctness/useExhaustiveDependencies: the loop restarts only when the key changes (callbacks are read through a ref)
	useEffect(() => {
		const controller = new AbortController();
		let timer: ReturnType<typeof setTimeout> | undefined;
		let running = false;
		let again = false;
		let failures = 0;

		const schedule = (delay: number) => {
			if (controller.signal.aborted) {
				return;
			}

			if (again) {
				again = false;
				void run();
				return;
			}

			// Clamped: a delay Node cannot honour (NaN, negative, over 24.8 days) would fire at once, in a tight loop.
			timer = startTimer(run, delay);
		};

		async function run(): Promise<void> {
			if (controller.signal.aborted) {
				return;
			}

			if (running) {
				again = true;
				return;
			}

			running = true;
			clearTimeout(timer);
			timer = undefined;
			const current = latest.current;
			current.onStart?.();
			let delay: number;
			try {
				const result = await current.poll(controller.signal);
				if (controller.signal.aborted) {
					return;
				}

				const now = latest.current;
				const failed = now.failed(result);
				failures = failed ? failures + 1 : 0;
				delay = failed ? backoffDelay(failures, now.backoff, now.random) : now.interval(result);
				now.onResult(result, {nextAt: Date.now() + delay, failures});
			} catch (error) {
				if (controller.signal.aborted) {
					return;
				}

				const now = latest.current;
				failures++;
				delay = backoffDelay(failures, now.backoff, now.random);
				now.onError?.(error, {nextAt: Date.now() + delay, failures});
			} finally {
				running = false;
			}

			schedule(delay);
		}

		refreshRef.current = () => {
			void run();
		};

		void run();
		return () => {
			controller.abort();
			clearTimeout(timer);
			timer = undefined;
			refreshRef.current = () => {
				// Stopped.
			};
		};
	}, [options.key]);

	const refresh = useCallback(() => {
		refreshRef.current();
	}, []);
	return {refresh};
}
