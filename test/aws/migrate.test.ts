import {DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {commonPrefix, migrateBundle} from '../../source/aws/migrate.js';
import type {MigrateProgress} from '../../source/core/services.js';
import {seededForeignBuckets} from '../../source/sandbox/accounts.js';
import {rejection} from '../helpers/rejection.js';
import {startTestServices, type TestServices} from '../helpers/services.js';
import {waitFor} from '../helpers/wait-for.js';
import {putSyntheticBundle, sandboxContext, sandboxS3} from './support.js';

let fixture: TestServices;
let s3: S3Client;
const sourceRegion = 'us-east-1';
const sourceBucket = 'bundledeck-migrate-source';
const partCount = 12;
let manifestLocation: string;
let keys: string[];

beforeAll(async () => {
	fixture = await startTestServices({region: sourceRegion, sandbox: {pace: {stepDelayMs: 0}}});
	s3 = sandboxS3(fixture.sandbox, sourceRegion);
	await fixture.services.createBucket(sourceBucket, sourceRegion);
	({manifestLocation, keys} = await putSyntheticBundle(s3, {
		bucket: sourceBucket,
		prefix: 'bundles/winami',
		parts: partCount,
		accountId: fixture.sandbox.accounts[0]!.id,
	}));
});

afterAll(async () => {
	s3?.destroy();
	await fixture?.close();
});

async function keysIn(bucket: string): Promise<string[]> {
	const output = await s3.send(new ListObjectsV2Command({Bucket: bucket}));
	return (output.Contents ?? []).map((object) => object.Key!).sort();
}

const copyCalls = () => fixture.sandbox.requestLog().filter((entry) => entry.action === 'CopyObject');

describe('migrateBundle', () => {
	test('copies every part and the manifest into a new bucket in the destination region, verifies, registers', async () => {
		const events: MigrateProgress[] = [];
		fixture.sandbox.clearRequestLog();
		const result = await fixture.services.migrateBundle({
			sourceRegion,
			manifestLocation,
			destinationRegion: 'eu-west-1',
			destinationBucket: 'bundledeck-migrate-dest',
			register: {name: 'migrated winami'},
			onProgress: (progress) => events.push(progress),
		});
		expect(result).toMatchObject({
			destinationManifestLocation: 'bundledeck-migrate-dest/bundles/winami.manifest.xml',
			copied: partCount + 1,
			skipped: 0,
		});
		expect(result.imageId).toMatch(/^ami-/);
		expect(await fixture.services.probeBucket('bundledeck-migrate-dest')).toEqual({
			status: 'owned',
			region: 'eu-west-1',
		});
		expect(await keysIn('bundledeck-migrate-dest')).toEqual([...keys].sort());

		// Server-side copies, sent to the destination region, one per object.
		expect(copyCalls()).toHaveLength(partCount + 1);
		expect(copyCalls().every((entry) => entry.region === 'eu-west-1')).toBe(true);
		expect(
			fixture.sandbox.requestLog().some((entry) => entry.action === 'GetObject' && entry.region === 'eu-west-1'),
		).toBe(true);

		const phases = [...new Set(events.map((event) => event.phase))];
		expect(phases).toEqual(['checking', 'copying', 'verifying', 'registering', 'done']);
		const copiedCounts = events.filter((event) => event.phase === 'copying').map((event) => event.copied);
		expect(copiedCounts).toEqual([...copiedCounts].sort((a, b) => a - b));
		expect(events.at(-1)).toEqual({phase: 'done', copied: partCount + 1, skipped: 0, total: partCount + 1});

		const image = await waitFor(async () => {
			const [found] = await fixture.services.describeImages('eu-west-1', [result.imageId!]);
			return found?.state === 'available' ? found : undefined;
		});
		expect(image.imageLocation).toBe(result.destinationManifestLocation);
	});

	test('running it again copies nothing: every object is already there with the same ETag', async () => {
		fixture.sandbox.clearRequestLog();
		const result = await fixture.services.migrateBundle({
			sourceRegion,
			manifestLocation,
			destinationRegion: 'eu-west-1',
			destinationBucket: 'bundledeck-migrate-dest',
		});
		expect(result).toEqual({
			destinationManifestLocation: 'bundledeck-migrate-dest/bundles/winami.manifest.xml',
			copied: 0,
			skipped: partCount + 1,
			imageId: undefined,
		});
		expect(copyCalls()).toHaveLength(0);
	});

	test('an interrupted migration resumes: the second run copies only what is missing or different', async () => {
		// One copy at a time, so that when the abort lands nothing is still in flight: exactly 5 copies are done.
		const destination = 'bundledeck-migrate-resume';
		const controller = new AbortController();
		const context = sandboxContext(fixture.sandbox, sourceRegion);
		const input = {sourceRegion, manifestLocation, destinationRegion: 'us-west-2', destinationBucket: destination};
		try {
			const error = await rejection(
				migrateBundle(
					context,
					{
						...input,
						signal: controller.signal,
						onProgress(progress) {
							if (progress.copied === 5) {
								controller.abort();
							}
						},
					},
					{concurrency: 1},
				),
			);
			expect(error.code).toBe('Aborted');
			expect(error.message).toContain('5 of 13');
			expect(error.hint).toMatch(/again/);
		} finally {
			context.clients.close();
		}

		const present = await keysIn(destination);
		expect(present).toHaveLength(5);
		// The manifest goes last, so an interrupted copy never has one.
		expect(present).not.toContain('bundles/winami.manifest.xml');

		// One copied part is damaged at the destination: same key, different content -> copied again.
		await s3.send(new PutObjectCommand({Bucket: destination, Key: present[0]!, Body: 'damaged'}));

		fixture.sandbox.clearRequestLog();
		const result = await fixture.services.migrateBundle(input);
		expect(result.copied).toBe(partCount + 1 - 5 + 1);
		expect(result.skipped).toBe(4);
		expect(copyCalls()).toHaveLength(partCount + 1 - 5 + 1);
		expect(await keysIn(destination)).toEqual([...keys].sort());
	});

	test('interrupted with copies in flight (Services, 4 at a time): the rerun completes without copying twice', async () => {
		const destination = 'bundledeck-migrate-resume-parallel';
		const controller = new AbortController();
		const input = {sourceRegion, manifestLocation, destinationRegion: 'ap-southeast-2', destinationBucket: destination};
		const error = await rejection(
			fixture.services.migrateBundle({
				...input,
				signal: controller.signal,
				onProgress(progress) {
					if (progress.copied >= 3) {
						controller.abort();
					}
				},
			}),
		);
		expect(error.code).toBe('Aborted');

		fixture.sandbox.clearRequestLog();
		const result = await fixture.services.migrateBundle(input);
		expect(result.skipped).toBeGreaterThanOrEqual(3);
		expect(result.copied).toBeGreaterThanOrEqual(1);
		expect(result.copied + result.skipped).toBe(partCount + 1);
		// The log may also show up to 3 copies of the first run that were still in flight when it was aborted.
		expect(copyCalls().length).toBeGreaterThanOrEqual(result.copied);
		expect(copyCalls().length).toBeLessThanOrEqual(result.copied + 3);
		expect(await keysIn(destination)).toEqual([...keys].sort());
	});

	test('an already aborted signal stops before any request', async () => {
		const controller = new AbortController();
		controller.abort();
		fixture.sandbox.clearRequestLog();
		const error = await rejection(
			fixture.services.migrateBundle({
				sourceRegion,
				manifestLocation,
				destinationRegion: 'us-west-2',
				destinationBucket: 'bundledeck-migrate-never',
				signal: controller.signal,
			}),
		);
		expect(error.code).toBe('Aborted');
		expect(fixture.sandbox.requestLog()).toEqual([]);
	});

	test('whatever escapes (here a throwing progress callback) still arrives as an AppError', async () => {
		const error = await rejection(
			fixture.services.migrateBundle({
				sourceRegion,
				manifestLocation,
				destinationRegion: 'eu-west-1',
				destinationBucket: 'bundledeck-migrate-dest',
				onProgress() {
					throw new TypeError('progress view crashed');
				},
			}),
		);
		expect(error.code).toBe('UnexpectedError');
		expect(error.message).toContain('progress view crashed');
	});

	test("another account's destination bucket is refused before copying", async () => {
		fixture.sandbox.clearRequestLog();
		const error = await rejection(
			fixture.services.migrateBundle({
				sourceRegion,
				manifestLocation,
				destinationRegion: 'us-east-1',
				destinationBucket: seededForeignBuckets[0]!.name,
			}),
		);
		expect(error.code).toBe('BucketOwnedByAnotherAccount');
		expect(copyCalls()).toHaveLength(0);
	});

	test('a destination bucket of ours in another region is refused', async () => {
		await fixture.services.createBucket('bundledeck-migrate-wrong-region', 'ap-southeast-2');
		const error = await rejection(
			fixture.services.migrateBundle({
				sourceRegion,
				manifestLocation,
				destinationRegion: 'eu-west-1',
				destinationBucket: 'bundledeck-migrate-wrong-region',
			}),
		);
		expect(error.code).toBe('BucketInWrongRegion');
		expect(error.message).toContain('ap-southeast-2');
	});

	test('a source bundle with a missing part is refused as incomplete', async () => {
		const broken = await putSyntheticBundle(s3, {
			bucket: sourceBucket,
			prefix: 'bundles/broken',
			parts: 3,
			accountId: fixture.sandbox.accounts[0]!.id,
		});
		await s3.send(new DeleteObjectCommand({Bucket: sourceBucket, Key: broken.keys[1]!}));
		const error = await rejection(
			fixture.services.migrateBundle({
				sourceRegion,
				manifestLocation: broken.manifestLocation,
				destinationRegion: 'eu-west-1',
				destinationBucket: 'bundledeck-migrate-dest',
			}),
		);
		expect(error.code).toBe('IncompleteBundle');
		expect(error.message).toContain(broken.keys[1]!);
	});
});

describe('commonPrefix', () => {
	test.each([
		[['a/b.part.0', 'a/b.part.1', 'a/b.manifest.xml'], 'a/b.'],
		[['x'], 'x'],
		[['abc', 'xyz'], ''],
	])('%j -> %s', (keys, prefix) => {
		expect(commonPrefix(keys)).toBe(prefix);
	});
});
