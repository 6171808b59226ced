/** bundledeck wait <bundle-id...>: a real waiter (complete 0, failed/cancelled 1, timeout 3). */

import {type EtaBook, estimateFromBook, etaSampleFromTask, formatEta, updateEtaBook} from '../core/eta.js';
import {formatDuration} from '../core/format.js';
import {taskKey} from '../core/task-model.js';
import type {BundleTask} from '../core/types.js';
import {isBundleId} from '../core/validation.js';
import type {Session} from '../session.js';
import {type CommandSpec, durationValue, type FlagSpec} from './args.js';
import {amiRegion, bundleRegion, type CommandDefinition, type CommandInput, withSession} from './command.js';
import {pollIntervalRange, waitTimeoutRange} from './durations.js';
import {exitCodes, UsageError} from './exit-codes.js';
import {type TaskJson, taskJson, taskLine} from './output.js';
import {requireValue} from './prompt.js';
import {amiWaitJson, amiWaitLines, isAmiId, waitForAmis} from './wait-images.js';
import {describeProgress, type WaitOutcome, type WaitTarget, waitForTasks} from './waiter.js';

export const defaultTimeoutMs = 2 * 60 * 60 * 1000;
export const defaultIntervalMs = 15_000;

export const waitFlags = {
	timeout: {
		type: 'string',
		value: 'duration',
		description: 'give up after this long, exit 3 (default 2h)',
		range: waitTimeoutRange,
	},
	interval: {
		type: 'string',
		value: 'duration',
		description: 'time between polls (default 15s)',
		range: pollIntervalRange,
	},
} satisfies Record<string, FlagSpec>;

const spec: CommandSpec = {
	name: 'wait',
	summary: 'wait until bundle tasks, store tasks or AMIs complete',
	usage: ['wait <bundle-id | ami-id...> [--timeout 2h] [--interval 15s]'],
	details: [
		'Polls DescribeBundleTasks (one call per region per round) until every task is complete.',
		'A task that fails, or is being cancelled, ends the wait with exit 1 and the task error on stderr.',
		"Each task's or AMI's region: --region, else the region recorded in local history, else the default region.",
		'Progress is drawn on stderr when it is a terminal. Output: one BUNDLE line per task (or JSON).',
		'JSON: {"outcome": "complete"|"failed"|"timeout", "tasks": [task], "error": null|{"bundleId", "message"}}',
		'An AMI id waits for its store task (STORE line) when it has one, else until the AMI is available (IMAGE line);',
		'JSON then adds "stores": [store task] and "images": [{"kind": "image", "imageId", "region", "name", "state"}].',
	],
	flags: {...waitFlags},
	positionals: {names: '<bundle-id...>', min: 1, max: undefined},
	examples: ['bundledeck wait bun-c1a540a8 --timeout 3h', 'bundledeck wait bun-c1a540a8 bun-5e1f0c3a --json'],
};

export type WaitJson = {
	outcome: WaitOutcome['kind'];
	tasks: TaskJson[];
	error: {bundleId: string; message: string} | null;
};

export function waitJson(outcome: WaitOutcome): WaitJson {
	const error = outcome.kind === 'failed' ? {bundleId: outcome.task.bundleId, message: outcome.reason} : null;
	return {outcome: outcome.kind, tasks: outcome.tasks.map((task) => taskJson(task)), error};
}

/** The wait status line; before the first answer (no tasks yet) it says so rather than "complete". */
export function statusText(
	tasks: BundleTask[],
	startedAt: number,
	problem: string | undefined,
	book: EtaBook,
	bar: (percent: number | undefined) => string,
): string {
	const done = tasks.filter((task) => task.state === 'complete').length;
	const now = Date.now();
	const parts = tasks
		.filter((task) => task.state !== 'complete')
		.map((task) => {
			const estimate = estimateFromBook(book, taskKey(task.region, task.bundleId), now);
			const eta = estimate.kind === 'estimate' ? ` · ETA ${formatEta(estimate)}` : '';
			const drawn = tasks.length === 1 ? `${bar(task.progress)} ` : '';
			return `${drawn}${describeProgress(task)}${eta}`;
		});
	const head = tasks.length > 1 ? `${done}/${tasks.length} complete · ` : '';
	const waited = formatDuration(Date.now() - startedAt);
	const tail = problem ? ` · retrying: ${problem}` : '';
	const state = tasks.length === 0 ? 'no answer from AWS yet' : parts.join(' · ') || 'complete';
	return `Waiting ${waited} · ${head}${state}${tail}`;
}

