/** bundledeck cancel <bundle-id>: CancelBundleTask (asks first on a terminal; --yes off a terminal). */
import {validateBundleId} from '../core/validation.js';
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
		validate: validateBundleId,
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

		// Not interruptible: once AWS acts, the result is recorded and shown (Ctrl+C lands right after).
		const task = await session.services.cancelBundle(region, bundleId);
		session.history.recordTask(task);
		if (parsed.globals.json) {
			print.json({task: taskJson(task)});
		} else {
			print.line(taskLine(task, false));
		}

		return exitCodes.ok;
	});
}

export const cancelCommand: CommandDefinition = {spec, run};
