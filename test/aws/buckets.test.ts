import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {fillBucketRegions, locationToRegion} from '../../source/aws/buckets.js';
import {seededForeignBuckets} from '../../source/sandbox/accounts.js';
import {startTestServices, type TestServices} from '../helpers/services.js';
import {putSyntheticBundle, sandboxContext, sandboxS3} from './support.js';

let fixture: TestServices;
const foreignBucket = seededForeignBuckets[0]!.name;

beforeAll(async () => {
	fixture = await startTestServices();
});

afterAll(async () => {
	await fixture?.close();
});

describe('probeBucket', () => {
	test('invalid names are refused without a request, with the reason', async () => {
		fixture.sandbox.clearRequestLog();
		const probe = await fixture.services.probeBucket('Bad_Bucket');
		expect(probe.status).toBe('invalid');
		expect(probe.status === 'invalid' && probe.reason).toMatch(/uppercase/);
		expect(fixture.sandbox.requestLog()).toEqual([]);
	});

	test('a bucket nobody has is missing', async () => {
		expect(await fixture.services.probeBucket('bundledeck-nobody-has-this')).toEqual({status: 'missing'});
	});

	test("another account's bucket is foreign", async () => {
		expect(await fixture.services.probeBucket(foreignBucket)).toEqual({status: 'foreign'});
	});

	test('a bucket of ours is owned, with its region', async () => {
		await fixture.services.createBucket('bundledeck-probe-owned', 'ap-southeast-2');
		expect(await fixture.services.probeBucket('bundledeck-probe-owned')).toEqual({
			status: 'owned',
			region: 'ap-southeast-2',
		});
	});
});

describe('createBucket', () => {
	test('us-east-1 (no LocationConstraint) and another region', async () => {
		fixture.sandbox.clearRequestLog();
		await fixture.services.createBucket('bundledeck-create-use1', 'us-east-1');
		await fixture.services.createBucket('bundledeck-create-euw1', 'eu-west-1');
		// Signed for the bucket's own region: S3 refuses a LocationConstraint other than the signing region
		// (IllegalLocationConstraintException), a us-east-1 client included.
		expect(
			fixture.sandbox
				.requestLog()
				.filter((entry) => entry.action === 'CreateBucket')
				.map((entry) => [entry.region, entry.status]),
		).toEqual([
			['us-east-1', 200],
			['eu-west-1', 200],
		]);
		expect(await fixture.services.probeBucket('bundledeck-create-use1')).toEqual({
			status: 'owned',
			region: 'us-east-1',
		});
		expect(await fixture.services.probeBucket('bundledeck-create-euw1')).toEqual({
			status: 'owned',
			region: 'eu-west-1',
		});
	});

	test('creating one of ours again in the same region is fine; in another region it is refused', async () => {
		await fixture.services.createBucket('bundledeck-create-twice', 'us-west-2');
		await expect(fixture.services.createBucket('bundledeck-create-twice', 'us-west-2')).resolves.toBeUndefined();
		await expect(fixture.services.createBucket('bundledeck-create-twice', 'eu-west-1')).rejects.toMatchObject({
			name: 'AppError',
			code: 'BucketAlreadyOwnedByYou',
			message: expect.stringContaining('us-west-2'),
		});
	});

	test("another account's bucket name is taken: AppError BucketAlreadyExists with a request id", async () => {
		const error = await fixture.services.createBucket(foreignBucket, 'us-east-1').catch((error: unknown) => error);
		expect(error).toMatchObject({name: 'AppError', code: 'BucketAlreadyExists'});
		expect((error as {requestId?: string}).requestId).toBeTruthy();
	});

	test('an invalid name is refused before any request', async () => {
		await expect(fixture.services.createBucket('x', 'us-east-1')).rejects.toMatchObject({code: 'InvalidBucketName'});
	});
});

describe('listBuckets', () => {
	test("our buckets with their regions, not another account's", async () => {
		await fixture.services.createBucket('bundledeck-list-a', 'eu-west-1');
		await fixture.services.createBucket('bundledeck-list-b', 'us-west-2');
		const buckets = await fixture.services.listBuckets();
		const byName = new Map(buckets.map((bucket) => [bucket.name, bucket]));
		expect(byName.get('bundledeck-list-a')?.region).toBe('eu-west-1');
		expect(byName.get('bundledeck-list-b')?.region).toBe('us-west-2');
		expect(byName.get('bundledeck-list-a')?.creationDate).toBeInstanceOf(Date);
		expect(byName.has(foreignBucket)).toBe(false);
	});
});

describe('bucket region look-up (buckets ListBuckets lists without a region)', () => {
	test('found for ours; undefined, not a failed list, when it cannot be read', async () => {
		await fixture.services.createBucket('bundledeck-lookup', 'ap-southeast-2');
		const context = sandboxContext(fixture.sandbox);
		try {
			fixture.sandbox.clearRequestLog();
			const filled = await fillBucketRegions(context, [
				{name: 'bundledeck-lookup', region: undefined, creationDate: undefined},
				{name: 'bundledeck-deleted-meanwhile', region: undefined, creationDate: undefined},
				{name: 'bundledeck-known', region: 'eu-west-1', creationDate: undefined},
			]);
			expect(filled.map((bucket) => bucket.region)).toEqual(['ap-southeast-2', undefined, 'eu-west-1']);
			// Asked in us-east-1, S3 answers 301 with the bucket's region; the SDK follows it there.
			const heads = fixture.sandbox
				.requestLog()
				.filter((entry) => entry.action === 'HeadBucket')
				.map((entry) => `${entry.region} ${entry.status}`);
			expect(heads.sort()).toEqual(['ap-southeast-2 200', 'us-east-1 301', 'us-east-1 404']);
		} finally {
			context.clients.close();
		}
	});
});

describe('prefixTaken', () => {
	test('false for a free prefix or a missing bucket, true once <prefix>.manifest.xml exists', async () => {
		await fixture.services.createBucket('bundledeck-prefixes', 'eu-west-1');
		expect(await fixture.services.prefixTaken('bundledeck-prefixes', 'winami')).toBe(false);
		expect(await fixture.services.prefixTaken('bundledeck-no-such-bucket-here', 'winami')).toBe(false);
		const s3 = sandboxS3(fixture.sandbox, 'eu-west-1');
		try {
			await putSyntheticBundle(s3, {
				bucket: 'bundledeck-prefixes',
				prefix: 'folder/winami',
				parts: 1,
				accountId: fixture.sandbox.accounts[0]!.id,
			});
		} finally {
			s3.destroy();
		}

		expect(await fixture.services.prefixTaken('bundledeck-prefixes', 'folder/winami')).toBe(true);
		expect(await fixture.services.prefixTaken('bundledeck-prefixes', 'folder/winam')).toBe(false);
	});
});

describe('locationToRegion', () => {
	test.each([
		[undefined, 'us-east-1'],
		['', 'us-east-1'],
		['EU', 'eu-west-1'],
		['ap-southeast-2', 'ap-southeast-2'],
	])('%s -> %s', (location, region) => {
		expect(locationToRegion(location)).toBe(region);
	});
});
