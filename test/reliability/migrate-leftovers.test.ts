/**
 * Issue 14 items 9 and 10 (migrate): an unknown destination region is named as such (not "the bucket is in another
 * region"), and a failed migration removes the destination bucket it created while that bucket is still empty.
 */
import {DeleteObjectCommand, type S3Client} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {putSyntheticBundle, sandboxS3} from '../aws/support.js';
import {rejection} from '../helpers/rejection.js';
import {startTestServices, type TestServices} from '../helpers/services.js';

let fixture: TestServices;
let s3: S3Client;
let complete: string;
let broken: string;

beforeAll(async () => {
	fixture = await startTestServices({region: 'us-east-1', sandbox: {pace: {stepDelayMs: 0}}});
	s3 = sandboxS3(fixture.sandbox, 'us-east-1');
	await fixture.services.createBucket('rel-migrate-source', 'us-east-1');
	const accountId = fixture.sandbox.accounts[0]!.id;
	({manifestLocation: complete} = await putSyntheticBundle(s3, {
		bucket: 'rel-migrate-source',
		prefix: 'ok',
		parts: 3,
		accountId,
	}));
	const partial = await putSyntheticBundle(s3, {bucket: 'rel-migrate-source', prefix: 'holed', parts: 3, accountId});
	broken = partial.manifestLocation;
	await s3.send(new DeleteObjectCommand({Bucket: 'rel-migrate-source', Key: partial.keys[1]}));
});

afterAll(async () => {
	s3?.destroy();
	await fixture?.close();
});

/** A migration of `manifestLocation` from us-east-1 that must fail; its AppError. */
async function failedMigration(manifestLocation: string, destinationRegion: string, destinationBucket: string) {
	return rejection(
		fixture.services.migrateBundle({sourceRegion: 'us-east-1', manifestLocation, destinationRegion, destinationBucket}),
	);
}

test('an unknown destination region is named, and nothing is created', async () => {
	const error = await failedMigration(complete, 'xx-fake-9', 'rel-migrate-fake');
	expect(error.code).toBe('InvalidRegion');
	expect(error.toLine()).toContain('xx-fake-9');
	expect(error.toLine()).not.toMatch(/another region|is in /);
	expect(await fixture.services.probeBucket('rel-migrate-fake')).toEqual({status: 'missing'});
});

test('a failed migration deletes the destination bucket it created, still empty', async () => {
	const error = await failedMigration(broken, 'us-west-2', 'rel-migrate-new');
	expect(error.code).toBe('IncompleteBundle');
	expect(await fixture.services.probeBucket('rel-migrate-new')).toEqual({status: 'missing'});
});

test('a bucket that existed before is kept when the migration fails', async () => {
	await fixture.services.createBucket('rel-migrate-mine', 'us-west-2');
	await failedMigration(broken, 'us-west-2', 'rel-migrate-mine');
	expect(await fixture.services.probeBucket('rel-migrate-mine')).toEqual({status: 'owned', region: 'us-west-2'});
});
