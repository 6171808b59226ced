/** Orders asynchronous work in a test without timing: a gate the test opens, and a few turns of the event loop. */

/** A promise that resolves when the test calls open(). */
export function gate(): {opened: Promise<void>; open(): void} {
	let open = () => {};
	const opened = new Promise<void>((resolve) => {
		open = resolve;
	});
	return {opened, open};
}

/** Enough turns of the event loop for work that does not wait on anything (a close() that does not wait) to end. */
export async function eventLoopTurns(turns = 20): Promise<void> {
	for (let turn = 0; turn < turns; turn++) {
		await new Promise((resolve) => {
			setImmediate(resolve);
		});
	}
}
