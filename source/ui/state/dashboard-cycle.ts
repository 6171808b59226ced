/**
 * One poll cycle of the dashboard: exactly one DescribeBundleTasks per watched region, all regions in parallel,
 * plus one DescribeImages per region that has images still being followed. A region's failure is reported in
 * its outcome and never hides the other regions' results. Aborting `signal` (the dashboard unmounts, or the watched
 * regions change) cancels the DescribeBundleTasks calls in flight; the poller drops that cycle's result.
 */
import {isAppError} from '../../core/app-error.js';
import {isThrottlingCode} from '../../core/error-catalogue.js';
import type {Services} from '../../core/services.js';
import type {Image} from '../../core/types.js';
import type {RegionOutcome, RegionProblem} from './dashboard-state.js';
import {errorText} from './remote.js';

export type CycleFetch = {
	at: number;
	outcomes: RegionOutcome[];
	images: Image[];
	missingImages: Array<{region: string; imageId: string}>;
};

export function classifyError(error: unknown): RegionProblem {
	if (isAppError(error)) {
		if (isThrottlingCode(error.code)) {
			return 'throttled';
		}

		return error.retryable ? 'unreachable' : 'error';
	}

	return 'unreachable';
}

export async function fetchCycle(
	services: Services,
	regions: readonly string[],
	followImages: ReadonlyArray<{region: string; imageId: string}>,
	signal?: AbortSignal,
): Promise<CycleFetch> {
	const byRegion = new Map<string, string[]>();
	for (const {region, imageId} of followImages) {
		const ids = byRegion.get(region) ?? [];
		if (!ids.includes(imageId)) {
			ids.push(imageId);
		}

		byRegion.set(region, ids);
	}

	const taskCalls = regions.map(async (region): Promise<RegionOutcome> => {
		try {
			const tasks = await services.describeBundleTasks(region, undefined, signal);
			return {region, ok: true, tasks};
		} catch (error) {
			return {region, ok: false, error: errorText(error), problem: classifyError(error)};
		}
	});
	const imageCalls = [...byRegion].map(async ([region, ids]) => {
		try {
			const images = await services.describeImages(region, ids);
			const found = new Set(images.map((image) => image.imageId));
			return {images, missing: ids.filter((id) => !found.has(id)).map((imageId) => ({region, imageId}))};
		} catch (error) {
			// InvalidAMIID.NotFound for the whole batch means none exists; anything else: try again next cycle.
			if (isAppError(error) && error.code.startsWith('InvalidAMIID')) {
				return {images: [], missing: ids.map((imageId) => ({region, imageId}))};
			}

			return {images: [], missing: []};
		}
	});
	const [outcomes, imageResults] = await Promise.all([Promise.all(taskCalls), Promise.all(imageCalls)]);
	return {
		at: Date.now(),
		outcomes,
		images: imageResults.flatMap((result) => result.images),
		missingImages: imageResults.flatMap((result) => result.missing),
	};
}
