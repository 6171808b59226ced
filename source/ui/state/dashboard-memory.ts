/**
 * What the dashboard keeps across being unmounted (a trip to the wizard and back) for the session, per Services
 * instance, in memory only: the watched regions (the current region is always watched) and the last state seen
 * of each task (so a task that finishes while the wizard is open still notifies once when the dashboard returns),
 * and the observed view: watched regions, state timelines, ETA estimators and AMI states (so coming back from the wizard neither
 * forgets when a task started bundling nor restarts every ETA from "unknown").
 */
import type {Services} from '../../core/services.js';
import type {BundleState} from '../../core/types.js';
import type {DashboardState, RestoredView} from './dashboard-state.js';

export type SeenTask = {state: BundleState; progress: number | undefined; update: number};

const watchedBySession = new WeakMap<Services, readonly string[]>();
const seenBySession = new WeakMap<Services, Map<string, SeenTask>>();

/** Last seen snapshot per taskKey (mutable, shared by the dashboard's poll loop across remounts). */
export function seenTasks(services: Services): Map<string, SeenTask> {
	let seen = seenBySession.get(services);
	if (!seen) {
		seen = new Map();
		seenBySession.set(services, seen);
	}

	return seen;
}

export function rememberWatched(services: Services, regions: readonly string[]): void {
	watchedBySession.set(services, [...regions]);
}

/** True once the watched regions were picked (or restored from the settings) in this session. */
export function hasRememberedWatched(services: Services): boolean {
	return watchedBySession.has(services);
}

/**
 * The regions to watch on mount: the ones watched when the dashboard was last left (or picked) in this session, plus
 * the current region. Adding, never replacing: a bundle just started in another region must not hide the running ones.
 */
export function watchedOnMount(services: Services, currentRegion: string, startedRegion?: string): string[] {
	const before = viewBySession.get(services)?.watched ?? watchedBySession.get(services) ?? [];
	const watched = before.includes(currentRegion) ? [...before] : [currentRegion, ...before];
	// A task just started is never hidden: its region is watched too
	return startedRegion === undefined || watched.includes(startedRegion) ? watched : [...watched, startedRegion];
}

/** The part of the dashboard state that outlives the screen. */
export type RememberedView = RestoredView & Pick<DashboardState, 'watched'>;

const viewBySession = new WeakMap<Services, RememberedView>();

export function rememberView(services: Services, view: RememberedView): void {
	viewBySession.set(services, view);
}

export function rememberedView(services: Services): RememberedView | undefined {
	return viewBySession.get(services);
}
