/**
 * Timing of the dashboard's poll loop, injectable through context so tests run at full pace.
 * Defaults: every 3 s while any task is active, every 30 s when none is; backoff from 2 s up to 60 s with jitter.
 */
import {createContext, useContext} from 'react';
import type {Clock} from '../hooks/use-now.js';
import type {BackoffOptions} from '../hooks/use-poller.js';

export type DashboardConfig = {
	activeIntervalMs: number;
	idleIntervalMs: number;
	backoff: BackoffOptions;
	/** How often relative times (elapsed, last update, countdowns) are redrawn. */
	clockMs: number;
	/** The clock of those relative times (tests move it by hand); the system clock by default. */
	clock?: Clock | undefined;
	/** How often the local history is read for a bundle started elsewhere (the CLI): one found polls at once. */
	historyCheckMs: number;
	/** Called at the start of each poll cycle with the regions it polls (diagnostics and tests). */
	onCycle?: ((regions: readonly string[]) => void) | undefined;
};

export const defaultDashboardConfig: DashboardConfig = {
	activeIntervalMs: 3000,
	idleIntervalMs: 30_000,
	backoff: {baseMs: 2000, maxMs: 60_000},
	clockMs: 1000,
	historyCheckMs: 2000,
};

export const DashboardConfigContext = createContext<DashboardConfig>(defaultDashboardConfig);

export function useDashboardConfig(): DashboardConfig {
	return useContext(DashboardConfigContext);
}
