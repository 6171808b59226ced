/**
 * bundledeck restore <bucket/key.bin> --name N: CreateRestoreImageTask, an AMI from a stored AMI object, in the
 * bucket's region. --wait follows the new AMI until it is available. Recorded in history (a restore entry).
 */
import {AppError} from '../core/app-error.js';
import {validateBucketName} from '../core/validation.js';
import {booleanValue, type CommandSpec, durationValue} from './args.js';
import {type CommandDefinition, type CommandInput, withSession} from './command.js';
import {exitCodes, UsageError} from './exit-codes.js';
import {nameValue} from './image-flags.js';
import {waitForImage} from './store-waiter.js';
import {defaultIntervalMs, defaultTimeoutMs, waitFlags} from './wait.js';

const spec: CommandSpec = {
	name: 'restore',
	summary: 'restore an AMI from a stored AMI object in S3 (CreateRestoreImageTask)',
	usage: ['restore <bucket/ami-id.bin> [--name N] [--region R] [--wait]'],
	details: [
		"The AMI is restored in the bucket's region (--region, else the bucket's own region). The name must be unused",
		"there; without --name the stored AMI's name is used. The object is verified: a damaged, truncated or foreign",
		'object is refused. Prints the new AMI id. JSON: {"kind": "restore", "imageId", "region", "bucket", "objectKey",',
		'"name": string|null, "state"}',
	],
	flags: {
		name: {type: 'string', value: 'name', description: "AMI name (default: the stored AMI's name)"},
		wait: {type: 'boolean', description: 'wait until the AMI is available'},
		...waitFlags,
	},
	positionals: {names: '<bucket/key.bin>', min: 1, max: 1},
	examples: [
		'bundledeck restore my-images/ami-0123456789abcdef0.bin --name "erp01 restored" --wait',
		'bundledeck restore eu-images/ami-0123456789abcdef0.bin --region eu-west-1 --json',
	],
};

export function parseObjectLocation(text: string, flag: string): {bucket: string; objectKey: string} {
	const slash = text.indexOf('/');
	const bucket = slash > 0 ? text.slice(0, slash) : '';
	const objectKey = slash > 0 ? text.slice(slash + 1) : '';
	if (!bucket || !objectKey) {
		throw new UsageError(`${flag} '${text}': expected bucket/key, like my-images/ami-0123456789abcdef0.bin`);
	}

	const check = validateBucketName(bucket);
	if (!check.ok) {
		throw new UsageError(`${flag} '${text}': bucket ${check.reason}`);
	}

	return {bucket, objectKey};
}

/** The AMI a stored object holds, from its key (`<ami-id>.bin`, as CreateStoreImageTask names it). */
export function storedAmiId(objectKey: string): string | undefined {
	return /^(ami-[\da-f]{8,17})\.bin$/.exec(objectKey)?.[1];
}

async function run(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	const {bucket, objectKey} = parseObjectLocation(parsed.positionals[0] ?? '', '<bucket/key.bin>');
	const name = nameValue(parsed);

	const timing = {
		timeoutMs: durationValue(parsed, 'timeout', defaultTimeoutMs),
		intervalMs: durationValue(parsed, 'interval', defaultIntervalMs),
	};
	return withSession(input, async (session) => {
		const {services} = session;
		let region = parsed.globals.regions[0];
		if (region === undefined) {
			const probe = await services.probeBucket(bucket);
			if (probe.status !== 'owned') {
				throw new AppError({
					code: probe.status === 'missing' ? 'NoSuchBucket' : 'AccessDenied',
					message:
						probe.status === 'missing'
							? `The bucket ${bucket} does not exist`
							: `The bucket ${bucket} cannot be used (${probe.status === 'foreign' ? 'it belongs to another account' : probe.reason})`,
					hint: 'Give the bucket of a completed store task (bucket/<ami-id>.bin).',
				});
			}

			region = probe.region;
		}

		const {imageId} = await services.restoreImage({region, bucket, objectKey, name});
		// The name AWS gave it (the stored AMI's, without --name) is known once the AMI is described
		const [described] = name === undefined ? await services.describeImages(region, [imageId]).catch(() => []) : [];
		session.history.recordRestore({
			region,
			imageId,
			name: name ?? described?.name ?? '',
			bucket,
			objectKey,
			sourceImageId: storedAmiId(objectKey),
			via: 'restore',
			startedAt: new Date().toISOString(),
			lastState: described?.state ?? 'pending',
		});
		const image = booleanValue(parsed, 'wait')
			? await waitForImage(input, session, region, imageId, timing)
			: undefined;
		if (parsed.globals.json) {
			print.json({
				kind: 'restore',
				imageId,
				region,
				bucket,
				objectKey,
				name: name ?? image?.name ?? null,
				state: image?.state ?? 'pending',
			});
		} else {
			print.line(imageId);
		}

		return exitCodes.ok;
	});
}

export const restoreCommand: CommandDefinition = {spec, run};
