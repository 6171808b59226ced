/**
 * The bundle waiter behind `wait` and `bundle --wait`: polls DescribeBundleTasks (one call per region per round)
 * until every task is complete (ok), one fails or is being cancelled (failed), or the timeout passes (timeout).
 * Unlike the AWS CLI's waiter it has no 10-minute cap and does not treat cancelling as "still going".
 */
import {isAppError} from '../core/app-error.js';
import type {BundleHistoryEntry, History} from '../core/history.js';
import type {Services} from '../core/services.js';
import {cancelledErrorCode, isCancelledTask, stateLabel} from '../core/task-model.js';
import type {BundleTask} from '../core/types.js';
import {sleep, throwIfInterrupted} from './abort.js';
import {CommandFailure} from './exit-codes.js';

export type WaitTarget = {bundleId: string; region: string};

export type WaitOutcome =
	| {kind: 'complete'; tasks: BundleTask[]}
	| {kind: 'failed'; tasks: BundleTask[]; task: BundleTask; reason: string}
	| {kind: 'timeout'; tasks: BundleTask[]; waitingFor: BundleTask[]};

export type WaitOptions = {
	services: Services;
	history: History;
	targets: WaitTarget[];
	timeoutMs: number;
	intervalMs: number;
	signal: AbortSignal | undefined;
	/** Called after every round with the latest snapshot of each task (and a retryable error, if the round hit one). */
	onRound?: ((tasks: BundleTask[], problem: string | undefined) => void) | undefined;
};

/** A task AWS no longer lists, rebuilt from the last snapshot history recorded. */
export function taskFromHistory(entry: BundleHistoryEntry): BundleTask | undefined {
	if (!entry.lastState) {
		return undefined;
	}

	return {
		bundleId: entry.bundleId,
		instanceId: entry.instanceId,
		region: entry.region,
		state: entry.lastState,
		progress: entry.lastProgress,
		startTime: new Date(entry.startedAt),
		updateTime: new Date(entry.lastUpdate ?? entry.startedAt),
		bucket: entry.bucket,
		prefix: entry.prefix,
		error: entry.error,
	};
}

/** One DescribeBundleTasks per region; ids the region no longer lists are simply absent from the result. */
export async function describeMany(
	services: Services,
	region: string,
	bundleIds: string[],
): Promise<Map<string, BundleTask>> {
	let tasks: BundleTask[];
	try {
		tasks = await services.describeBundleTasks(region, bundleIds);
	} catch (error) {
		if (!(isAppError(error) && error.code.startsWith('InvalidBundleID'))) {
			throw error;
		}

		// One of the ids is unknown: list the region's tasks and pick ours.
		tasks = await services.describeBundleTasks(region);
	}

	const wanted = new Set(bundleIds);
	return new Map(tasks.filter((task) => wanted.has(task.bundleId)).map((task) => [task.bundleId, task]));
}

function groupByRegion(targets: WaitTarget[]): Map<string, string[]> {
	const groups = new Map<string, string[]>();
	for (const target of targets) {
		groups.set(target.region, [...(groups.get(target.region) ?? []), target.bundleId]);
	}

	return groups;
}

export function failureReason(task: BundleTask): string {
	if (task.state === 'cancelling') {
		return `bundle task ${task.bundleId} is being cancelled, so it will not complete`;
	}

	if (isCancelledTask(task)) {
		return `bundle task ${task.bundleId} was cancelled (${cancelledErrorCode}), so it will not complete`;
	}

	const error = task.error ? `: ${task.error.code}: ${task.error.message.replace(/\.+$/, '')}` : '';
	return `bundle task ${task.bundleId} failed${error}${failureHint(task)}`;
}

/** What to do about a failed task, for the causes that have a known remedy (a cancelled task needs none). */
function failureHint(task: BundleTask): string {
	const text = `${task.error?.code ?? ''} ${task.error?.message ?? ''}`;
	if (/cancel/i.test(text) || /\buse a bucket\b/i.test(text)) {
		// Cancelled on purpose, or the task's own message already says what to do.
		return '';
	}

	if (/policy expired/i.test(text)) {
		return ' — the upload policy expired before EC2 stored the bundle: bundle again with a longer --expiry (default 24h)';
	}

	if (/another (AWS )?account|AccessDenied/i.test(text)) {
		return ' — bundle again into a bucket you own (or a new bucket name)';
	}

	return ' — bundle the instance again (`bundledeck bundle`); `bundledeck history` keeps this attempt';
}

function judge(targets: WaitTarget[], latest: Map<string, BundleTask>): WaitOutcome | undefined {
	const tasks = targets.flatMap((target) => {
		const task = latest.get(target.bundleId);
		return task ? [task] : [];
	});
	const failed = tasks.find((task) => task.state === 'failed' || task.state === 'cancelling');
	if (failed) {
		return {kind: 'failed', tasks, task: failed, reason: failureReason(failed)};
	}

	if (tasks.length === targets.length && tasks.every((task) => task.state === 'complete')) {
		return {kind: 'complete', tasks};
	}

	return undefined;
}

export class TaskNotFoundError extends CommandFailure {
	constructor(bundleId: string, region: string) {
		super(
			`bundle task ${bundleId} is not listed in ${region} and not in local history — check the id, or pass the task's --region`,
		);
		this.name = 'TaskNotFoundError';
	}
}

export async function waitForTasks(options: WaitOptions): Promise<WaitOutcome> {
	const {services, history, targets, signal} = options;
	const deadline = Date.now() + options.timeoutMs;
	const latest = new Map<string, BundleTask>();
	const groups = groupByRegion(targets);

	for (;;) {
		throwIfInterrupted(signal);
		let problem: string | undefined;
		// Recorded together after the round (also when it fails): one history write per round, not one per task.
		const seen: BundleTask[] = [];
		try {
			for (const [region, bundleIds] of groups) {
				let found: Map<string, BundleTask>;
				try {
					found = await describeMany(services, region, bundleIds);
				} catch (error) {
					if (isAppError(error) && error.retryable) {
						problem = error.toLine();
						continue;
					}

					throw error;
				}

				for (const bundleId of bundleIds) {
					const task = found.get(bundleId);
					if (task) {
						latest.set(bundleId, task);
						seen.push(task);
						continue;
					}

					// AWS lists finished tasks only for a while: fall back to what history saw last.
					const entry = history.get(bundleId);
					const remembered = entry && entry.region === region ? taskFromHistory(entry) : undefined;
					if (remembered && (remembered.state === 'complete' || remembered.state === 'failed')) {
						latest.set(bundleId, remembered);
					} else if (!latest.has(bundleId)) {
						throw new TaskNotFoundError(bundleId, region);
					}
				}
			}
		} finally {
			history.recordTasks(seen);
		}

		const snapshot = targets.flatMap((target) => {
			const task = latest.get(target.bundleId);
			return task ? [task] : [];
		});
		options.onRound?.(snapshot, problem);
		const outcome = judge(targets, latest);
		if (outcome) {
			return outcome;
		}

		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			return {
				kind: 'timeout',
				tasks: snapshot,
				waitingFor: snapshot.filter((task) => task.state !== 'complete'),
			};
		}

		await sleep(Math.min(options.intervalMs, remaining), signal);
	}
}

/** "bun-1 Bundling 45%" for the status line. */
export function describeProgress(task: BundleTask): string {
	const progress = task.progress === undefined ? '' : ` ${task.progress}%`;
	return `${task.bundleId} ${stateLabel(task.state)}${progress}`;
}
