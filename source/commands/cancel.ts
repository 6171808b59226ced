/** bundledeck cancel <bundle-id>: CancelBundleTask (asks first on a terminal; --yes off a terminal). */
import {AppError, isAppError} from '../core/app-error.js';
import {isTerminalState} from '../core/task-model.js';
import type {BundleTask} from '../core/types.js';
import {isImageId, validateBundleId} from '../core/validation.js';
import type {Session} from '../session.js';
import {booleanValue, type CommandSpec} from './args.js';
import {bundleRegion, type CommandDefinition, type CommandInput, withSession} from './command.js';
import {exitCodes} from './exit-codes.js';
import {taskJson, taskLine} from './output.js';
import {confirm, requireValue} from './prompt.js';

const spec: CommandSpec = {
	name: 'cancel',
	summary: 'cancel a bundle task that is still running',
	usage: ['cancel <bundle-id> [--yes]'],
	details: [
		'Calls CancelBundleTask: the task goes to "cancelling" and never completes; the instance keeps running.',
		'On a terminal it asks first unless --yes; without a terminal (or with --json) --yes is required.',
		"The task's region: --region, else the region recorded in local history, else the default region.",
		'A task already complete or failed: exit 1, "nothing to cancel"; one already cancelling: exit 0 with a note.',
		'An id AWS does not know: "not found" (or, when local history knows it, how history last saw it).',
		'Output: the task as a BUNDLE line. JSON: {"task": task}',
	],
	flags: {
		yes: {type: 'boolean', short: 'y', description: 'do not ask for confirmation'},
	},
	positionals: {names: '<bundle-id>', min: 1, max: 1},
	examples: ['bundledeck cancel bun-c1a540a8 --yes'],
};

async function run(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	const bundleId = await requireValue(input.prompt, {
		flag: '<bundle-id>',
		label: 'bundle task to cancel',
		value: parsed.positionals[0],
		// An AMI id is most likely a store or restore task's: say why those are not cancelled, as the dashboard does
		validate: (value) =>
			isImageId(value)
				? {
						ok: false,
						reason: `'${value}' is an AMI id: AWS has no cancel for store or restore tasks (a store task ends by itself; deregister a restored AMI once it is available); cancel takes a bundle id (bun-c1a540a8)`,
					}
				: validateBundleId(value),
	});
	const yes = booleanValue(parsed, 'yes');
	if (!yes && !input.prompt.interactive) {
		// Refuse before opening a session: nothing can be confirmed without a terminal.
		await confirm(input.prompt, '', '--yes');
	}

	return withSession(input, async (session) => {
		const region = bundleRegion(input, session, bundleId);
		if (!yes) {
			const entry = session.history.get(bundleId);
			const what = entry ? ` (instance ${entry.instanceId} into s3://${entry.bucket}/${entry.prefix})` : '';
			const confirmed = await confirm(
				input.prompt,
				`Cancel bundle task ${bundleId}${what} in ${region}? The bundle will not complete.`,
				'--yes',
			);
			if (!confirmed) {
				print.error('not cancelled');
				return exitCodes.failed;
			}
		}

		let task: BundleTask;
		try {
			// Not interruptible: once AWS acts, the result is recorded and shown (Ctrl+C lands right after).
			task = await session.services.cancelBundle(region, bundleId);
		} catch (error) {
			const finished = await alreadyFinished(error, session, region, bundleId);
			if (!finished) {
				throw explainRefusal(error, session, region, bundleId);
			}

			task = finished;
			session.history.recordTask(task);
			if (task.state !== 'cancelling') {
				throw new AppError({
					code: 'IncorrectState',
					message: `bundle task ${bundleId} is already ${task.state} in ${region} (since ${task.updateTime.toISOString()}): there is nothing to cancel`,
					requestId: isAppError(error) ? error.requestId : undefined,
				});
			}

			// What the user asked for is already under way: say so and show the task, as a cancel would.
			print.note(`bundle task ${bundleId} is already being cancelled`);
		}

		session.history.recordTask(task);
		if (parsed.globals.json) {
			print.json({task: taskJson(task)});
		} else {
			print.line(taskLine(task, false));
		}

		return exitCodes.ok;
	});
}

/** AWS refused because the task is no longer running: the task as DescribeBundleTasks shows it now. */
async function alreadyFinished(
	error: unknown,
	session: Session,
	region: string,
	bundleId: string,
): Promise<BundleTask | undefined> {
	if (!isAppError(error) || error.code !== 'IncorrectState') {
		return undefined;
	}

	const [task] = await session.services.describeBundleTasks(region, [bundleId]).catch(() => []);
	return task && (task.state === 'cancelling' || isTerminalState(task.state)) ? task : undefined;
}

/**
 * An id AWS does not know: "not found", as AWS says, unless local history knows the task (then AWS stopped listing
 * it after it finished, and history says how it ended).
 */
function explainRefusal(error: unknown, session: Session, region: string, bundleId: string): unknown {
	if (!isAppError(error) || error.code !== 'InvalidBundleID.NotFound') {
		return error;
	}

	const entry = session.history.get(bundleId);
	if (!entry) {
		return new AppError({
			code: error.code,
			message: `bundle task ${bundleId} not found in ${region}`,
			hint: `check the id and the region (--region); \`bundledeck tasks --all-regions\` lists the tasks AWS knows`,
			requestId: error.requestId,
		});
	}

	const last = entry.lastState
		? `; history last saw it ${entry.lastState}${entry.lastUpdate ? ` at ${entry.lastUpdate}` : ''}`
		: '';
	const elsewhere =
		entry.region === region
			? ''
			: ` (history has it in ${entry.region}: \`bundledeck cancel ${bundleId} --region ${entry.region}\`)`;
	return new AppError({
		code: error.code,
		message: `AWS no longer lists bundle task ${bundleId} in ${region}${last}${elsewhere}`,
		hint: 'AWS lists finished tasks only for a while, and a finished task cannot be cancelled',
		requestId: error.requestId,
	});
}

export const cancelCommand: CommandDefinition = {spec, run};
