/**
 * The dashboard's watched regions across runs: the set last confirmed in the region picker is kept in the settings
 * (`watchedRegions`). On the first mount of a session the saved set is checked against DescribeRegions (a region
 * that is no longer listed is dropped) and then watched, always with the current region. Later mounts in the same
 * session use the session's memory; if DescribeRegions fails the dashboard simply keeps the current region.
 */
import {useEffect, useRef} from 'react';
import type {Services} from '../../core/services.js';
import type {Settings} from '../../store/settings.js';
import {hasRememberedWatched, rememberWatched} from '../state/dashboard-memory.js';

/** The saved regions that still exist (saved order, no duplicates), the current region first when not among them. */
export function restoredWatched(saved: readonly string[], available: readonly string[], current: string): string[] {
	const known = new Set(available);
	const kept = [...new Set(saved)].filter((region) => known.has(region));
	return kept.includes(current) ? kept : [current, ...kept];
}

/** Remembers a confirmed pick for this session and for the next runs. */
export function saveWatched(services: Services, settings: Settings, regions: readonly string[]): void {
	rememberWatched(services, regions);
	settings.set('watchedRegions', [...regions]);
}

/** A bundle just started in a region not saved yet: that region joins the saved set (with the ones watched now). */
export function keepStartedRegion(
	services: Services,
	settings: Settings,
	watched: readonly string[],
	startedRegion: string,
): void {
	const saved = settings.get('watchedRegions');
	if (watched.length > 1 && !(Array.isArray(saved) && saved.includes(startedRegion))) {
		saveWatched(services, settings, watched);
	}
}

/**
 * Once per session (per Services): when the settings hold watched regions beyond the current one, list the
 * regions and hand the restored set to `apply`, unless the user has picked regions in the meantime.
 */
export function useSavedWatched(
	services: Services,
	settings: Settings,
	current: string,
	apply: (regions: string[]) => void,
): void {
	// Read through a ref: a new `apply` each render must not list the regions again.
	const applyLatest = useRef(apply);
	applyLatest.current = apply;
	useEffect(() => {
		if (hasRememberedWatched(services)) {
			return;
		}

		const saved = settings.get('watchedRegions');
		if (!Array.isArray(saved) || saved.every((region) => region === current)) {
			return;
		}

		let live = true;
		services.listRegions().then(
			(available) => {
				if (!live || hasRememberedWatched(services)) {
					return;
				}

				const regions = restoredWatched(saved, available, current);
				rememberWatched(services, regions);
				applyLatest.current(regions);
			},
			() => {
				// Could not check the saved regions: keep watching the current region; the next run tries again.
			},
		);
		return () => {
			live = false;
		};
	}, [services, settings, current]);
}
