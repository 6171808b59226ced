/** A dashboard poll cycle for reducer tests: us-east-1 answered, no bundle tasks, these store tasks. */
import type {StoreTask} from '../../../source/core/types.js';
import type {StoreChain} from '../../../source/core/work-model.js';
import type {CycleResult} from '../../../source/ui/state/dashboard-state.js';

export function storeCycle(at: number, tasks: StoreTask[]): {type: 'cycle'; result: CycleResult} {
	return {
		type: 'cycle',
		result: {
			at,
			outcomes: [{region: 'us-east-1', ok: true, tasks: []}],
			images: [],
			missingImages: [],
			stores: [{region: 'us-east-1', ok: true, tasks}],
			snapshots: [],
			chains: [],
			history: [],
			nextPollAt: at + 1000,
			failures: 0,
		},
	};
}

/** The completed store task of a chain (its object in the chain's bucket), as AWS lists it. */
export function completedStoreTask(chain: StoreChain): StoreTask {
	return {
		amiId: chain.imageId,
		region: chain.region,
		bucket: chain.bucket,
		objectKey: `${chain.imageId}.bin`,
		state: 'Completed',
		progress: 100,
		startTime: new Date(chain.storeStartedAt ?? chain.startedAt),
		failureReason: undefined,
	};
}
