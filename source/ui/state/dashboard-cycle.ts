/**
 * One poll cycle of the dashboard: per watched region, all regions in parallel, exactly one DescribeBundleTasks,
 * one DescribeStoreImageTasks (all pages), and, only for regions with AMIs still being followed, one batched
 * DescribeImages then one batched DescribeSnapshots of the pending ones' snapshots (their progress), whatever
 * the number of rows. A region's failure is reported in
 * its outcome and never hides the other regions' results. Aborting `signal` (the dashboard unmounts, or the watched
 * regions change) cancels the DescribeBundleTasks calls in flight; the poller drops that cycle's result.
 */
import {isAppError} from '../../core/app-error.js';
import {isThrottlingCode} from '../../core/error-catalogue.js';
import type {Services} from '../../core/services.js';
import type {Image, Snapshot, StoreTask} from '../../core/types.js';
import type {RegionOutcome, RegionProblem} from './dashboard-state.js';
import {errorText} from './remote.js';

export type CycleFetch = {
	at: number;
	outcomes: RegionOutcome[];
	images: Image[];
	missingImages: Array<{region: string; imageId: string}>;
	/** DescribeStoreImageTasks per watched region (a failure never hides the region's bundle tasks) */
	stores: StoreOutcome[];
	/** Snapshots of the pending AMIs described this cycle */
	snapshots: Snapshot[];
};

export type StoreOutcome = {region: string; ok: true; tasks: StoreTask[]} | {region: string; ok: false; error: string};

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
	const storeCalls = regions.map(async (region): Promise<StoreOutcome> => {
		try {
			return {region, ok: true, tasks: await services.describeStoreTasks(region, undefined, signal)};
		} catch (error) {
			return {region, ok: false, error: errorText(error)};
		}
	});
	const imageCalls = [...byRegion].map(async ([region, ids]) => {
		let images: Image[];
		try {
			images = await services.describeImages(region, ids);
		} catch (error) {
			// InvalidAMIID.NotFound for the whole batch means none exists; anything else: try again next cycle.
			if (isAppError(error) && error.code.startsWith('InvalidAMIID')) {
				return {images: [], snapshots: [], missing: ids.map((imageId) => ({region, imageId}))};
			}

			return {images: [], snapshots: [], missing: []};
		}

		const found = new Set(images.map((image) => image.imageId));
		const missing = ids.filter((id) => !found.has(id)).map((imageId) => ({region, imageId}));
		return {images, snapshots: await pendingSnapshots(services, region, images, signal), missing};
	});
	const [outcomes, stores, imageResults] = await Promise.all([
		Promise.all(taskCalls),
		Promise.all(storeCalls),
		Promise.all(imageCalls),
	]);
	return {
		at: Date.now(),
		outcomes,
		images: imageResults.flatMap((result) => result.images),
		missingImages: imageResults.flatMap((result) => result.missing),
		stores,
		snapshots: imageResults.flatMap((result) => result.snapshots),
	};
}

/** One batched DescribeSnapshots of the pending AMIs' snapshots (their progress); none when no AMI is pending. */
async function pendingSnapshots(
	services: Services,
	region: string,
	images: readonly Image[],
	signal: AbortSignal | undefined,
): Promise<Snapshot[]> {
	const ids = images
		.filter((image) => image.state === 'pending')
		.flatMap((image) => (image.blockDevices ?? []).map((device) => device.snapshotId))
		.filter((id): id is string => id !== undefined);
	if (ids.length === 0) {
		return [];
	}

	try {
		return await services.describeSnapshots(region, [...new Set(ids)], signal);
	} catch {
		// Progress is shown as unknown this cycle; the AMI's own state still moves the row on
		return [];
	}
}
