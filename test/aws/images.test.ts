import {PutObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {manifestMaxBytes} from '../../source/core/manifest.js';
import {rejection} from '../helpers/rejection.js';
import {startTestServices, type TestServices} from '../helpers/services.js';
import {waitFor} from '../helpers/wait-for.js';
import {putSyntheticBundle, sandboxS3} from './support.js';

let fixture: TestServices;
const region = 'us-west-2';
const bucket = 'bundledeck-images';
let manifestLocation: string;

beforeAll(async () => {
	fixture = await startTestServices({region, sandbox: {pace: {stepDelayMs: 0}}});
	await fixture.services.createBucket(bucket, region);
	const s3 = sandboxS3(fixture.sandbox, region);
	try {
		({manifestLocation} = await putSyntheticBundle(s3, {
			bucket,
			prefix: 'amis/winami',
			parts: 3,
			accountId: fixture.sandbox.accounts[0]!.id,
		}));
		await s3.send(new PutObjectCommand({Bucket: bucket, Key: 'broken.manifest.xml', Body: '<manifest><version>'}));
	} finally {
		s3.destroy();
	}
});

afterAll(async () => {
	await fixture?.close();
});

describe('readManifest', () => {
	test('summarises a manifest', async () => {
		expect(await fixture.services.readManifest(region, manifestLocation)).toEqual({
			location: manifestLocation,
			architecture: 'x86_64',
			partCount: 3,
			size: 4096 * 3 * 2,
			bundledSize: 4096 * 3,
		});
	});

	test('a manifest in a bucket that does not exist: the message names the bucket, not the whole location', async () => {
		const error = await rejection(fixture.services.readManifest(region, 'no-such-bucket-here/x/win.manifest.xml'));
		expect(error.code).toBe('NoSuchBucket');
		expect(error.message).toBe('The bucket no-such-bucket-here does not exist');
		expect(error.requestId).toBeTruthy();
	});

	test('a missing manifest: AppError NoSuchKey with a request id', async () => {
		const error = await rejection(fixture.services.readManifest(region, `${bucket}/nothing.manifest.xml`));
		expect(error.code).toBe('NoSuchKey');
		expect(error.requestId).toBeTruthy();
	});

	test('a malformed manifest: AppError InvalidManifest with the parse reason', async () => {
		const error = await rejection(fixture.services.readManifest(region, `${bucket}/broken.manifest.xml`));
		expect(error.code).toBe('InvalidManifest');
		expect(error.message).toMatch(/not well-formed XML/);
	});

	test('an oversized object is refused as a manifest without being read', async () => {
		const s3 = sandboxS3(fixture.sandbox, region);
		try {
			await s3.send(
				new PutObjectCommand({
					Bucket: bucket,
					Key: 'huge.manifest.xml',
					Body: Buffer.alloc(manifestMaxBytes + 1, 0x20),
				}),
			);
		} finally {
			s3.destroy();
		}

		const error = await rejection(fixture.services.readManifest(region, `${bucket}/huge.manifest.xml`));
		expect(error.code).toBe('InvalidManifest');
		expect(error.message).toContain(`is not a bundle manifest: it is ${manifestMaxBytes + 1} bytes`);
		// The client is still usable afterwards (the abandoned body did not wedge the connection pool).
		expect((await fixture.services.readManifest(region, manifestLocation)).partCount).toBe(3);
	});

	test('a location that is not bucket/key: InvalidManifestLocation, no request', async () => {
		fixture.sandbox.clearRequestLog();
		const error = await rejection(fixture.services.readManifest(region, 'just-a-bucket'));
		expect(error.code).toBe('InvalidManifestLocation');
		expect(fixture.sandbox.requestLog()).toEqual([]);
	});
});

describe('registerImage / describeImages / copyImage', () => {
	test('registers from the manifest (architecture from the manifest) and the image becomes available', async () => {
		const {imageId} = await fixture.services.registerImage({
			region,
			manifestLocation,
			name: 'winami (test) 1',
			description: 'registered by the aws/ tests',
		});
		expect(imageId).toMatch(/^ami-[0-9a-f]+$/);
		const image = await waitFor(async () => {
			const [found] = await fixture.services.describeImages(region, [imageId]);
			return found?.state === 'available' ? found : undefined;
		});
		expect(image).toMatchObject({
			imageId,
			region,
			name: 'winami (test) 1',
			description: 'registered by the aws/ tests',
			imageLocation: manifestLocation,
			architecture: 'x86_64',
			rootDeviceType: 'instance-store',
		});
		const mine = await fixture.services.describeImages(region);
		expect(mine.map((candidate) => candidate.imageId)).toContain(imageId);
	});

	test('a missing manifest is reported before RegisterImage is called', async () => {
		fixture.sandbox.clearRequestLog();
		const error = await rejection(
			fixture.services.registerImage({region, manifestLocation: `${bucket}/gone.manifest.xml`, name: 'gone image'}),
		);
		expect(error.code).toBe('NoSuchKey');
		expect(fixture.sandbox.requestLog().some((entry) => entry.action === 'RegisterImage')).toBe(false);
	});

	test('a duplicate name: InvalidAMIName.Duplicate; a malformed one is refused locally', async () => {
		const duplicate = await rejection(
			fixture.services.registerImage({region, manifestLocation, name: 'winami (test) 1'}),
		);
		expect(duplicate.code).toBe('InvalidAMIName.Duplicate');
		// The sentence names the AMI name that is taken, not the manifest.
		expect(duplicate.message).toContain('An AMI named "winami (test) 1" already exists in us-west-2');
		expect(duplicate.message).not.toContain(manifestLocation);
		fixture.sandbox.clearRequestLog();
		const malformed = await rejection(fixture.services.registerImage({region, manifestLocation, name: 'no*stars'}));
		expect(malformed.code).toBe('InvalidAMIName.Malformed');
		expect(fixture.sandbox.requestLog()).toEqual([]);
	});

	test('copyImage is sent to the destination region and is idempotent with a client token', async () => {
		const {imageId: sourceId} = await fixture.services.registerImage({region, manifestLocation, name: 'to copy'});
		await waitFor(async () => (await fixture.services.describeImages(region, [sourceId]))[0]?.state === 'available');
		fixture.sandbox.clearRequestLog();
		const input = {
			sourceRegion: region,
			sourceImageId: sourceId,
			destinationRegion: 'eu-west-1',
			name: 'copied',
			clientToken: 'aws-tests-copy-1',
		};
		const first = await fixture.services.copyImage(input);
		const again = await fixture.services.copyImage(input);
		expect(again.imageId).toBe(first.imageId);
		const copies = fixture.sandbox.requestLog().filter((entry) => entry.action === 'CopyImage');
		expect(copies.map((entry) => entry.region)).toEqual(['eu-west-1', 'eu-west-1']);
		const copied = await waitFor(async () => {
			const [found] = await fixture.services.describeImages('eu-west-1', [first.imageId]);
			return found?.state === 'available' ? found : undefined;
		});
		expect(copied.name).toBe('copied');
	});

	test('copyImage without a token generates one per call', async () => {
		const [source] = await fixture.services.describeImages(region);
		const a = await fixture.services.copyImage({
			sourceRegion: region,
			sourceImageId: source!.imageId,
			destinationRegion: 'ap-southeast-2',
			name: 'copy a',
		});
		const b = await fixture.services.copyImage({
			sourceRegion: region,
			sourceImageId: source!.imageId,
			destinationRegion: 'ap-southeast-2',
			name: 'copy b',
		});
		expect(a.imageId).not.toBe(b.imageId);
	});

	test('an unknown image: InvalidAMIID.NotFound', async () => {
		const error = await rejection(fixture.services.describeImages(region, ['ami-0123456789abcdef0']));
		expect(error.code).toMatch(/^InvalidAMIID\./);
	});
});
