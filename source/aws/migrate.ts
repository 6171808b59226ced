/**
 * Migrating a bundle (what ec2-migrate-bundle / ec2-migrate-image did): copy the parts and then the manifest
 * server-side into a bucket in the destination region (ACL aws-exec-read, keys unchanged), skipping objects already
 * there with the same ETag (so an interrupted run resumes), verify every copy, then optionally register there.
 */
import {CopyObjectCommand, DeleteBucketCommand, HeadObjectCommand, ListObjectsV2Command} from '@aws-sdk/client-s3';
import {AppError, isAppError} from '../core/app-error.js';
import {countOf} from '../core/format.js';
import type {MigrateInput, MigrateProgress, MigrateResult} from '../core/services.js';
import {createBucket, probeBucket} from './buckets.js';
import {mapLimit} from './concurrency.js';
import {type AwsContext, attempt} from './context.js';
import {registerImage} from './images.js';
import {listRegions} from './instances.js';
import {formatManifestLocation, loadManifest, partKey} from './manifests.js';

/** Server-side copies in flight at once. */
export const migrateConcurrency = 4;
const migratedAcl = 'aws-exec-read';

type ObjectInfo = {etag: string; size: number};

export type MigrateOptions = {
	/** Server-side copies in flight at once (default {@link migrateConcurrency}). */
	concurrency?: number | undefined;
};

export async function migrateBundle(
	context: AwsContext,
	input: MigrateInput,
	options: MigrateOptions = {},
): Promise<MigrateResult> {
	const concurrency = Math.max(1, options.concurrency ?? migrateConcurrency);
	const {signal} = input;
	let progress: MigrateProgress = {phase: 'checking', copied: 0, skipped: 0, total: 0};
	let createdBucket = false;
	const report = (update: Partial<MigrateProgress>) => {
		progress = {...progress, ...update};
		input.onProgress?.(progress);
	};

	try {
		throwIfAborted(signal);
		report({});
		const source = await loadManifest(context, input.sourceRegion, input.manifestLocation, signal);
		const partKeys = source.manifest.parts.map((part) => partKey(source.location.key, part.filename));
		const manifestKey = source.location.key;
		const allKeys = [...partKeys, manifestKey];
		report({total: allKeys.length});

		await checkRegionExists(context, input.destinationRegion);
		createdBucket = await ensureDestinationBucket(context, input.destinationBucket, input.destinationRegion);
		throwIfAborted(signal);

		const listPrefix = commonPrefix(allKeys);
		const [sourceObjects, destinationObjects] = await Promise.all([
			listObjects(context, input.sourceRegion, source.location.bucket, listPrefix, signal),
			listObjects(context, input.destinationRegion, input.destinationBucket, listPrefix, signal),
		]);
		const missing = allKeys.filter((key) => !sourceObjects.has(key));
		if (missing.length > 0) {
			throw new AppError({
				code: 'IncompleteBundle',
				message: `The bundle at ${input.manifestLocation} is incomplete: ${missing.length} of ${allKeys.length} files are missing from ${source.location.bucket} (first: ${missing[0]})`,
				hint: 'Bundle the instance again; a bundle with missing parts cannot be registered.',
			});
		}

		const toCopy = allKeys.filter((key) => !sameObject(sourceObjects.get(key), destinationObjects.get(key)));
		report({phase: 'copying', skipped: allKeys.length - toCopy.length});

		const copyOne = async (key: string) => {
			await attempt(
				context,
				{operation: 'CopyObject', region: input.destinationRegion, resource: `${input.destinationBucket}/${key}`},
				async () =>
					context.clients.s3(input.destinationRegion).send(
						new CopyObjectCommand({
							Bucket: input.destinationBucket,
							Key: key,
							CopySource: `${source.location.bucket}/${encodeKey(key)}`,
							ACL: migratedAcl,
						}),
						signal ? {abortSignal: signal} : {},
					),
			);
			report({copied: progress.copied + 1});
		};

		// Parts first, the manifest last: a destination manifest only ever points at parts that are there.
		await mapLimit(
			toCopy.filter((key) => key !== manifestKey),
			concurrency,
			copyOne,
			signal,
		);
		if (toCopy.includes(manifestKey)) {
			throwIfAborted(signal);
			await copyOne(manifestKey);
		}

		report({phase: 'verifying'});
		await mapLimit(
			allKeys,
			concurrency,
			async (key) => verifyCopy(context, input, key, sourceObjects.get(key)!, signal),
			signal,
		);

		const destinationManifestLocation = formatManifestLocation({bucket: input.destinationBucket, key: manifestKey});
		let imageId: string | undefined;
		if (input.register) {
			throwIfAborted(signal);
			report({phase: 'registering'});
			({imageId} = await registerImage(context, {
				region: input.destinationRegion,
				manifestLocation: destinationManifestLocation,
				name: input.register.name,
				description: input.register.description,
				architecture: input.register.architecture ?? source.manifest.architecture,
			}));
		}

		report({phase: 'done'});
		return {destinationManifestLocation, copied: progress.copied, skipped: progress.skipped, imageId};
	} catch (error) {
		if (createdBucket) {
			await removeIfEmpty(context, input.destinationBucket, input.destinationRegion);
		}

		if (signal?.aborted || isAbort(error)) {
			throw new AppError({
				code: 'Aborted',
				message:
					progress.phase === 'checking'
						? `Migration to ${input.destinationBucket} stopped before any file was copied`
						: `Migration to ${input.destinationBucket} stopped after copying ${progress.copied} of ${countOf(progress.total - progress.skipped, 'file')}`,
				hint: 'Run the same migration again to resume: files already copied are skipped.',
				cause: error,
			});
		}

		throw error;
	}
}

