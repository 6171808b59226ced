/** Buckets: list (with each bucket's region), probe (owned / missing / foreign / invalid), create, prefix check. */
import {
	type BucketLocationConstraint,
	CreateBucketCommand,
	GetBucketLocationCommand,
	HeadBucketCommand,
	HeadObjectCommand,
	ListBucketsCommand,
	type S3Client,
} from '@aws-sdk/client-s3';
import {AppError} from '../core/app-error.js';
import type {Bucket, BucketProbe} from '../core/types.js';
import {validateBucketName} from '../core/validation.js';
import {activeTaskWriting, prefixInUseError} from './bundles.js';
import {mapLimit} from './concurrency.js';
import {type AwsContext, attempt} from './context.js';
import {verifyCredentials} from './identity.js';
import {bucketRegionHeader, errorName, httpStatus, isNotFound} from './s3-errors.js';

/** Parallel region look-ups when listing buckets. */
const regionLookupConcurrency = 8;

export async function listBuckets(context: AwsContext): Promise<Bucket[]> {
	const listed = await attempt(context, {operation: 'ListBuckets', region: context.defaultRegion}, async () => {
		const client = context.clients.s3(context.defaultRegion);
		const all: Bucket[] = [];
		let token: string | undefined;
		do {
			const page = await client.send(new ListBucketsCommand(token ? {ContinuationToken: token} : {}));
			for (const bucket of page.Buckets ?? []) {
				if (bucket.Name) {
					all.push({name: bucket.Name, region: bucket.BucketRegion || undefined, creationDate: bucket.CreationDate});
				}
			}

			token = page.ContinuationToken || undefined;
		} while (token);

		return all;
	});

	return fillBucketRegions(context, listed);
}

/**
 * Looks up the region of every bucket that has none yet (HeadBucket / GetBucketLocation, a few at a time).
 * A bucket whose region cannot be read (permissions, network, deleted meanwhile) keeps region undefined:
 * one bad bucket never fails the list.
 */
export async function fillBucketRegions(context: AwsContext, buckets: Bucket[]): Promise<Bucket[]> {
	return mapLimit(buckets, regionLookupConcurrency, async (bucket) => {
		if (bucket.region) {
			context.bucketRegions.set(bucket.name, bucket.region);
			return bucket;
		}

		const region = await lookupBucketRegion(context, bucket.name).catch(() => undefined);
		return {...bucket, region};
	});
}

/** GetBucketLocation's LocationConstraint -> region ("" / null = us-east-1, legacy "EU" = eu-west-1). */
export function locationToRegion(location: string | undefined | null): string {
	if (!location) {
		return 'us-east-1';
	}

	return location === 'EU' ? 'eu-west-1' : location;
}

/**
 * The region of a bucket the caller can see: HeadBucket's x-amz-bucket-region, else GetBucketLocation.
 * Cached per session. Throws the SDK error (callers convert it).
 */
export async function lookupBucketRegion(context: AwsContext, bucket: string): Promise<string> {
	const known = context.bucketRegions.get(bucket);
	if (known) {
		return known;
	}

	const client = context.clients.s3(context.defaultRegion);
	let region: string | undefined;
	try {
		region = (await client.send(new HeadBucketCommand({Bucket: bucket}))).BucketRegion || undefined;
	} catch (error) {
		region = bucketRegionHeader(error);
		if (!region) {
			throw error;
		}
	}

	region ??= locationToRegion((await client.send(new GetBucketLocationCommand({Bucket: bucket}))).LocationConstraint);
	context.bucketRegions.set(bucket, region);
	return region;
}

/** The S3 client for a bucket's own region (the default region when it cannot be learnt, e.g. the bucket is missing). */
export async function clientForBucket(context: AwsContext, bucket: string): Promise<S3Client> {
	const region = await lookupBucketRegion(context, bucket).catch(() => context.defaultRegion);
	return context.clients.s3(region);
}

export async function probeBucket(context: AwsContext, name: string): Promise<BucketProbe> {
	const validation = validateBucketName(name);
	if (!validation.ok) {
		return {status: 'invalid', reason: validation.reason};
	}

	return attempt(context, {operation: 'HeadBucket', region: context.defaultRegion, resource: name}, async () => {
		const client = context.clients.s3(context.defaultRegion);
		try {
			const head = await client.send(new HeadBucketCommand({Bucket: name}));
			const region =
				head.BucketRegion ||
				locationToRegion((await client.send(new GetBucketLocationCommand({Bucket: name}))).LocationConstraint);
			context.bucketRegions.set(name, region);
			return {status: 'owned', region};
		} catch (error) {
			const status = httpStatus(error);
			if (status === 404 || errorName(error) === 'NotFound' || errorName(error) === 'NoSuchBucket') {
				context.bucketRegions.delete(name);
				return {status: 'missing'};
			}

			if (status === 403) {
				// 403 is also what bad or expired credentials get: only credentials STS accepts make it "foreign".
				await verifyCredentials(context);
				return {status: 'foreign'};
			}

			throw error;
		}
	});
}

export async function createBucket(context: AwsContext, name: string, region: string): Promise<void> {
	const validation = validateBucketName(name);
	if (!validation.ok) {
		throw new AppError({code: 'InvalidBucketName', message: `Cannot create bucket ${name}: ${validation.reason}`});
	}

	await attempt(context, {operation: 'CreateBucket', region, resource: name}, async () => {
		try {
			await context.clients.s3(region).send(
				new CreateBucketCommand({
					Bucket: name,
					// New buckets default to "ACLs disabled", but bundling depends on ACLs: EC2 stores the parts with
					// ec2-bundle-read and migrated copies carry aws-exec-read. Keep ACLs enabled for this bucket.
					ObjectOwnership: 'BucketOwnerPreferred',
					...(region === 'us-east-1'
						? {}
						: {CreateBucketConfiguration: {LocationConstraint: region as BucketLocationConstraint}}),
				}),
			);
			context.bucketRegions.set(name, region);
		} catch (error) {
			if (errorName(error) !== 'BucketAlreadyOwnedByYou') {
				throw error;
			}

			// Already yours: fine when it is in the region asked for.
			context.bucketRegions.delete(name);
			const actual = await lookupBucketRegion(context, name);
			if (actual !== region) {
				throw new AppError({
					code: 'BucketAlreadyOwnedByYou',
					message: `Bucket ${name} already exists in your account, in ${actual}, not ${region}`,
					hint: `Use it from ${actual}, or choose another bucket name for ${region}.`,
				});
			}
		}
	});
}

/**
 * True when <prefix>.manifest.xml already exists in the bucket (a missing bucket has no taken prefixes). Throws
 * AppError PrefixInUse when an active bundle task (any region) writes that prefix.
 */
export async function prefixTaken(context: AwsContext, bucket: string, prefix: string): Promise<boolean> {
	const writer = await activeTaskWriting(context, bucket, prefix);
	if (writer) {
		throw prefixInUseError(writer);
	}

	const key = `${prefix}.manifest.xml`;
	return attempt(context, {operation: 'HeadObject', resource: `${bucket}/${key}`}, async () => {
		const client = await clientForBucket(context, bucket);
		try {
			await client.send(new HeadObjectCommand({Bucket: bucket, Key: key}));
			return true;
		} catch (error) {
			if (isNotFound(error)) {
				return false;
			}

			throw error;
		}
	});
}
