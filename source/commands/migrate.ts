/**
 * bundledeck migrate <bundle-id | manifest> --to-region R --to-bucket B [--register --name N]: copies a bundle's
 * parts and manifest to a bucket in another region (what ec2-migrate-bundle did), optionally registers it there.
 * Resumable: objects already at the destination with the same ETag are skipped, so running it again continues.
 */
import type {MigrateProgress} from '../core/services.js';
import {validateAmiName} from '../core/validation.js';
import {booleanValue, type CommandSpec, stringValue} from './args.js';
import {resolveBundleSource, validateBundleSource} from './bundle-source.js';
import {type CommandDefinition, type CommandInput, withSession} from './command.js';
import {exitCodes, UsageError} from './exit-codes.js';
import {architectureValue, descriptionValue, imageFlags} from './image-flags.js';
import {requireMigrateDestination} from './migrate-destination.js';
import {isStoredObjectSource, runMigrateStored} from './migrate-stored.js';
import {requireValue} from './prompt.js';
import {runResumableCopy} from './resumable-copy.js';

const spec: CommandSpec = {
	name: 'migrate',
	summary: 'copy a bundle or a stored AMI to a bucket in another region, and register or restore it there',
	usage: [
		'migrate <bundle-id | bucket/prefix.manifest.xml> --to-region R --to-bucket B [--register --name N]',
		'migrate <bucket/ami-id.bin> --to-region R --to-bucket B [--register [--name N]]',
	],
	details: [
		'Copies every part and the manifest (ACL aws-exec-read; the bucket is created if needed). Resumable: run the',
		'same command again after an interruption and objects already copied are skipped.',
		'Source region: --region, else the region recorded in history, else the default region.',
		'--name implies --register. Progress is drawn on stderr when it is a terminal.',
		'Prints the destination manifest location, then the image id when registered.',
		'A stored AMI (bucket/ami-id.bin, from `bundledeck store`) is copied as one object (multipart UploadPartCopy over',
		'5 GiB; a rerun copies only the missing parts), verified, then restored with --register (--name: default the',
		'stored name). JSON: {"kind": "copy", "source", "destination", "copiedParts", "skippedParts", "imageId", ...}',
		'JSON: {"bundleId": string|null, "sourceRegion", "sourceManifestLocation", "destinationRegion",',
		'       "destinationBucket", "destinationManifestLocation", "copied", "skipped", "imageId": string|null}',
	],
	flags: {
		'to-region': {type: 'string', value: 'R', description: 'destination region'},
		'to-bucket': {type: 'string', value: 'B', description: 'destination bucket (created in R if missing)'},
		register: {type: 'boolean', description: 'register the copied bundle as an AMI in the destination region'},
		...imageFlags,
	},
	positionals: {names: '<bundle-id | manifest>', min: 1, max: 1},
	examples: [
		'bundledeck migrate bun-c1a540a8 --to-region eu-west-1 --to-bucket my-amis-eu --register --name win2019-eu',
	],
};

function progressText(progress: MigrateProgress, bar: (percent: number | undefined) => string): string {
	const done = progress.copied + progress.skipped;
	const skipped = progress.skipped > 0 ? ` (${progress.skipped} already there)` : '';
	const percent = progress.total > 0 ? Math.floor((done / progress.total) * 100) : undefined;
	return `Migrating: ${bar(percent)} ${progress.phase} ${done}/${progress.total} objects${skipped}`;
}

async function run(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	if (isStoredObjectSource(parsed.positionals[0])) {
		return runMigrateStored(input);
	}

	const source = await requireValue(input.prompt, {
		flag: '<bundle-id | manifest>',
		label: 'bundle id or bucket/prefix.manifest.xml',
		value: parsed.positionals[0],
		validate: validateBundleSource,
	});
	const {toRegion, toBucket} = await requireMigrateDestination(input);
	const givenName = stringValue(parsed, 'name');
	const register = booleanValue(parsed, 'register') || givenName !== undefined;
	const name = register
		? await requireValue(input.prompt, {
				flag: '--name',
				label: 'AMI name in the destination region',
				value: givenName,
				validate: validateAmiName,
			})
		: undefined;
	const description = descriptionValue(parsed);
	const architecture = architectureValue(parsed);
	if (!register && (description !== undefined || architecture !== undefined)) {
		throw new UsageError('--description and --architecture need --register --name N');
	}

	return withSession(input, async (session) => {
		const bundle = await resolveBundleSource(input, session, source, '<bundle-id | manifest>');
		const destinationManifestLocation = `${toBucket}/${bundle.manifestLocation.slice(bundle.manifestLocation.indexOf('/') + 1)}`;
		if (bundle.region === toRegion && bundle.manifestLocation === destinationManifestLocation) {
			throw new UsageError('the destination is the source itself: choose another --to-bucket or --to-region');
		}

		const record = (complete: boolean) => {
			if (bundle.bundleId) {
				session.history.recordMigration(bundle.bundleId, {
					destinationRegion: toRegion,
					destinationBucket: toBucket,
					destinationManifestLocation,
					at: new Date().toISOString(),
					complete,
				});
			}
		};

		// Recorded as incomplete ("run again to resume") only once copying starts: a refusal before that (another
		// account's bucket, a bucket in another region, a missing source) left nothing to resume.
		let started = false;
		const result = await runResumableCopy(input, {
			start: (report) =>
				session.services.migrateBundle({
					sourceRegion: bundle.region,
					manifestLocation: bundle.manifestLocation,
					destinationRegion: toRegion,
					destinationBucket: toBucket,
					register: name === undefined ? undefined : {name, description, architecture},
					onProgress(progress) {
						if (!started && progress.phase !== 'checking') {
							started = true;
							record(false);
						}

						report(progress);
					},
					signal: input.signal,
				}),
			statusLine: progressText,
			what: 'migration',
			reached: (progress) => ({done: progress.copied + progress.skipped, total: progress.total}),
			unit: 'object',
			rerunKeeps: 'objects already copied are skipped',
		});

		record(true);
		if (result.imageId && bundle.bundleId && name !== undefined) {
			session.history.recordImage(bundle.bundleId, {
				imageId: result.imageId,
				region: toRegion,
				name,
				kind: 'migrated',
				at: new Date().toISOString(),
			});
		}

		if (parsed.globals.json) {
			print.json({
				bundleId: bundle.bundleId ?? null,
				sourceRegion: bundle.region,
				sourceManifestLocation: bundle.manifestLocation,
				destinationRegion: toRegion,
				destinationBucket: toBucket,
				destinationManifestLocation: result.destinationManifestLocation,
				copied: result.copied,
				skipped: result.skipped,
				imageId: result.imageId ?? null,
			});
		} else {
			print.line(result.destinationManifestLocation);
			if (result.imageId) {
				print.line(result.imageId);
			}
		}

		return exitCodes.ok;
	});
}

export const migrateCommand: CommandDefinition = {spec, run};
