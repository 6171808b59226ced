/** A dashboard poll cycle for reducer tests: us-east-1 answered, no bundle tasks, these store tasks. */
import type {StoreTask} from '../../../source/core/types.js';
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
