/** bundledeck register <manifest | bundle-id> --name N: RegisterImage for a bundle in S3. */
import {adoptedImageLine} from '../core/lost-answers.js';
import {validateAmiName} from '../core/validation.js';
import {type CommandSpec, stringValue} from './args.js';
import {resolveBundleSource, validateBundleSource} from './bundle-source.js';
import {type CommandDefinition, type CommandInput, withSession} from './command.js';
import {exitCodes} from './exit-codes.js';
import {architectureValue, descriptionValue, imageFlags} from './image-flags.js';
import {requireValue} from './prompt.js';

const spec: CommandSpec = {
	name: 'register',
	summary: 'register a bundle as an AMI',
	usage: ['register <bucket/prefix.manifest.xml | bundle-id> --name N [--description D] [--architecture A]'],
	details: [
		'A bundle id must belong to a complete task. When AWS no longer lists the task (finished tasks are listed only',
		'for a while), the bucket and prefix recorded in local history are used.',
		'Region: --region, else the region recorded in history, else the default region.',
		'Prints the new image id. JSON: {"imageId", "region", "name", "manifestLocation", "bundleId": string|null}',
	],
	flags: {...imageFlags},
	positionals: {names: '<manifest | bundle-id>', min: 1, max: 1},
	examples: [
		'bundledeck register bun-c1a540a8 --name "win2019 base"',
		'bundledeck register my-amis/win2019-base.manifest.xml --name win2019-base --region eu-west-1',
	],
};

async function run(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	const source = await requireValue(input.prompt, {
		flag: '<manifest | bundle-id>',
		label: 'bundle id or bucket/prefix.manifest.xml',
		value: parsed.positionals[0],
		validate: validateBundleSource,
	});
	const name = await requireValue(input.prompt, {
		flag: '--name',
		label: 'AMI name',
		value: stringValue(parsed, 'name'),
		validate: validateAmiName,
	});
	const description = descriptionValue(parsed);
	const architecture = architectureValue(parsed);

	return withSession(input, async (session) => {
		const bundle = await resolveBundleSource(input, session, source, '<manifest | bundle-id>');
		if (bundle.via === 'history' && !parsed.globals.json) {
			print.warn(`${bundle.bundleId} is no longer listed by AWS; using ${bundle.manifestLocation} from local history`);
		}

		// Not interruptible: once AWS acts, the result is recorded and shown (Ctrl+C lands right after).
		const {imageId, adopted} = await session.services.registerImage({
			region: bundle.region,
			manifestLocation: bundle.manifestLocation,
			name,
			description,
			architecture,
		});
		if (adopted) {
			print.warn(adoptedImageLine(imageId, name, bundle.manifestLocation));
		}

		if (bundle.bundleId) {
			session.history.recordImage(bundle.bundleId, {
				imageId,
				region: bundle.region,
				name,
				kind: 'registered',
				at: new Date().toISOString(),
			});
		}

		if (parsed.globals.json) {
			print.json({
				imageId,
				region: bundle.region,
				name,
				manifestLocation: bundle.manifestLocation,
				bundleId: bundle.bundleId ?? null,
			});
		} else {
			print.line(imageId);
		}

		return exitCodes.ok;
	});
}

export const registerCommand: CommandDefinition = {spec, run};
