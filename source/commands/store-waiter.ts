/**
 * Waiting on the image -> S3 path: an AMI until available (from its snapshots' progress) and a store task until
 * Completed, with progress and ETA on the status line. Failures end with one line; a timeout exits 3. What each
 * poll sees updates the history entry it belongs to (a chain, a restore), as waiting on a bundle does.
 */
import {addEtaSample, type EtaState, estimateEta, formatEta, initialEtaState} from '../core/eta.js';
import {formatDuration} from '../core/format.js';
import type {History} from '../core/history.js';
import type {Services} from '../core/services.js';
import type {Image, StoreTask} from '../core/types.js';
import {snapshotsProgress} from '../core/work-model.js';
import {sleep} from './abort.js';
import type {CommandInput} from './command.js';
import {CommandFailure, exitCodes} from './exit-codes.js';

export type PollTiming = {timeoutMs: number; intervalMs: number};

/** Where a waiter asks (services) and records what it saw (history): a Session has both. */
export type WaitWork = {services: Services; history: History};

class WaitTimeout extends CommandFailure {
	constructor(message: string) {
		super(message, exitCodes.timeout);
	}
}

async function poll<T>(
	input: CommandInput,
	timing: PollTiming,
	what: string,
	check: () => Promise<{done: T} | {progress: number | undefined; label: string}>,
): Promise<T> {
	const startedAt = Date.now();
	let eta: EtaState = initialEtaState;
	try {
		for (;;) {
			const result = await check();
			if ('done' in result) {
				return result.done;
			}

			const now = Date.now();
			eta = addEtaSample(eta, {timeMs: now, progress: result.progress, phase: what});
			const estimate = estimateEta(eta, now);
			input.print.status(
				`${input.print.bar(result.progress)} ${result.label} · ${formatDuration(now - startedAt)}${estimate.kind === 'estimate' ? ` · ETA ${formatEta(estimate)}` : ''}`,
			);
			if (now - startedAt >= timing.timeoutMs) {
				throw new WaitTimeout(
					`timed out after ${formatDuration(timing.timeoutMs)} waiting for ${what}; run the command again to keep waiting`,
				);
			}

			await sleep(timing.intervalMs, input.signal);
		}
	} finally {
		input.print.endStatus();
	}
}

/** Until the AMI is available; fails when it fails. */
export async function waitForImage(
	input: CommandInput,
	{services, history}: WaitWork,
	region: string,
	imageId: string,
	timing: PollTiming,
): Promise<Image> {
	return poll<Image>(input, timing, `AMI ${imageId}`, async () => {
		const [image] = await services.describeImages(region, [imageId]);
		if (image) {
			history.recordTask(image);
		}

		if (!image) {
			throw new CommandFailure(`AMI ${imageId} no longer exists in ${region}`, exitCodes.failed);
		}

		if (image.state === 'available') {
			return {done: image};
		}

		if (image.state !== 'pending') {
			throw new CommandFailure(`AMI ${imageId} is ${image.state}: it could not be created`, exitCodes.failed);
		}

		const snapshotIds = (image.blockDevices ?? []).flatMap((device) => (device.snapshotId ? [device.snapshotId] : []));
		const snapshots = snapshotIds.length > 0 ? await services.describeSnapshots(region, snapshotIds) : [];
		const progress = snapshotsProgress(image, snapshots);
		return {progress, label: `image ${imageId} ${progress ?? 0}%`};
	});
}

/** Until the store task of the AMI is Completed; fails with its failure reason. */
export async function waitForStoreTask(
	input: CommandInput,
	{services, history}: WaitWork,
	region: string,
	imageId: string,
	timing: PollTiming,
): Promise<StoreTask> {
	return poll<StoreTask>(input, timing, `the store task of ${imageId}`, async () => {
		const [task] = await services.describeStoreTasks(region, [imageId]);
		if (task) {
			history.recordTask(task);
		}

		if (!task) {
			throw new CommandFailure(
				`AWS lists no store task of ${imageId} in ${region} (tasks are listed for 31 days)`,
				exitCodes.failed,
			);
		}

		if (task.state === 'Completed') {
			return {done: task};
		}

		if (task.state === 'Failed') {
			throw new CommandFailure(
				`the store task of ${imageId} failed: ${task.failureReason ?? 'AWS gave no reason'}`,
				exitCodes.failed,
			);
		}

		return {progress: task.progress, label: `store ${imageId} ${task.progress ?? 0}%`};
	});
}
