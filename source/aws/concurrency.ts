/** Runs `run` over `items` with at most `limit` in flight; stops starting new ones once the signal aborts. */
export async function mapLimit<T, R>(
	items: readonly T[],
	limit: number,
	run: (item: T, index: number) => Promise<R>,
	signal?: AbortSignal,
): Promise<R[]> {
	const results: R[] = Array.from({length: items.length});
	let next = 0;
	let failed = false;

	async function worker(): Promise<void> {
		while (!failed && next < items.length) {
			signal?.throwIfAborted();
			const index = next++;
			try {
				results[index] = await run(items[index] as T, index);
			} catch (error) {
				failed = true;
				throw error;
			}
		}
	}

	const workers = Array.from({length: Math.max(1, Math.min(limit, items.length))}, async () => worker());
	const settled = await Promise.allSettled(workers);
	const rejection = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
	if (rejection) {
		throw rejection.reason;
	}

	return results;
}
