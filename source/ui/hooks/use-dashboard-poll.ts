/**
 * The dashboard's poll loop: each cycle makes exactly one DescribeBundleTasks per watched region (all in
 * parallel) plus one DescribeImages per region with AMIs still being followed, then, outside the reducer, records
 * changed snapshots in history and notifies once per observed completion/failure, and ends with ONE dispatch.
 * Every few seconds while anything is active, slowly when idle; retryable failures back off with jitter.
 * One cycle at a time: R during a cycle queues one more right after it. Unmounting, or changing the watched regions,
 * aborts the cycle in flight (its sockets close at once; its result is dropped).
 */
import {type Dispatch, type RefObject, useCallback, useEffect} from 'react';
import {isActiveState, isCancelledTask, isTerminalState, stateLabel, taskKey} from '../../core/task-model.js';
import {startTimer} from '../../core/timers.js';
import type {BundleTask} from '../../core/types.js';
import {useAppContext} from '../state/app-context.js';
import {useDashboardConfig} from '../state/dashboard-config.js';
import {type CycleFetch, fetchCycle} from '../state/dashboard-cycle.js';
import {seenTasks} from '../state/dashboard-memory.js';
import {anyActive} from '../state/dashboard-rows.js';
import {type DashboardAction, type DashboardState, imageKey} from '../state/dashboard-state.js';
import {buildWorkRows, followedWorkImages} from '../state/dashboard-work-rows.js';
import {useChainContinuation} from './use-chain-continuation.js';
import {type PollSchedule, usePoller} from './use-poller.js';

const followedImageStates = new Set(['unknown', 'pending', 'transient']);

/** The notification text for a task that just finished. */
export function finishedMessage(task: BundleTask): string {
	if (isCancelledTask(task)) {
		return `${task.bundleId} cancelled (${task.bucket}/${task.prefix})`;
	}

	return task.state === 'failed' && task.error
		? `${task.bundleId} failed: ${task.error.code} ${task.error.message}`
		: `${task.bundleId} ${stateLabel(task.state).toLowerCase()} (${task.bucket}/${task.prefix})`;
}

