/**
 * `tasks --state S` over both kinds of task. Bundle tasks carry AWS's lowercase states, store tasks AWS's own
 * (InProgress, Completed, Failed); a filter means the same for both: complete, failed, and in-progress for any task
 * still working, whatever the case. cancelled is a bundle task failed by a cancel (AWS has no such state).
 */
import {bundleStates, isActiveState, isBundleState, isCancelledTask, type StatedTask} from './task-model.js';

export type StateFilter = (typeof bundleStates)[number] | 'cancelled' | 'in-progress';

/** What --state accepts, as the usage error lists it. */
export const stateFilterHelp = `in-progress, complete, failed (any kind), ${bundleStates.join(', ')}, cancelled (bundle tasks); InProgress, Completed, Failed are read as in-progress, complete, failed`;

/** The filter a --state value names, or undefined when it names none. */
export function stateFilterOf(text: string): StateFilter | undefined {
	const name = text.toLowerCase();
	if (name === 'cancelled' || isBundleState(name)) {
		return name;
	}

	if (name === 'inprogress' || name === 'in-progress') {
		return 'in-progress';
	}

	return name === 'completed' ? 'complete' : undefined;
}

export function bundleTaskMatches(filter: StateFilter, task: StatedTask): boolean {
	if (filter === 'in-progress') {
		return isActiveState(task.state);
	}

	return filter === 'cancelled' ? isCancelledTask(task) : task.state === filter;
}

export function storeTaskMatches(filter: StateFilter, state: string): boolean {
	switch (filter) {
		case 'in-progress': {
			return state === 'InProgress';
		}

		case 'complete': {
			return state === 'Completed';
		}

		case 'failed': {
			return state === 'Failed';
		}

		default: {
			return false;
		}
	}
}
