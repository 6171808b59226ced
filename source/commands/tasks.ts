/** bundledeck tasks: bundle tasks of one or more regions, like the classic BUNDLE lines; --watch re-polls. */
import {type AppError, isAppError} from '../core/app-error.js';
import {formatClock, formatDuration} from '../core/format.js';
import {
	bundleTaskMatches,
	type StateFilter,
	stateFilterHelp,
	stateFilterOf,
	storeTaskMatches,
} from '../core/state-filter.js';
import {bundleStates, isTerminalState, sortTasks} from '../core/task-model.js';
import type {BundleTask, StoreTask} from '../core/types.js';
import type {Session} from '../session.js';
import {interruptible, sleep} from './abort.js';
import {booleanValue, type CommandSpec, durationValue, stringValue} from './args.js';
import {type CommandDefinition, type CommandInput, withSession} from './command.js';
import {pollIntervalRange} from './durations.js';
import {exitCodes, UsageError} from './exit-codes.js';
import {
	clearDown,
	clearScreen,
	cursorUp,
	fitFrame,
	frameWidth,
	oneLine,
	type Printer,
	taskJson,
	taskLine,
} from './output.js';
import {storeTaskJson, storeTaskLine} from './store-output.js';
import {bundleTableRow, storeTableRow, taskTable} from './task-table-text.js';

const defaultWatchIntervalMs = 10_000;

