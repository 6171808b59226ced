/**
 * The dashboard runs for hours with a steady trickle of allocation (a frame a second, polls). V8 doubles its young
 * generation each time enough has survived, up to two 16 MiB semi-spaces, and shrinks it only while allocation stays
 * under 1 MB/s: watching 20 active tasks, the dashboard held 126–147 MiB. At the starting 1 MiB semi-spaces it holds
 * about 104 MiB for the same CPU (`npm run bench`, "dashboard watching 20 active tasks").
 * The growth factor is read at each growth, so setting it once the process runs takes effect; the semi-space size
 * flags are read only when the heap is made.
 */
import {setFlagsFromString} from 'node:v8';

/** The V8 flag that keeps the young generation at its starting size, unless the user sized it themselves. */
export function youngGenerationFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
	const chosen = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((flag) => /semi[-_]space/.test(flag));
	return chosen ? undefined : '--semi-space-growth-factor=1';
}

export function keepYoungGenerationSmall(): void {
	const flag = youngGenerationFlag(process.execArgv, process.env['NODE_OPTIONS']);
	if (flag) {
		setFlagsFromString(flag);
	}
}
