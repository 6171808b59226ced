/**
 * V8 settings for the dashboard, a process that runs for hours doing a little work at a time (a frame a second, a
 * poll every few seconds), measured with `npm run bench` ("dashboard watching 20 active tasks" and "idle"):
 * - Young generation: V8 doubles it each time enough has survived, up to two 16 MiB semi-spaces, and shrinks it only
 *   while allocation stays under 1 MB/s, so the busy dashboard held 126–147 MiB. At the starting 1 MiB semi-spaces it
 *   holds about 104 MiB for the same CPU.
 * - Tier-up budget: the optimizing compiler (TurboFan, on V8's worker threads) kept recompiling what each poll warmed
 *   again, half of the idle dashboard's CPU (70 of 130 ms per 30 s). Ten times the default budget (67584 bytes of
 *   bytecode run before a function is considered) took idle from 0.33–0.43% of a core to 0.17–0.20%, and busy from
 *   1.47–1.70% to 1.37–1.53% (A/B runs in one session).
 * V8 reads both at each use, so setting them once the process runs takes effect (the semi-space size flags, by
 * contrast, are read only when the heap is made). A flag of the same kind that the user gave node is left alone.
 */
import {setFlagsFromString} from 'node:v8';

const settings = [
	{kind: /semi[-_]space/, flag: '--semi-space-growth-factor=1'},
	{kind: /interrupt[-_]budget/, flag: '--interrupt-budget=675840'},
];

/** The flags to set: each one whose kind the user did not set, on node's command line or in NODE_OPTIONS. */
export function dashboardV8Flags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
	const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
	return settings.filter(({kind}) => !given.some((flag) => kind.test(flag))).map(({flag}) => flag);
}

export function tuneV8ForDashboard(): void {
	for (const flag of dashboardV8Flags(process.execArgv, process.env['NODE_OPTIONS'])) {
		setFlagsFromString(flag);
	}
}
