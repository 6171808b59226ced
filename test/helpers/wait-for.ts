/** Polls until a condition holds (no timing assertions: the timeout only bounds a hung test). */
export async function waitFor<T>(
	check: () => T | undefined | false | Promise<T | undefined | false>,
	options: {timeout?: number; interval?: number; message?: () => string} = {},
): Promise<T> {
	const timeout = options.timeout ?? 15_000;
	const interval = options.interval ?? 15;
	const deadline = Date.now() + timeout;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) {
				return value;
			}
		} catch (error) {
			lastError = error;
		}

		if (Date.now() > deadline) {
			const detail = options.message?.() ?? (lastError instanceof Error ? lastError.message : '');
			throw new Error(`waitFor timed out after ${timeout} ms${detail ? `\n${detail}` : ''}`);
		}

		await new Promise((resolve) => {
			setTimeout(resolve, interval);
		});
	}
}

/** Lets Ink's input handling and React effects run (setImmediate + setTimeout 0). */
export async function tick(): Promise<void> {
	await new Promise((resolve) => {
		setImmediate(resolve);
	});
	await new Promise((resolve) => {
		setTimeout(resolve, 0);
	});
}
