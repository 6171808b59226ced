/** bundledeck copy-image <ami-id> --to-region R [--name N]: CopyImage into another region. */
import {validateImageId, validateRegion} from '../core/validation.js';
import {interruptible} from './abort.js';
import {type CommandSpec, stringValue} from './args.js';
import {entryForManifest} from './bundle-source.js';
import {type CommandDefinition, type CommandInput, regionOf, withSession} from './command.js';
import {sameRegionCopyName} from './copy-name.js';
import {CommandFailure, exitCodes} from './exit-codes.js';
import {descriptionValue, imageFlags, nameValue} from './image-flags.js';
import {requireValue} from './prompt.js';

const spec: CommandSpec = {
	name: 'copy-image',
	summary: 'copy an AMI to another region (CopyImage)',
	usage: ['copy-image <ami-id> --to-region R [--name N] [--description D]'],
	details: [
		'The source region is --region (else the default region). Without --name, a copy into another region keeps',
		"the source name; a copy into the same region (AMI names are unique per region) is named '<name> (copy)',",
		"or '<name> (copy N)' when that is taken.",
		'Prints the new image id. JSON: {"imageId", "region", "name", "sourceImageId", "sourceRegion"}',
	],
	flags: {
		'to-region': {type: 'string', value: 'R', description: 'destination region'},
		name: imageFlags.name,
		description: imageFlags.description,
	},
	positionals: {names: '<ami-id>', min: 1, max: 1},
	examples: ['bundledeck copy-image ami-0abc1234 --region us-east-1 --to-region eu-west-1'],
};

async function run(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	const sourceImageId = await requireValue(input.prompt, {
		flag: '<ami-id>',
		label: 'image to copy',
		value: parsed.positionals[0],
		validate: validateImageId,
	});
	const destinationRegion = await requireValue(input.prompt, {
		flag: '--to-region',
		label: 'destination region',
		value: stringValue(parsed, 'to-region'),
		validate: validateRegion,
	});
	const givenName = nameValue(parsed);

	const description = descriptionValue(parsed);

	return withSession(input, async (session) => {
		const sourceRegion = regionOf(input, session);
		const [image] = await interruptible(session.services.describeImages(sourceRegion, [sourceImageId]), input.signal);
		if (!image) {
			throw new CommandFailure(
				`image ${sourceImageId} was not found in ${sourceRegion} — check the id, or pass its --region`,
			);
		}

		let name = givenName ?? image.name;
		if (givenName === undefined && destinationRegion === sourceRegion) {
			const own = await interruptible(session.services.describeImages(destinationRegion), input.signal);
			const free = sameRegionCopyName(image.name, new Set(own.map((known) => known.name)));
			if (free === undefined) {
				throw new CommandFailure(
					`no free default name for a copy of '${image.name}' in ${destinationRegion} — pass --name for the copy`,
				);
			}

			name = free;
		}

		// Not interruptible: once AWS acts, the result is recorded and shown (Ctrl+C lands right after).
		const {imageId} = await session.services.copyImage({
			sourceRegion,
			sourceImageId,
			destinationRegion,
			name,
			description,
		});

		// History: the bundle this image came from (by image id, else by its manifest location).
		const entries = session.history.bundles();
		const owner =
			entries.find((entry) =>
				entry.images.some((known) => known.imageId === sourceImageId && known.region === sourceRegion),
			) ?? (image.imageLocation ? entryForManifest(entries, image.imageLocation)?.entry : undefined);
		if (owner) {
			session.history.recordImage(owner.bundleId, {
				imageId,
				region: destinationRegion,
				name,
				kind: 'copied',
				at: new Date().toISOString(),
				sourceImageId,
			});
		}

		if (parsed.globals.json) {
			print.json({imageId, region: destinationRegion, name, sourceImageId, sourceRegion});
		} else {
			print.line(imageId);
		}

		return exitCodes.ok;
	});
}

export const copyImageCommand: CommandDefinition = {spec, run};
