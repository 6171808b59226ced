/**
 * Migrating a stored AMI: copy <ami-id>.bin server-side to a bucket in another region, then optionally restore it
 * there. Objects up to 5 GiB go in one CopyObject; bigger ones by multipart UploadPartCopy, resumable: a rerun
 * finds the upload in progress (ListMultipartUploads), keeps the parts already copied (ListParts) and copies only
 * the missing ones. The copy carries the source's metadata plus its ETag, and is verified by size and that ETag.
 */
import {
	AbortMultipartUploadCommand,
	CompleteMultipartUploadCommand,
	CopyObjectCommand,
	CreateMultipartUploadCommand,
	DeleteObjectCommand,
	HeadObjectCommand,
	ListMultipartUploadsCommand,
	ListPartsCommand,
	UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import {AppError} from '../core/app-error.js';
import type {MigrateStoredInput, MigrateStoredProgress, MigrateStoredResult} from '../core/services.js';
import {mapLimit} from './concurrency.js';
import {type AwsContext, attempt} from './context.js';
import {encodeKey, ensureDestinationBucket, isAbort, migrateConcurrency, throwIfAborted} from './migrate.js';
import {restoreImage} from './stored-images.js';

const gib = 1024 ** 3;
/** S3's limit for one CopyObject, and the most parts an upload may have. */
export const singleCopyLimit = 5 * gib;
const maxParts = 10_000;
const minPartSize = 5 * 1024 * 1024;
/** The source's ETag, kept on the copy so a rerun (and the verification) can recognise it. */
const sourceEtagKey = 'source-etag';

export type MigrateStoredOptions = {
	/** Objects larger than this are copied part by part (default 5 GiB, S3's CopyObject limit). */
	multipartThreshold?: number | undefined;
	/** Part size of the multipart copy (default: 512 MiB, or more to stay under 10,000 parts). */
	partSize?: number | undefined;
	concurrency?: number | undefined;
};

type Head = {size: number; etag: string; metadata: Record<string, string>};

function normalizeEtag(etag: string | undefined): string {
	return (etag ?? '').replaceAll('"', '').toLowerCase();
}

async function head(
	context: AwsContext,
	region: string,
	bucket: string,
	key: string,
	signal: AbortSignal | undefined,
): Promise<Head | undefined> {
	return attempt(context, {operation: 'HeadObject', region, resource: `${bucket}/${key}`}, async () => {
		try {
			const output = await context.clients
				.s3(region)
				.send(new HeadObjectCommand({Bucket: bucket, Key: key}), signal ? {abortSignal: signal} : {});
			return {size: output.ContentLength ?? 0, etag: normalizeEtag(output.ETag), metadata: output.Metadata ?? {}};
		} catch (error) {
			const status = (error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode;
			if (status === 404) {
				return undefined;
			}

			throw error;
		}
	});
}

function isCopyOf(copy: Head | undefined, source: Head): boolean {
	return copy !== undefined && copy.size === source.size && copy.metadata[sourceEtagKey] === source.etag;
}

export async function migrateStored(
	context: AwsContext,
	input: MigrateStoredInput,
	options: MigrateStoredOptions = {},
): Promise<MigrateStoredResult> {
	const {signal} = input;
	const to = {region: input.destinationRegion, bucket: input.destinationBucket, key: input.objectKey};
	let progress: MigrateStoredProgress = {
		phase: 'checking',
		copiedBytes: 0,
		skippedBytes: 0,
		totalBytes: 0,
		copiedParts: 0,
		skippedParts: 0,
		totalParts: 0,
	};
	const report = (update: Partial<MigrateStoredProgress>) => {
		progress = {...progress, ...update};
		input.onProgress?.(progress);
	};

	try {
		report({});
		const source = await head(context, input.sourceRegion, input.bucket, input.objectKey, signal);
		if (!source) {
			throw new AppError({
				code: 'NoSuchKey',
				message: `The stored AMI ${input.bucket}/${input.objectKey} does not exist in ${input.sourceRegion}`,
				hint: 'A store task writes its object only when it completes: check it with `bundledeck tasks`.',
			});
		}

		if (!source.metadata['ami-name'] && !source.metadata['ami-id']) {
			throw new AppError({
				code: 'NotAStoredImage',
				message: `${input.bucket}/${input.objectKey} is not a stored AMI: it has none of the AMI metadata a store task writes`,
				hint: 'Give the object of a completed store task (<ami-id>.bin).',
			});
		}

		await ensureDestinationBucket(context, to.bucket, to.region);
		throwIfAborted(signal);
		const existing = await head(context, to.region, to.bucket, to.key, signal);
		const threshold = options.multipartThreshold ?? singleCopyLimit;
		if (isCopyOf(existing, source)) {
			report({phase: 'copying', totalBytes: source.size, skippedBytes: source.size, totalParts: 1, skippedParts: 1});
		} else if (source.size <= threshold) {
			report({phase: 'copying', totalBytes: source.size, totalParts: 1});
			await attempt(
				context,
				{operation: 'CopyObject', region: to.region, resource: `${to.bucket}/${to.key}`},
				async () =>
					context.clients.s3(to.region).send(
						new CopyObjectCommand({
							Bucket: to.bucket,
							Key: to.key,
							CopySource: `${input.bucket}/${encodeKey(input.objectKey)}`,
							MetadataDirective: 'REPLACE',
							Metadata: {...source.metadata, [sourceEtagKey]: source.etag},
						}),
						signal ? {abortSignal: signal} : {},
					),
			);
			report({copiedBytes: source.size, copiedParts: 1});
		} else {
			await copyInParts(context, input, source, options, report, () => progress);
		}

		report({phase: 'verifying'});
		const copy = await head(context, to.region, to.bucket, to.key, signal);
		if (!isCopyOf(copy, source)) {
			await context.clients
				.s3(to.region)
				.send(new DeleteObjectCommand({Bucket: to.bucket, Key: to.key}))
				.catch(() => undefined);
			throw new AppError({
				code: 'CopyVerificationFailed',
				message: `The copy of ${input.bucket}/${input.objectKey} in ${to.bucket} does not match the source (size ${copy?.size ?? 'none'} of ${source.size}); it was removed`,
				hint: 'Run the migration again; if the source changed meanwhile, it copies the new one.',
			});
		}

		let imageId: string | undefined;
		if (input.restore) {
			throwIfAborted(signal);
			report({phase: 'restoring'});
			({imageId} = await restoreImage(context, {
				region: to.region,
				bucket: to.bucket,
				objectKey: to.key,
				name: input.restore.name,
			}));
		}

		report({phase: 'done'});
		return {destinationKey: to.key, copiedParts: progress.copiedParts, skippedParts: progress.skippedParts, imageId};
	} catch (error) {
		if (signal?.aborted || isAbort(error)) {
			throw new AppError({
				code: 'Aborted',
				message: `Copy of ${input.objectKey} to ${to.bucket} stopped after ${progress.copiedParts + progress.skippedParts} of ${progress.totalParts || '?'} parts`,
				hint: 'Run the same migration again to resume: parts already copied are kept.',
				cause: error,
			});
		}

		throw error;
	}
}

async function copyInParts(
	context: AwsContext,
	input: MigrateStoredInput,
	source: Head,
	options: MigrateStoredOptions,
	report: (update: Partial<MigrateStoredProgress>) => void,
	current: () => MigrateStoredProgress,
): Promise<void> {
	const {signal} = input;
	const region = input.destinationRegion;
	const bucket = input.destinationBucket;
	const key = input.objectKey;
	const client = context.clients.s3(region);
	const send = signal ? {abortSignal: signal} : {};
	const where = {region, resource: `${bucket}/${key}`};
	const partSize = Math.max(minPartSize, options.partSize ?? 512 * 1024 * 1024, Math.ceil(source.size / maxParts));
	const count = Math.ceil(source.size / partSize);
	const rangeOf = (index: number) => {
		const start = index * partSize;
		return {start, end: Math.min(source.size, start + partSize) - 1};
	};

	// An upload an earlier run left: resume it (its parts have the same size, as partSize depends on the size only)
	const uploads = await attempt(context, {operation: 'ListMultipartUploads', ...where}, async () =>
		client.send(new ListMultipartUploadsCommand({Bucket: bucket, Prefix: key}), send),
	);
	let uploadId = (uploads.Uploads ?? [])
		.filter((upload) => upload.Key === key && upload.UploadId)
		.sort((a, b) => (b.Initiated?.getTime() ?? 0) - (a.Initiated?.getTime() ?? 0))[0]?.UploadId;
	const done = new Map<number, string>();
	if (uploadId) {
		const parts = await attempt(context, {operation: 'ListParts', ...where}, async () =>
			client.send(new ListPartsCommand({Bucket: bucket, Key: key, UploadId: uploadId}), send),
		);
		for (const part of parts.Parts ?? []) {
			const number = part.PartNumber ?? 0;
			const range = number >= 1 && number <= count ? rangeOf(number - 1) : undefined;
			if (range && part.ETag && part.Size === range.end - range.start + 1) {
				done.set(number, part.ETag);
			}
		}
	} else {
		const created = await attempt(context, {operation: 'CreateMultipartUpload', ...where}, async () =>
			client.send(
				new CreateMultipartUploadCommand({
					Bucket: bucket,
					Key: key,
					Metadata: {...source.metadata, [sourceEtagKey]: source.etag},
				}),
				send,
			),
		);
		uploadId = created.UploadId;
		if (!uploadId) {
			throw new AppError({
				code: 'InvalidResponse',
				message: `CreateMultipartUpload for ${bucket}/${key} returned no upload id`,
			});
		}
	}

	const skippedBytes = [...done.keys()].reduce((sum, number) => {
		const range = rangeOf(number - 1);
		return sum + range.end - range.start + 1;
	}, 0);
	report({
		phase: 'copying',
		totalBytes: source.size,
		totalParts: count,
		skippedParts: done.size,
		skippedBytes,
	});
	const missing = Array.from({length: count}, (_, index) => index + 1).filter((number) => !done.has(number));
	await mapLimit(
		missing,
		options.concurrency ?? migrateConcurrency,
		async (number) => {
			throwIfAborted(signal);
			const range = rangeOf(number - 1);
			const output = await attempt(context, {operation: 'UploadPartCopy', ...where}, async () =>
				client.send(
					new UploadPartCopyCommand({
						Bucket: bucket,
						Key: key,
						UploadId: uploadId,
						PartNumber: number,
						CopySource: `${input.bucket}/${encodeKey(input.objectKey)}`,
						CopySourceRange: `bytes=${range.start}-${range.end}`,
						CopySourceIfMatch: `"${source.etag}"`,
					}),
					send,
				),
			);
			const etag = output.CopyPartResult?.ETag;
			if (!etag) {
				throw new AppError({code: 'InvalidResponse', message: `UploadPartCopy of part ${number} returned no ETag`});
			}

			done.set(number, etag);
			const now = current();
			report({copiedParts: now.copiedParts + 1, copiedBytes: now.copiedBytes + range.end - range.start + 1});
		},
		signal,
	);
	throwIfAborted(signal);
	try {
		await attempt(context, {operation: 'CompleteMultipartUpload', ...where}, async () =>
			client.send(
				new CompleteMultipartUploadCommand({
					Bucket: bucket,
					Key: key,
					UploadId: uploadId,
					MultipartUpload: {
						Parts: [...done.entries()].sort((a, b) => a[0] - b[0]).map(([PartNumber, ETag]) => ({PartNumber, ETag})),
					},
				}),
				send,
			),
		);
	} catch (error) {
		// An upload that cannot complete (parts of an older source) would block every rerun: drop it
		await client
			.send(new AbortMultipartUploadCommand({Bucket: bucket, Key: key, UploadId: uploadId}))
			.catch(() => undefined);
		throw error;
	}
}