/**
 * A region DescribeRegions does not list (a typo, a region not enabled) would otherwise surface as a confusing S3
 * redirect ("the bucket is in another region").
 */
async function checkRegionExists(context: AwsContext, region: string): Promise<void> {
	const regions = await listRegions(context);
	if (!regions.includes(region)) {
		throw new AppError({
			code: 'InvalidRegion',
			message: `Region ${region} is not one of the regions your account can use (${regions.join(', ')})`,
			hint: 'Check the spelling of the destination region; an opt-in region must be enabled in the account first.',
		});
	}
}

/**
 * A bucket this migration created and that is still empty after a failure is deleted, so a failed run leaves
 * nothing behind. Best effort: the failure being reported matters more than this clean-up.
 */
async function removeIfEmpty(context: AwsContext, bucket: string, region: string): Promise<void> {
	try {
		const client = context.clients.s3(region);
		const listed = await client.send(new ListObjectsV2Command({Bucket: bucket, MaxKeys: 1}));
		if ((listed.KeyCount ?? listed.Contents?.length ?? 0) === 0) {
			await client.send(new DeleteBucketCommand({Bucket: bucket}));
			context.bucketRegions.delete(bucket);
		}
	} catch {}
}

/** Makes sure the destination bucket exists in the region; true when this call created it. */
export async function ensureDestinationBucket(context: AwsContext, bucket: string, region: string): Promise<boolean> {
	const probe = await probeBucket(context, bucket);
	switch (probe.status) {
		case 'missing': {
			await createBucket(context, bucket, region);
			return true;
		}

		case 'owned': {
			if (probe.region !== region) {
				throw new AppError({
					code: 'BucketInWrongRegion',
					message: `Bucket ${bucket} is in ${probe.region}, not in ${region}`,
					hint: `EC2 in ${region} needs the bundle in a bucket of ${region}: choose or create one there.`,
				});
			}

			return false;
		}

		case 'foreign': {
			throw new AppError({
				code: 'BucketOwnedByAnotherAccount',
				message: `Bucket ${bucket} belongs to another AWS account`,
				hint: 'Choose a bucket of your own, or a new name to create one.',
			});
		}

		case 'invalid': {
			throw new AppError({
				code: 'InvalidBucketName',
				message: `"${bucket}" is not a valid bucket name: ${probe.reason}`,
			});
		}
	}
}

async function listObjects(
	context: AwsContext,
	region: string,
	bucket: string,
	prefix: string,
	signal: AbortSignal | undefined,
): Promise<Map<string, ObjectInfo>> {
	return attempt(context, {operation: 'ListObjectsV2', region, resource: bucket}, async () => {
		const client = context.clients.s3(region);
		const objects = new Map<string, ObjectInfo>();
		let token: string | undefined;
		do {
			const page = await client.send(
				new ListObjectsV2Command({Bucket: bucket, Prefix: prefix, ...(token ? {ContinuationToken: token} : {})}),
				signal ? {abortSignal: signal} : {},
			);
			for (const object of page.Contents ?? []) {
				if (object.Key) {
					objects.set(object.Key, {etag: normalizeEtag(object.ETag), size: object.Size ?? 0});
				}
			}

			token = page.IsTruncated ? page.NextContinuationToken || undefined : undefined;
		} while (token);

		return objects;
	});
}

async function verifyCopy(
	context: AwsContext,
	input: MigrateInput,
	key: string,
	expected: ObjectInfo,
	signal: AbortSignal | undefined,
): Promise<void> {
	const resource = `${input.destinationBucket}/${key}`;
	const head = await attempt(context, {operation: 'HeadObject', region: input.destinationRegion, resource}, async () =>
		context.clients
			.s3(input.destinationRegion)
			.send(new HeadObjectCommand({Bucket: input.destinationBucket, Key: key}), signal ? {abortSignal: signal} : {}),
	);
	const actual = {etag: normalizeEtag(head.ETag), size: head.ContentLength ?? -1};
	if (!sameObject(expected, actual)) {
		throw new AppError({
			code: 'MigrationVerifyFailed',
			message: `The copy of ${key} in ${input.destinationBucket} does not match the source (${actual.size} bytes, ETag ${actual.etag}; expected ${expected.size} bytes, ETag ${expected.etag})`,
			hint: 'Run the migration again: mismatching files are copied again.',
		});
	}
}

/** Same size and ETag. A multipart source ETag ("…-N") never equals a copy's; size decides then. */
function sameObject(source: ObjectInfo | undefined, destination: ObjectInfo | undefined): boolean {
	if (!source || !destination || source.size !== destination.size) {
		return false;
	}

	return source.etag.includes('-') || source.etag === destination.etag;
}

function normalizeEtag(etag: string | undefined): string {
	return (etag ?? '').replaceAll('"', '').toLowerCase();
}

/** CopySource is "bucket/key" with the key URL-encoded (slashes kept). */
export function encodeKey(key: string): string {
	return key.split('/').map(encodeURIComponent).join('/');
}

export function commonPrefix(keys: readonly string[]): string {
	let prefix = keys[0] ?? '';
	for (const key of keys) {
		let length = 0;
		while (length < prefix.length && length < key.length && prefix[length] === key[length]) {
			length++;
		}

		prefix = prefix.slice(0, length);
	}

	return prefix;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) {
		throw new AppError({code: 'Aborted', message: 'Migration stopped'});
	}
}

export function isAbort(error: unknown): boolean {
	if (isAppError(error)) {
		return error.code === 'Aborted';
	}

	return error instanceof Error && error.name === 'AbortError';
}
