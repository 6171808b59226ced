/**
 * `migrate <bucket/ami-id.bin>`: copies a stored AMI object to a bucket in another region (multipart
 * UploadPartCopy over 5 GiB, resumable, verified), then restores it there with --register / --name.
 */
import type {MigrateStoredProgress} from '../core/services.js';
import {booleanValue, stringValue} from './args.js';
import {type CommandInput, withSession} from './command.js';
import {exitCodes, UsageError} from './exit-codes.js';
import {nameValue} from './image-flags.js';
import {requireMigrateDestination} from './migrate-destination.js';
import {parseObjectLocation, storedAmiId} from './restore.js';
import {runResumableCopy} from './resumable-copy.js';

/** bucket/<anything>.bin: a stored AMI object rather than a bundle. */
export function isStoredObjectSource(text: string | undefined): boolean {
	return text !== undefined && /^[^/]+\/.+\.bin$/.test(text);
}

function progressText(progress: MigrateStoredProgress, bar: (percent: number | undefined) => string): string {
	const done = progress.copiedBytes + progress.skippedBytes;
	const percent = progress.totalBytes > 0 ? Math.floor((done / progress.totalBytes) * 100) : undefined;
	const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
	const kept = progress.skippedParts > 0 ? ` (${progress.skippedParts} parts already there)` : '';
	return `Copying: ${bar(percent)} ${progress.phase} ${mib(done)}/${mib(progress.totalBytes)}${kept}`;
}

export async function runMigrateStored(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	const {bucket, objectKey} = parseObjectLocation(parsed.positionals[0] ?? '', '<bucket/key.bin>');
	const {toRegion, toBucket} = await requireMigrateDestination(input);
	const givenName = nameValue(parsed);
	if (stringValue(parsed, 'architecture') !== undefined || stringValue(parsed, 'description') !== undefined) {
		throw new UsageError('--architecture and --description apply to bundles; a restored AMI keeps the stored ones');
	}

	const restore = booleanValue(parsed, 'register') || givenName !== undefined;
	return withSession(input, async (session) => {
		const sourceRegion = parsed.globals.regions[0] ?? (await bucketRegion(session, bucket));
		if (sourceRegion === toRegion && bucket === toBucket) {
			throw new UsageError('the destination is the source itself: choose another --to-bucket or --to-region');
		}

		const result = await runResumableCopy(input, {
			start: (report) =>
				session.services.migrateStored({
					sourceRegion,
					bucket,
					objectKey,
					destinationRegion: toRegion,
					destinationBucket: toBucket,
					restore: restore ? {name: givenName} : undefined,
					onProgress: report,
					signal: input.signal,
				}),
			statusLine: progressText,
			what: 'copy',
			reached: (progress) => ({done: progress.copiedParts + progress.skippedParts, total: progress.totalParts}),
			unit: 'part',
			rerunKeeps: 'parts already copied are kept',
		});

		if (result.imageId) {
			const [image] = await session.services.describeImages(toRegion, [result.imageId]).catch(() => []);
			session.history.recordRestore({
				region: toRegion,
				imageId: result.imageId,
				name: givenName ?? image?.name ?? '',
				bucket: toBucket,
				objectKey: result.destinationKey,
				sourceImageId: storedAmiId(objectKey),
				via: 'migrate',
				startedAt: new Date().toISOString(),
				lastState: image?.state ?? 'pending',
			});
		}

		if (parsed.globals.json) {
			print.json({
				kind: 'copy',
				sourceRegion,
				source: `${bucket}/${objectKey}`,
				destinationRegion: toRegion,
				destination: `${toBucket}/${result.destinationKey}`,
				copiedParts: result.copiedParts,
				skippedParts: result.skippedParts,
				imageId: result.imageId ?? null,
			});
		} else {
			print.line(`${toBucket}/${result.destinationKey}`);
			if (result.imageId) {
				print.line(result.imageId);
			}
		}

		return exitCodes.ok;
	});
}

async function bucketRegion(
	session: Parameters<Parameters<typeof withSession>[1]>[0],
	bucket: string,
): Promise<string> {
	const probe = await session.services.probeBucket(bucket);
	return probe.status === 'owned' ? probe.region : session.services.defaultRegion;
}
