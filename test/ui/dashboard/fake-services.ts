/**
 * The one legitimate fake: a Services whose DescribeBundleTasks returns many synthetic tasks (the sandbox cannot
 * run 500 bundles at once). Every other method fails loudly so a test cannot pass by accident through it.
 */
import {AppError} from '../../../source/core/app-error.js';
import type {Services} from '../../../source/core/services.js';
import type {BundleState, BundleTask} from '../../../source/core/types.js';

const states: BundleState[] = ['pending', 'waiting-for-shutdown', 'bundling', 'storing', 'complete', 'failed'];

export function syntheticTasks(count: number, region = 'us-east-1', base = Date.now() - 3_600_000): BundleTask[] {
	return Array.from({length: count}, (_, index) => {
		const state = states[index % states.length] ?? 'pending';
		return {
			bundleId: `bun-${index.toString(16).padStart(8, '0')}`,
			instanceId: `i-${index.toString(16).padStart(17, '0')}`,
			region,
			state,
			progress: state === 'complete' ? 100 : (index * 7) % 100,
			startTime: new Date(base + index * 1000),
			updateTime: new Date(base + index * 1000 + 500),
			bucket: 'synthetic-bucket',
			prefix: `win-${index}`,
			error: state === 'failed' ? {code: 'Client.Cancelled', message: 'Bundle task cancelled'} : undefined,
		};
	});
}

export function manyTasksServices(tasks: BundleTask[]): Services & {calls: number} {
	const unavailable = () => Promise.reject(new AppError({code: 'NotInFake', message: 'Not available in this fake'}));
	const services = {
		mode: 'sandbox' as const,
		defaultRegion: 'us-east-1',
		calls: 0,
		whoami: unavailable,
		usesTemporaryCredentials: unavailable,
		listRegions: async () => ['us-east-1'],
		listInstances: unavailable,
		listBuckets: unavailable,
		probeBucket: unavailable,
		createBucket: unavailable,
		prefixTaken: unavailable,
		preflightBundle: unavailable,
		startBundle: unavailable,
		async describeBundleTasks(region: string) {
			services.calls++;
			return tasks.filter((task) => task.region === region);
		},
		cancelBundle: unavailable,
		readManifest: unavailable,
		registerImage: unavailable,
		describeImages: unavailable,
		copyImage: unavailable,
		migrateBundle: unavailable,
		preflightCreateImage: unavailable,
		createImage: unavailable,
		describeSnapshots: unavailable,
		preflightStoreImage: unavailable,
		storeImage: unavailable,
		describeStoreTasks: async () => [],
		describeStoredObject: unavailable,
		restoreImage: unavailable,
		migrateStored: unavailable,
		deregisterImage: unavailable,
		close() {
			// Nothing to close.
		},
	};
	return services;
}