const spec: CommandSpec = {
	name: 'tasks',
	summary: 'list bundle tasks and store tasks',
	usage: ['tasks [--region R ...|--all-regions] [--state S] [--watch [--interval 10s]]'],
	details: [
		'On a terminal: an aligned table as wide as the terminal (KIND ID INSTANCE [REGION] STATE PROGRESS STARTED',
		'LOCATION; when narrow, LOCATION shrinks and columns go, never STATE or PROGRESS). Piped: one line per task,',
		'tab-separated like the classic tool, newest first:',
		'  BUNDLE <bundle-id> <instance-id> <bucket> <prefix> <start> <update> <state> <progress> [<region>]',
		'  STORE <ami-id> <instance-id|-> <bucket> <ami-id>.bin <start> <state> <progress> [<region>]',
		"(a store task's instance: the one history recorded, else the AMI's source instance as AWS reports it, else -)",
		'(the region column is added when several regions are listed; times are ISO 8601, progress "45%" or "-").',
		'One DescribeBundleTasks and one DescribeStoreImageTasks (all pages) per region, and one DescribeImages for the',
		'source instance of store tasks bundledeck did not start. A region that fails does not hide the others: its error',
		'goes to stderr and the exit code is 1.',
		'--watch polls again until every task is complete or failed (Ctrl+C stops: exit 130); on a terminal the',
		'table is redrawn in place, otherwise only changed lines are printed.',
		'JSON: {"tasks": [task], "errors": [{"region", "code", "message", "requestId": string|null}]}',
		'  task: {"kind": "bundle", "bundleId", "region", "instanceId", "state", "progress": 0-100|null, "bucket",',
		'         "prefix", "manifestLocation", "startTime", "updateTime", "error": null|{"code", "message"}}',
		'     or {"kind": "store", "amiId", "region", "instanceId", "bucket", "objectKey", "state", "progress", ...}',
		'--watch --json: one compact document per line when something changed: {"time", "tasks", "errors"}.',
		`States (AWS's own): bundle tasks ${bundleStates.join(', ')};`,
		'store tasks InProgress, Completed, Failed.',
		'--state takes in-progress, complete or failed for both kinds, any of those states (in any case), and',
		'cancelled (the bundle tasks that failed because they were cancelled).',
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

/**
 * retrying: an error worth polling again for (connection refused, throttling, 5xx) came up this round.
 * storeInstances: the instance each store task's AMI was made from, when known (by region/ami-id).
 */
type Round = {
	tasks: BundleTask[];
	stores: StoreTask[];
	storeInstances: ReadonlyMap<string, string>;
	errors: RegionError[];
	retrying: boolean;
};

function regionError(region: string, error: unknown): RegionError {
	if (isAppError(error)) {
		const appError: AppError = error;
		return {region, code: appError.code, message: appError.toLine(), requestId: appError.requestId ?? null};
	}

	const message = error instanceof Error ? error.message : String(error);
	return {region, code: 'Error', message: oneLine(message), requestId: null};
}

/** The source instance AWS reported for an AMI (null: none), asked once per run, not once per --watch round. */
type SourceCache = Map<string, string | null>;

async function poll(
	input: CommandInput,
	session: Session,
	regions: string[],
	state: StateFilter | undefined,
	sources: SourceCache,
): Promise<Round> {
	const tasks: BundleTask[] = [];
	const errors: RegionError[] = [];
	let retrying = false;
	const [results, storeResults] = await interruptible(
		Promise.all([
			Promise.allSettled(regions.map(async (region) => session.services.describeBundleTasks(region))),
			Promise.allSettled(regions.map(async (region) => session.services.describeStoreTasks(region))),
		]),
		input.signal,
	);
	for (const [index, result] of results.entries()) {
		const region = regions[index] ?? '';
		if (result.status === 'fulfilled') {
			tasks.push(...result.value);
		} else {
			errors.push(regionError(region, result.reason));
			retrying ||= isAppError(result.reason) && result.reason.retryable;
		}
	}

	const stores: StoreTask[] = [];
	for (const [index, result] of storeResults.entries()) {
		if (result.status === 'fulfilled') {
			stores.push(...result.value.filter((task) => state === undefined || storeTaskMatches(state, task.state)));
		} else {
			retrying ||= isAppError(result.reason) && result.reason.retryable;
			if (!errors.some((error) => error.region === regions[index])) {
				// One error line per region: a region that refuses both calls is reported once
				errors.push(regionError(regions[index] ?? '', result.reason));
			}
		}
	}

	session.history.recordTasks([...tasks, ...stores]);
	const filtered = state === undefined ? tasks : tasks.filter((task) => bundleTaskMatches(state, task));
	const storeInstances = await instancesOfStores(session, stores, sources, input.signal);
	return {tasks: sortTasks(filtered, 'start'), stores, storeInstances, errors, retrying};
}

/**
 * The instance behind each store task: the one history recorded for the chain, else the AMI's source instance as
 * AWS reports it (one DescribeImages per region for the AMIs history does not know; a failure leaves them `-`).
 */
async function instancesOfStores(
	session: Session,
	stores: readonly StoreTask[],
	sources: SourceCache,
	signal: AbortSignal | undefined,
): Promise<Map<string, string>> {
	const known = new Map<string, string>();
	for (const entry of session.history.list()) {
		if (entry.kind === 'store' && entry.instanceId) {
			known.set(`${entry.region}/${entry.imageId}`, entry.instanceId);
		}
	}

	const unknown = new Map<string, string[]>();
	for (const task of stores) {
		if (!known.has(`${task.region}/${task.amiId}`) && !sources.has(`${task.region}/${task.amiId}`)) {
			unknown.set(task.region, [...(unknown.get(task.region) ?? []), task.amiId]);
		}
	}

	const described = await interruptible(
		Promise.all(
			[...unknown].map(async ([region, ids]) => session.services.describeImages(region, ids).catch(() => [])),
		),
		signal,
	);
	for (const [region, ids] of unknown) {
		for (const id of ids) {
			sources.set(`${region}/${id}`, null);
		}
	}

	for (const image of described.flat()) {
		sources.set(`${image.region}/${image.imageId}`, image.sourceInstanceId ?? null);
	}

	for (const [key, instanceId] of sources) {
		if (instanceId && !known.has(key)) {
			known.set(key, instanceId);
		}
	}

	return known;
}

function storeInstance(round: Round, task: StoreTask): string | undefined {
	return round.storeInstances.get(`${task.region}/${task.amiId}`);
}

function storeFingerprint(task: StoreTask): string {
	return `${task.state}|${task.progress ?? ''}`;
}

function fingerprint(task: BundleTask): string {
	return `${task.state}|${task.progress ?? ''}|${task.updateTime.getTime()}`;
}

function roundJson(round: Round) {
	return {
		tasks: [
			...round.tasks.map((task) => taskJson(task)),
			...round.stores.map((task) => storeTaskJson(task, storeInstance(round, task))),
		],
		errors: round.errors,
	};
}

function roundLines(round: Round, withRegion: boolean): string[] {
	return [
		...round.tasks.map((task) => taskLine(task, withRegion)),
		...round.stores.map((task) => storeTaskLine(task, withRegion, storeInstance(round, task))),
	];
}

/** On a terminal: an aligned table as wide as the terminal (nothing at all when there are no tasks). */
function roundTable(round: Round, withRegion: boolean, print: Printer): string[] {
	const rows = [
		...round.tasks.map((task) => bundleTableRow(task)),
		...round.stores.map((task) => storeTableRow(task, storeInstance(round, task))),
	];
	return rows.length === 0 ? [] : taskTable(rows, {width: frameWidth(print.stdout), withRegion});
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
	const stateText = stringValue(parsed, 'state');
	const state = stateText === undefined ? undefined : stateFilterOf(stateText);
	if (stateText !== undefined && state === undefined) {
		throw new UsageError(`--state '${stateText}' is not a task state (${stateFilterHelp})`);
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
			const round = await poll(input, session, regions, state, new Map());
			if (json) {
				print.json(roundJson(round));
			} else {
				for (const line of print.stdout.isTTY ? roundTable(round, withRegion, print) : roundLines(round, withRegion)) {
					print.line(line);
				}

				if (round.tasks.length === 0 && round.stores.length === 0 && round.errors.length === 0 && print.stderr.isTTY) {
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
		let drawnWidth = 0;
		let first = true;
		const sources: SourceCache = new Map();
		for (;;) {
			const round = await poll(input, session, regions, state, sources);
			const errorsText = JSON.stringify(round.errors);
			if (redraw) {
				const lines = roundTable(round, withRegion, print);
				const footer = `Updated ${formatClock(new Date())} · every ${formatDuration(intervalMs)} · Ctrl+C to stop`;
				const errorLines = round.errors.map((error) => `${error.region}: ${error.message}`);
				const frame = fitFrame(lines, [...errorLines, footer], print.stdout);
				// After a resize the old frame re-wrapped and cannot be counted back over: clear the screen instead.
				const width = frameWidth(print.stdout);
				const back = drawnWidth === width ? `${cursorUp(drawnLines)}\r${clearDown}` : drawnLines > 0 ? clearScreen : '';
				print.stdout.write(`${back}${frame.join('\n')}\n`);
				drawnLines = frame.length;
				drawnWidth = width;
			} else {
				const changed = round.tasks.filter((task) => seen.get(`${task.region}/${task.bundleId}`) !== fingerprint(task));
				const changedStores = round.stores.filter(
					(task) => seen.get(`${task.region}/${task.amiId}`) !== storeFingerprint(task),
				);
				if (json) {
					if (changed.length > 0 || changedStores.length > 0 || errorsText !== lastErrors || first) {
						print.jsonLine({time: new Date().toISOString(), ...roundJson(round)});
					}
				} else {
					for (const line of roundLines(
						{tasks: changed, stores: changedStores, storeInstances: round.storeInstances, errors: [], retrying: false},
						withRegion,
					)) {
						print.line(line);
					}
				}

				if (errorsText !== lastErrors) {
					reportErrors(round.errors);
				}
			}

			for (const task of round.tasks) {
				seen.set(`${task.region}/${task.bundleId}`, fingerprint(task));
			}

			for (const task of round.stores) {
				seen.set(`${task.region}/${task.amiId}`, storeFingerprint(task));
			}

			lastErrors = errorsText;
			first = false;
			if (round.retrying) {
				// The region may come back (the sandbox service restarting, a network blip): keep watching, and say when.
				await retryCountdown(intervalMs, input.signal, (seconds) => {
					const line = `retrying in ${seconds}s · Ctrl+C to stop`;
					if (redraw) {
						print.stdout.write(`${cursorUp(1)}\r${clearDown}${line}\n`);
					} else if (!json && seconds * 1000 >= intervalMs - 999) {
						print.stderr.write(`bundledeck: ${line}\n`);
					}
				});
				continue;
			}

			if (
				round.tasks.every((task) => isTerminalState(task.state)) &&
				round.stores.every((task) => task.state !== 'InProgress')
			) {
				if (redraw) {
					reportErrors(round.errors);
				}

				return round.errors.length > 0 ? exitCodes.failed : exitCodes.ok;
			}

			await sleep(intervalMs, input.signal);
		}
	});
}

/** Sleeps intervalMs, telling show() the whole seconds left once a second. */
async function retryCountdown(intervalMs: number, signal: AbortSignal | undefined, show: (seconds: number) => void) {
	for (let left = intervalMs; left > 0; left -= 1000) {
		show(Math.ceil(left / 1000));
		await sleep(Math.min(1000, left), signal);
	}
}

export const tasksCommand: CommandDefinition = {spec, run};
