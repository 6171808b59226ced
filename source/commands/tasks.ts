/** bundledeck tasks: bundle tasks of one or more regions, like the classic BUNDLE lines; --watch re-polls. */
import {type AppError, isAppError} from '../core/app-error.js';
import {formatClock, formatDuration} from '../core/format.js';
import {bundleStates, isBundleState, isTerminalState, sortTasks} from '../core/task-model.js';
import type {BundleTask} from '../core/types.js';
import type {Session} from '../session.js';
import {interruptible, sleep} from './abort.js';
import {booleanValue, type CommandSpec, durationValue, stringValue} from './args.js';
import {type CommandDefinition, type CommandInput, withSession} from './command.js';
import {pollIntervalRange} from './durations.js';
import {exitCodes, UsageError} from './exit-codes.js';
import {clearDown, cursorUp, fitFrame, oneLine, taskJson, taskLine} from './output.js';

const defaultWatchIntervalMs = 10_000;

const spec: CommandSpec = {
	name: 'tasks',
	summary: 'list bundle tasks',
	usage: ['tasks [--region R ...|--all-regions] [--state S] [--watch [--interval 10s]]'],
	details: [
		'One line per task, tab-separated like the classic tool, newest first:',
		'  BUNDLE <bundle-id> <instance-id> <bucket> <prefix> <start> <update> <state> <progress> [<region>]',
		'(the region column is added when several regions are listed; times are ISO 8601, progress "45%" or "-").',
		'One DescribeBundleTasks call per region. A region that fails does not hide the others: its error goes to',
		'stderr and the exit code is 1.',
		'--watch polls again until every task is complete or failed (Ctrl+C stops: exit 130); on a terminal the',
		'table is redrawn in place, otherwise only changed lines are printed.',
		'JSON: {"tasks": [task], "errors": [{"region", "code", "message", "requestId": string|null}]}',
		'  task: {"bundleId", "region", "instanceId", "state", "progress": 0-100|null, "bucket", "prefix",',
		'         "manifestLocation", "startTime", "updateTime", "error": null|{"code", "message"}}',
		'--watch --json: one compact document per line when something changed: {"time", "tasks", "errors"}.',
		`States: ${bundleStates.join(', ')}.`,
	],
	flags: {
		'all-regions': {type: 'boolean', description: 'every region enabled for the account'},
		state: {type: 'string', value: 'state', description: 'only tasks in this state'},
		watch: {type: 'boolean', description: 'poll until all tasks are complete or failed'},
		interval: {
			type: 'string',
			value: 'duration',
			description: 'time between polls with --watch (default 10s)',
			range: pollIntervalRange,
		},
	},
	positionals: {names: '', min: 0, max: 0},
	multiRegion: true,
	examples: [
		'bundledeck tasks',
		'bundledeck tasks --region us-east-1 --region eu-west-1 --state bundling',
		'bundledeck tasks --all-regions --json',
	],
};

type RegionError = {region: string; code: string; message: string; requestId: string | null};

type Round = {tasks: BundleTask[]; errors: RegionError[]};

function regionError(region: string, error: unknown): RegionError {
	if (isAppError(error)) {
		const appError: AppError = error;
		return {region, code: appError.code, message: appError.toLine(), requestId: appError.requestId ?? null};
	}

	const message = error instanceof Error ? error.message : String(error);
	return {region, code: 'Error', message: oneLine(message), requestId: null};
}

async function poll(
	input: CommandInput,
	session: Session,
	regions: string[],
	state: string | undefined,
): Promise<Round> {
	const results = await interruptible(
		Promise.allSettled(regions.map(async (region) => session.services.describeBundleTasks(region))),
		input.signal,
	);
	const tasks: BundleTask[] = [];
	const errors: RegionError[] = [];
	for (const [index, result] of results.entries()) {
		const region = regions[index] ?? '';
		if (result.status === 'fulfilled') {
			for (const task of result.value) {
				session.history.recordTask(task);
			}

			tasks.push(...result.value);
		} else {
			errors.push(regionError(region, result.reason));
		}
	}

	const filtered = state === undefined ? tasks : tasks.filter((task) => task.state === state);
	return {tasks: sortTasks(filtered, 'start'), errors};
}