export function useDashboardPoll(
	stateRef: RefObject<DashboardState>,
	dispatch: Dispatch<DashboardAction>,
	watched: readonly string[],
): {refresh(): void} {
	const {services, history, chains, notify} = useAppContext();
	const continueChains = useChainContinuation(dispatch);
	const config = useDashboardConfig();

	const poll = useCallback(
		async (signal: AbortSignal): Promise<CycleFetch> => {
			const current = stateRef.current;
			const follow: Array<{region: string; imageId: string}> = [];
			const regions = new Set(current.watched);
			// Read the history afresh: an AMI registered a moment ago is followed in this very cycle.
			for (const entry of history.bundles()) {
				if (!regions.has(entry.region)) {
					continue;
				}

				for (const image of entry.images) {
					const status = current.images[imageKey(image.region, image.imageId)];
					if (!status || followedImageStates.has(status.state)) {
						follow.push({region: image.region, imageId: image.imageId});
					}
				}
			}

			for (const image of followedWorkImages({...current.work, chains: chains.list()}, current.watched)) {
				if (!follow.some((other) => other.region === image.region && other.imageId === image.imageId)) {
					follow.push(image);
				}
			}

			config.onCycle?.(current.watched);
			return fetchCycle(services, current.watched, follow, signal);
		},
		[services, history, chains, config, stateRef],
	);

	const onResult = useCallback(
		(fetch: CycleFetch, schedule: PollSchedule) => {
			const seen = seenTasks(services);
			const changed: BundleTask[] = [];
			for (const outcome of fetch.outcomes) {
				if (!outcome.ok) {
					continue;
				}

				for (const task of outcome.tasks) {
					const key = taskKey(task.region, task.bundleId);
					const before = seen.get(key);
					const update = task.updateTime.getTime();
					if (before && before.state !== task.state && isTerminalState(task.state) && !isTerminalState(before.state)) {
						notify(finishedMessage(task));
					}

					// Every change goes to history, which keeps only the tasks it holds: the state's copy of history may not
					// yet hold a task another process (the CLI, a retry) just recorded, and its first phase would be lost.
					if (!before || before.state !== task.state || before.progress !== task.progress || before.update !== update) {
						changed.push(task);
					}

					seen.set(key, {state: task.state, progress: task.progress, update});
				}
			}

			// One write for the whole cycle, however many tasks changed: bundles, store tasks and the AMIs of chains and
			// restores (history ignores what it does not hold, and writes nothing when nothing changed).
			const stores = fetch.stores.flatMap((outcome) => (outcome.ok ? outcome.tasks : []));
			history.recordTasks([...changed, ...stores, ...fetch.images]);
			const result = {
				...fetch,
				history: history.bundles(),
				chains: chains.list(),
				nextPollAt: schedule.nextAt,
				failures: schedule.failures,
			};
			dispatch({type: 'cycle', result});
			continueChains(fetch);
		},
		[services, history, chains, notify, dispatch, continueChains],
	);

	const interval = useCallback(
		(fetch: CycleFetch) => {
			const current = stateRef.current;
			const busy =
				fetch.outcomes.some((outcome) => outcome.ok && outcome.tasks.some((task) => isActiveState(task.state))) ||
				// A store task this cycle found running (a retry, a store started elsewhere): the state does not show it yet
				fetch.stores.some((outcome) => outcome.ok && outcome.tasks.some((task) => task.state === 'InProgress')) ||
				anyActive(current.live, current.watched) ||
				Object.keys(current.cancelling).length > 0 ||
				buildWorkRows(current.work, current.watched, current.eta).some((row) => isActiveState(row.state)) ||
				fetch.images.some((image) => followedImageStates.has(image.state));
			return busy ? config.activeIntervalMs : config.idleIntervalMs;
		},
		[config, stateRef],
	);

	const failed = useCallback(
		(fetch: CycleFetch) => fetch.outcomes.some((outcome) => !outcome.ok && outcome.problem !== 'error'),
		[],
	);

	const poller = usePoller<CycleFetch>({
		key: watched.join(','),
		poll,
		onResult,
		failed,
		interval,
		backoff: config.backoff,
	});
	useStartedElsewhere(stateRef, poller.refresh);
	return poller;
}

/**
 * A bundle or image -> store chain started from the CLI (or another dashboard) lands in the local history at once,
 * long before an idle poll (30 s) would list it: the history is read every few seconds, and one it did not hold at
 * the last poll polls now.
 */
function useStartedElsewhere(stateRef: RefObject<DashboardState>, refresh: () => void): void {
	const {history} = useAppContext();
	const {historyCheckMs} = useDashboardConfig();
	useEffect(() => {
		let timer: ReturnType<typeof setTimeout> | undefined;
		// The history and watched regions as last looked through: both unchanged (the file's version), nothing new.
		let checked: string | undefined;
		const check = () => {
			timer = startTimer(check, historyCheckMs);
			const {current} = stateRef;
			const revision = `${history.revision()} ${current.watched.join(',')}`;
			if (revision === checked) {
				return;
			}

			const known = new Set([
				...current.history.map((entry) => `bundle:${taskKey(entry.region, entry.bundleId)}`),
				...current.work.chains.map((chain) => `store:${taskKey(chain.region, chain.imageId)}`),
			]);
			const watched = new Set(current.watched);
			const fresh = history
				.list()
				.some(
					(entry) =>
						watched.has(entry.region) &&
						entry.kind !== 'restore' &&
						!known.has(
							`${entry.kind}:${taskKey(entry.region, entry.kind === 'bundle' ? entry.bundleId : entry.imageId)}`,
						),
				);
			if (!fresh) {
				checked = revision;
			} else if (stateRef.current.loaded && !stateRef.current.polling) {
				refresh();
			}
		};

		timer = startTimer(check, historyCheckMs);
		return () => {
			clearTimeout(timer);
		};
	}, [history, historyCheckMs, stateRef, refresh]);
}
