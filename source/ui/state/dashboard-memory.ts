/**
 * The watched regions survive the dashboard being unmounted (a trip to the wizard and back) for the session:
 * remembered per Services instance, in memory only. The current region is always watched.
 */
import type {Services} from '../../core/services.js';

const watchedBySession = new WeakMap<Services, readonly string[]>();

export function rememberWatched(services: Services, regions: readonly string[]): void {
	watchedBySession.set(services, [...regions]);
}

/** The regions to watch on mount: the current region, plus the ones picked earlier in this session. */
export function rememberedWatched(services: Services, currentRegion: string): string[] {
	const remembered = watchedBySession.get(services) ?? [];
	return remembered.includes(currentRegion) ? [...remembered] : [currentRegion, ...remembered];
}