function fingerprint(task: BundleTask): string {
	return `${task.state}|${task.progress ?? ''}|${task.updateTime.getTime()}`;
}

function roundJson(round: Round) {
	return {tasks: round.tasks.map((task) => taskJson(task)), errors: round.errors};
}

async function resolveRegions(input: CommandInput, session: Session): Promise<string[]> {
	if (booleanValue(input.parsed, 'all-regions')) {
		return interruptible(session.services.listRegions(), input.signal);
	}

	const {regions} = input.parsed.globals;
	return regions.length > 0 ? regions : [session.services.defaultRegion];
}

async function run(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	const state = stringValue(parsed, 'state');
	if (state !== undefined && !isBundleState(state)) {
		throw new UsageError(`--state '${state}' is not a bundle task state (one of ${bundleStates.join(', ')})`);
	}

	if (booleanValue(parsed, 'all-regions') && parsed.globals.regions.length > 0) {
		throw new UsageError('--all-regions cannot be combined with --region');
	}

	const watch = booleanValue(parsed, 'watch');
	if (!watch && stringValue(parsed, 'interval') !== undefined) {
		throw new UsageError('--interval only applies with --watch');
	}

	const intervalMs = durationValue(parsed, 'interval', defaultWatchIntervalMs);
	const json = parsed.globals.json;

	return withSession(input, async (session) => {
		const regions = await resolveRegions(input, session);
		const withRegion = regions.length > 1;
		const reportErrors = (errors: RegionError[]) => {
			for (const error of errors) {
				print.error(`${error.region}: ${error.message}`);
			}
		};

		if (!watch) {
			const round = await poll(input, session, regions, state);
			if (json) {
				print.json(roundJson(round));
			} else {
				for (const task of round.tasks) {
					print.line(taskLine(task, withRegion));
				}

				if (round.tasks.length === 0 && round.errors.length === 0 && print.stderr.isTTY) {
					const where = regions.length === 1 ? `in ${regions[0]}` : `in ${regions.length} regions`;
					print.stderr.write(`No bundle tasks${state ? ` in state ${state}` : ''} ${where}.\n`);
				}
			}

			reportErrors(round.errors);
			return round.errors.length > 0 ? exitCodes.failed : exitCodes.ok;
		}

		const redraw = Boolean(print.stdout.isTTY) && !json;
		const seen = new Map<string, string>();
		let lastErrors = '';
		let drawnLines = 0;
		let first = true;
		for (;;) {
			const round = await poll(input, session, regions, state);
			const errorsText = JSON.stringify(round.errors);
			if (redraw) {
				const lines = round.tasks.map((task) => taskLine(task, withRegion));
				const footer = `Updated ${formatClock(new Date())} · every ${formatDuration(intervalMs)} · Ctrl+C to stop`;
				const errorLines = round.errors.map((error) => `${error.region}: ${error.message}`);
				const frame = fitFrame(lines, [...errorLines, footer], print.stdout);
				print.stdout.write(`${cursorUp(drawnLines)}\r${clearDown}${frame.join('\n')}\n`);
				drawnLines = frame.length;
			} else {
				const changed = round.tasks.filter((task) => seen.get(`${task.region}/${task.bundleId}`) !== fingerprint(task));
				if (json) {
					if (changed.length > 0 || errorsText !== lastErrors || first) {
						print.jsonLine({time: new Date().toISOString(), ...roundJson(round)});
					}
				} else {
					for (const task of changed) {
						print.line(taskLine(task, withRegion));
					}
				}

				if (errorsText !== lastErrors) {
					reportErrors(round.errors);
				}
			}

			for (const task of round.tasks) {
				seen.set(`${task.region}/${task.bundleId}`, fingerprint(task));
			}

			lastErrors = errorsText;
			first = false;
			if (round.tasks.every((task) => isTerminalState(task.state))) {
				if (redraw) {
					reportErrors(round.errors);
				}

				return round.errors.length > 0 ? exitCodes.failed : exitCodes.ok;
			}

			await sleep(intervalMs, input.signal);
		}
	});
}

export const tasksCommand: CommandDefinition = {spec, run};