/** Runs the waiter with progress on stderr; reports a failure or timeout on stderr; returns the exit code. */
export async function runWaiter(
	input: CommandInput,
	session: Session,
	targets: WaitTarget[],
	timing: {timeoutMs: number; intervalMs: number},
): Promise<{outcome: WaitOutcome; exitCode: number}> {
	const startedAt = Date.now();
	let book: EtaBook = {};
	let outcome: WaitOutcome;
	try {
		outcome = await waitForTasks({
			services: session.services,
			history: session.history,
			targets,
			timeoutMs: timing.timeoutMs,
			intervalMs: timing.intervalMs,
			signal: input.signal,
			onRound(tasks, problem) {
				const now = Date.now();
				for (const task of tasks) {
					book = updateEtaBook(book, taskKey(task.region, task.bundleId), etaSampleFromTask(task, now));
				}

				input.print.status(statusText(tasks, startedAt, problem, book, (percent) => input.print.bar(percent)));
			},
		});
	} finally {
		input.print.endStatus();
	}

	if (outcome.kind === 'failed') {
		input.print.error(outcome.reason);
		return {outcome, exitCode: exitCodes.failed};
	}

	if (outcome.kind === 'timeout') {
		const pending = outcome.waitingFor.map((task) => describeProgress(task)).join(', ');
		const ids = targets.map((target) => target.bundleId).join(' ');
		input.print.error(
			`timed out after ${formatDuration(timing.timeoutMs)} waiting for ${pending || ids}; run \`bundledeck wait ${ids}\` to keep waiting`,
		);
		return {outcome, exitCode: exitCodes.timeout};
	}

	return {outcome, exitCode: exitCodes.ok};
}

async function run(input: CommandInput): Promise<number> {
	const {parsed} = input;
	const ids =
		parsed.positionals.length > 0
			? parsed.positionals
			: [await requireValue(input.prompt, {flag: '<bundle-id>', label: 'bundle task id', value: undefined})];
	for (const id of ids) {
		if (!isBundleId(id) && !isAmiId(id)) {
			throw new UsageError(
				`<bundle-id> '${id}': neither a bundle id nor an AMI id (they look like bun-c1a540a8 and ami-0123456789abcdef0)`,
			);
		}
	}

	const timing = {
		timeoutMs: durationValue(parsed, 'timeout', defaultTimeoutMs),
		intervalMs: durationValue(parsed, 'interval', defaultIntervalMs),
	};

	return withSession(input, async (session) => {
		const amiIds = [...new Set(ids.filter((id) => isAmiId(id)))];
		const amiRegionOf = (imageId: string) => amiRegion(input, session, imageId);
		const bundleIds = [...new Set(ids.filter((id) => !isAmiId(id)))];
		if (bundleIds.length === 0) {
			// AMIs only: store tasks (by their AMI id) and AMIs being created or restored
			const result = await waitForAmis(input, session, amiRegionOf, amiIds, timing);
			if (parsed.globals.json) {
				input.print.json({outcome: 'complete', tasks: [], error: null, ...amiWaitJson(result)});
			} else {
				for (const line of amiWaitLines(result)) {
					input.print.line(line);
				}
			}

			return exitCodes.ok;
		}

		const targets = bundleIds.map((bundleId) => ({bundleId, region: bundleRegion(input, session, bundleId)}));
		const {outcome, exitCode} = await runWaiter(input, session, targets, timing);
		const amis =
			exitCode === exitCodes.ok && amiIds.length > 0
				? await waitForAmis(input, session, amiRegionOf, amiIds, timing)
				: {stores: [], images: [], instances: new Map<string, string>()};
		if (parsed.globals.json) {
			input.print.json({...waitJson(outcome), ...amiWaitJson(amis)});
		} else {
			const regions = new Set(outcome.tasks.map((task) => task.region));
			for (const task of outcome.tasks) {
				input.print.line(taskLine(task, regions.size > 1));
			}

			for (const line of amiWaitLines(amis)) {
				input.print.line(line);
			}
		}

		return exitCode;
	});
}

export const waitCommand: CommandDefinition = {spec, run};
