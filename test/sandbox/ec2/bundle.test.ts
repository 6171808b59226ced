import {createHash} from 'node:crypto';
import {
	CancelBundleTaskCommand,
	CopyImageCommand,
	DeregisterImageCommand,
	DescribeBundleTasksCommand,
	DescribeImagesCommand,
	type Image,
	RegisterImageCommand,
} from '@aws-sdk/client-ec2';
import {
	CreateBucketCommand,
	DeleteObjectCommand,
	GetObjectCommand,
	HeadBucketCommand,
	ListObjectsV2Command,
	PutObjectCommand,
} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {parseManifest} from '../../../source/core/manifest.js';
import {createDiskImage} from '../../../source/sandbox/ec2/disk-image.js';
import {waitFor} from '../../helpers/wait-for.js';
import {
	describeTask,
	type Fixture,
	failure,
	finished,
	instanceId,
	instanceState,
	mib,
	openSandbox,
	sha1,
	startBundle,
	waitForTask,
} from './fixture.js';
import {unbundle} from './unbundle.js';

let fixture: Fixture;
/** The bundle -> register round trip's results, reused by the later tests */
let bucket: string;
let imageId: string;

beforeAll(async () => {
	// 24 MiB image: the bundle has 2+ parts of 10 MiB
	fixture = await openSandbox({pace: {imageSize: 24 * mib, stepDelayMs: 20, bytesPerSecond: undefined}});
});

afterAll(async () => {
	await fixture?.cleanup();
});

async function body(key: string, from = bucket, region = 'us-east-1'): Promise<Uint8Array> {
	const output = await fixture.s3(region).send(new GetObjectCommand({Bucket: from, Key: key}));
	return output.Body!.transformToByteArray();
}

async function keys(name: string, prefix = '', region = 'us-east-1'): Promise<string[]> {
	const output = await fixture.s3(region).send(new ListObjectsV2Command({Bucket: name, Prefix: prefix}));
	return (output.Contents ?? []).map((object) => object.Key!);
}

async function images(
	input: ConstructorParameters<typeof DescribeImagesCommand>[0] = {},
	region = 'us-east-1',
): Promise<Image[]> {
	return (await fixture.ec2(region).send(new DescribeImagesCommand(input))).Images ?? [];
}

async function waitImage(id: string, region = 'us-east-1'): Promise<Image> {
	return waitFor(async () => {
		const [image] = await images({ImageIds: [id]}, region);
		return image?.State === 'pending' ? undefined : image;
	});
}

describe('BundleInstance validation', () => {
	const base = () => ({bucket: 'bundledeck-validation', prefix: 'val', account: fixture.account});

	test('malformed and unknown instance ids', async () => {
		const ec2 = fixture.ec2();
		expect((await failure(startBundle(ec2, {...base(), instanceId: 'nope'}))).name).toBe('InvalidInstanceID.Malformed');
		const notFound = await failure(startBundle(ec2, {...base(), instanceId: 'i-0123456789abcdef0'}));
		expect(notFound.name).toBe('InvalidInstanceID.NotFound');
		expect(notFound.message).toContain('i-0123456789abcdef0');
	});

	test('ineligible instances: Linux and EBS-backed -> InvalidInstanceType, stopped -> IncorrectInstanceState', async () => {
		const ec2 = fixture.ec2();
		const linux = await failure(startBundle(ec2, {...base(), instanceId: await instanceId(ec2, 'build01')}));
		expect(linux.name).toBe('InvalidInstanceType');
		expect(linux.message).toMatch(/Windows/);
		const ebs = await failure(startBundle(ec2, {...base(), instanceId: await instanceId(ec2, 'dc01')}));
		expect(ebs.name).toBe('InvalidInstanceType');
		expect(ebs.message).toMatch(/EBS-backed/);
		const stopped = await failure(startBundle(ec2, {...base(), instanceId: await instanceId(ec2, 'file01')}));
		expect(stopped.name).toBe('IncorrectInstanceState');
	});

	test('missing storage fields -> MissingParameter naming the field', async () => {
		const {BundleInstanceCommand} = await import('@aws-sdk/client-ec2');
		const ec2 = fixture.ec2();
		const id = await instanceId(ec2, 'web01');
		const error = await failure(
			ec2.send(new BundleInstanceCommand({InstanceId: id, Storage: {S3: {Bucket: 'bundledeck-x', Prefix: 'p'}}})),
		);
		expect(error.name).toBe('MissingParameter');
		expect(error.message).toContain('Storage.S3.AWSAccessKeyId');
	});

	test('a policy base64-encoded twice is refused with a clear message', async () => {
		const {BundleInstanceCommand} = await import('@aws-sdk/client-ec2');
		const ec2 = fixture.ec2();
		const error = await failure(
			ec2.send(
				new BundleInstanceCommand({
					InstanceId: await instanceId(ec2, 'web01'),
					Storage: {
						S3: {
							Bucket: 'bundledeck-x',
							Prefix: 'p',
							AWSAccessKeyId: fixture.account.accessKeyId,
							UploadPolicy: Buffer.from(Buffer.from('{"expiration":"2030-01-01T00:00:00Z"}').toString('base64')),
							UploadPolicySignature: 'c2ln',
						},
					},
				}),
			),
		);
		expect(error.name).toBe('InvalidParameterValue');
		expect(error.message).toMatch(/base64-encoded twice/);
	});

	test('DryRun: success is DryRunOperation (412) and nothing starts; a real error wins over DryRun', async () => {
		const ec2 = fixture.ec2();
		const id = await instanceId(ec2, 'web01');
		const dry = await failure(startBundle(ec2, {...base(), instanceId: id, dryRun: true}));
		expect(dry).toMatchObject({name: 'DryRunOperation', status: 412});
		const tasks = await ec2.send(new DescribeBundleTasksCommand({}));
		expect(tasks.BundleTasks?.filter((task) => task.InstanceId === id)).toEqual([]);
		expect(await instanceState(ec2, id)).toBe('running');
		const stopped = await failure(
			startBundle(ec2, {...base(), instanceId: await instanceId(ec2, 'file01'), dryRun: true}),
		);
		expect(stopped.name).toBe('IncorrectInstanceState');
	});
});

describe('bundle -> register -> copy round trip at full pace', () => {
	test('BundleInstance runs to complete, stores parts + manifest whose digests match', async () => {
		const ec2 = fixture.ec2();
		const id = await instanceId(ec2, 'web02');
		bucket = `bundledeck-round-trip-${Date.now()}`;
		const task = await startBundle(ec2, {instanceId: id, bucket, prefix: 'winami', account: fixture.account});
		expect(task.BundleId).toMatch(/^bun-[\da-f]{8}$/);
		expect(task.State).toBe('pending');
		expect(task.Progress).toBe('0%');
		expect(task.Storage?.S3).toMatchObject({Bucket: bucket, Prefix: 'winami'});
		expect(task.StartTime).toBeInstanceOf(Date);

		const seen: string[] = [];
		const done = await waitForTask(ec2, task.BundleId!, (current) => {
			seen.push(current.State!);
			return finished(current);
		});
		expect(done.BundleTaskError).toBeUndefined();
		expect(done.State).toBe('complete');
		expect(done.Progress).toBe('100%');
		expect(done.UpdateTime!.getTime()).toBeGreaterThanOrEqual(done.StartTime!.getTime());
		// The instance was restarted
		expect(await instanceState(ec2, id)).toBe('running');
		// Monotonic state order
		const order = ['pending', 'waiting-for-shutdown', 'bundling', 'storing', 'complete'];
		const indexes = seen.map((state) => order.indexOf(state));
		expect(indexes.every((value, index) => value >= 0 && (index === 0 || value >= indexes[index - 1]!))).toBe(true);

		// The bucket was created in the task's region, owned by the caller
		await fixture.s3().send(new HeadBucketCommand({Bucket: bucket}));
		const stored = await keys(bucket);
		expect(stored).toContain('winami.manifest.xml');
		const manifest = parseManifest(Buffer.from(await body('winami.manifest.xml')));
		expect(manifest.parts.length).toBeGreaterThanOrEqual(2);
		expect(manifest.name).toBe('winami');
		expect(manifest.user).toBe(fixture.account.id);
		expect(manifest.size).toBe(24 * mib);
		expect(manifest.architecture).toBe('x86_64');
		expect(manifest.ec2EncryptedKey).toMatch(/^[\da-f]{512}$/);
		expect(manifest.signature).toMatch(/^[\da-f]{512}$/);
		expect(stored.sort()).toEqual(['winami.manifest.xml', ...manifest.parts.map((part) => part.filename)].sort());
		let total = 0;
		for (const part of manifest.parts) {
			expect(part.filename).toBe(`winami.part.${part.index}`);
			const data = await body(part.filename);
			expect(sha1(data)).toBe(part.digest);
			expect(data.length).toBeLessThanOrEqual(10 * mib);
			total += data.length;
		}

		expect(manifest.parts.slice(0, -1).every((part) => part.index < manifest.parts.length)).toBe(true);
		expect(total).toBe(manifest.bundledSize);
		// Encrypted output: the parts are not a gzip stream in clear
		const first = await body(manifest.parts[0]!.filename);
		expect([first[0], first[1]]).not.toEqual([0x1f, 0x8b]);
	});

	test('the payload is as EC2 made it: a ustar stream of the image, gzipped, AES-128-CBC; image/digest is over the tar', async () => {
		const manifest = parseManifest(Buffer.from(await body('winami.manifest.xml')));
		const parts = await Promise.all(manifest.parts.map(async (part) => body(part.filename)));
		const tar = await unbundle(fixture.dir, manifest, parts);
		expect(sha1(tar)).toBe(manifest.digest);
		// One regular file named like the image, owned by root, then end-of-archive zeros up to a 10 KiB record
		const header = tar.subarray(0, 512);
		expect(header.toString('latin1', 0, 100).replace(/\0+$/, '')).toBe('winami');
		expect(header.toString('latin1', 156, 157)).toBe('0');
		expect(header.toString('latin1', 257, 265)).toBe('ustar\u000000');
		expect(Number.parseInt(header.toString('latin1', 124, 136), 8)).toBe(manifest.size);
		expect(Number.parseInt(header.toString('latin1', 108, 116), 8)).toBe(0);
		const sum = [...header].reduce((total, byte, index) => total + (index >= 148 && index < 156 ? 32 : byte), 0);
		expect(Number.parseInt(header.toString('latin1', 148, 156), 8)).toBe(sum);
		const image = createDiskImage(await instanceId(fixture.ec2(), 'web02'), 24 * mib);
		const contents = tar.subarray(512, 512 + manifest.size);
		const hash = createHash('sha1');
		for await (const chunk of image.stream()) {
			hash.update(chunk as Buffer);
		}

		expect(sha1(contents)).toBe(hash.digest('hex'));
		expect(tar.length % 10_240).toBe(0);
		expect(tar.subarray(512 + manifest.size).every((byte) => byte === 0)).toBe(true);
	});

	test('a second bundle of the same instance to the same bucket works (the instance is running again)', async () => {
		const ec2 = fixture.ec2();
		const task = await startBundle(ec2, {
			instanceId: await instanceId(ec2, 'web02'),
			bucket,
			prefix: 'folder/second',
			account: fixture.account,
		});
		const done = await waitForTask(ec2, task.BundleId!, finished);
		expect(done.State).toBe('complete');
		expect(await keys(bucket, 'folder/')).toContain('folder/second.manifest.xml');
		const manifest = parseManifest(Buffer.from(await body('folder/second.manifest.xml')));
		expect(manifest.name).toBe('second');
		expect(await keys(bucket, 'folder/')).toContain(`folder/${manifest.parts[0]!.filename}`);
	});

	test('DescribeBundleTasks: BundleIds and every documented filter', async () => {
		const ec2 = fixture.ec2();
		const all = (await ec2.send(new DescribeBundleTasksCommand({}))).BundleTasks ?? [];
		const task = all.find((candidate) => candidate.Storage?.S3?.Prefix === 'winami')!;
		expect(task).toBeDefined();
		const select = async (Name: string, Values: string[]) =>
			((await ec2.send(new DescribeBundleTasksCommand({Filters: [{Name, Values}]}))).BundleTasks ?? []).map(
				(candidate) => candidate.BundleId,
			);
		expect(await select('bundle-id', [task.BundleId!])).toEqual([task.BundleId]);
		expect(await select('instance-id', [task.InstanceId!])).toContain(task.BundleId);
		expect(await select('state', ['complete'])).toContain(task.BundleId);
		expect(await select('state', ['failed'])).not.toContain(task.BundleId);
		expect(await select('progress', ['100%'])).toContain(task.BundleId);
		expect(await select('s3-bucket', [bucket])).toContain(task.BundleId);
		expect(await select('s3-prefix', ['winami'])).toEqual([task.BundleId]);
		expect(await select('start-time', [task.StartTime!.toISOString()])).toEqual([task.BundleId]);
		expect(await select('update-time', [task.UpdateTime!.toISOString()])).toContain(task.BundleId);
		expect(await select('error-code', ['*'])).not.toContain(task.BundleId);
		expect(await select('error-message', ['*'])).not.toContain(task.BundleId);
		const unknownFilter = await failure(
			ec2.send(new DescribeBundleTasksCommand({Filters: [{Name: 'colour', Values: ['x']}]})),
		);
		expect(unknownFilter.name).toBe('InvalidParameterValue');
		const unknownId = await failure(ec2.send(new DescribeBundleTasksCommand({BundleIds: ['bun-00000000']})));
		expect(unknownId.name).toBe('InvalidBundleID.NotFound');
		expect((await failure(ec2.send(new DescribeBundleTasksCommand({DryRun: true})))).name).toBe('DryRunOperation');
	});

	test('CancelBundleTask on a finished or unknown task is refused', async () => {
		const ec2 = fixture.ec2();
		const [task] = (
			await ec2.send(new DescribeBundleTasksCommand({Filters: [{Name: 's3-prefix', Values: ['winami']}]}))
		).BundleTasks!;
		const finishedTask = await failure(ec2.send(new CancelBundleTaskCommand({BundleId: task!.BundleId})));
		expect(finishedTask.name).toBe('IncorrectState');
		expect(finishedTask.message).toContain('complete');
		const unknown = await failure(ec2.send(new CancelBundleTaskCommand({BundleId: 'bun-00000000'})));
		expect(unknown.name).toBe('InvalidBundleID.NotFound');
	});

	test('RegisterImage: pending -> available, instance-store Windows image with the manifest architecture', async () => {
		const ec2 = fixture.ec2();
		const location = `${bucket}/winami.manifest.xml`;
		const dry = await failure(
			ec2.send(new RegisterImageCommand({Name: 'winami (web02)', ImageLocation: location, DryRun: true})),
		);
		expect(dry.name).toBe('DryRunOperation');
		const output = await ec2.send(
			new RegisterImageCommand({Name: 'winami (web02)', ImageLocation: location, Description: 'bundled by a test'}),
		);
		imageId = output.ImageId!;
		expect(imageId).toMatch(/^ami-[\da-f]{17}$/);
		const image = await waitImage(imageId);
		expect(image).toMatchObject({
			ImageId: imageId,
			Name: 'winami (web02)',
			Description: 'bundled by a test',
			State: 'available',
			ImageLocation: location,
			RootDeviceType: 'instance-store',
			Platform: 'windows',
			Architecture: 'x86_64',
			OwnerId: fixture.account.id,
			ImageType: 'machine',
			Public: false,
		});
		expect(image.CreationDate).toMatch(/^\d{4}-\d\d-\d\dT/);
	});

	test('RegisterImage name rules: malformed and duplicate', async () => {
		const ec2 = fixture.ec2();
		const location = `${bucket}/winami.manifest.xml`;
		for (const name of ['ab', 'x'.repeat(129), 'bad*name', 'semi;colon']) {
			const error = await failure(ec2.send(new RegisterImageCommand({Name: name, ImageLocation: location})));
			expect(error.name).toBe('InvalidAMIName.Malformed');
		}

		const duplicate = await failure(
			ec2.send(new RegisterImageCommand({Name: 'winami (web02)', ImageLocation: location})),
		);
		expect(duplicate.name).toBe('InvalidAMIName.Duplicate');
		expect(duplicate.message).toContain(imageId);
		expect((await failure(ec2.send(new RegisterImageCommand({Name: 'no location'})))).name).toBe('MissingParameter');
		const architecture = await failure(
			ec2.send(new RegisterImageCommand({Name: 'arch test', ImageLocation: location, Architecture: 'arm64'})),
		);
		expect(architecture.name).toBe('InvalidParameterValue');
	});

	test('RegisterImage refuses manifests it cannot read', async () => {
		const ec2 = fixture.ec2();
		const cases: Array<[string, RegExp]> = [
			['bundledeck-no-such-bucket-anywhere/x.manifest.xml', /Bucket bundledeck-no-such-bucket-anywhere does not exist/],
			[`${bucket}/missing.manifest.xml`, /Manifest missing\.manifest\.xml was not found/],
			['bundledeck-other-account-bucket/x.manifest.xml', /belongs to another account/],
		];
		for (const [location, message] of cases) {
			const error = await failure(ec2.send(new RegisterImageCommand({Name: 'cannot read', ImageLocation: location})));
			expect(error.name).toBe('InvalidManifest');
			expect(error.message).toMatch(message);
		}

		// Not a manifest
		await fixture.s3().send(new PutObjectCommand({Bucket: bucket, Key: 'junk.manifest.xml', Body: '<html></html>'}));
		const junk = await failure(
			ec2.send(new RegisterImageCommand({Name: 'junk', ImageLocation: `${bucket}/junk.manifest.xml`})),
		);
		expect(junk.name).toBe('InvalidManifest');
		expect(junk.message).toMatch(/no <manifest> root element/);
		// Registered from another region: the bucket is in us-east-1
		const elsewhere = await failure(
			fixture
				.ec2('eu-west-1')
				.send(new RegisterImageCommand({Name: 'elsewhere', ImageLocation: `${bucket}/winami.manifest.xml`})),
		);
		expect(elsewhere.name).toBe('InvalidManifest');
		expect(elsewhere.message).toMatch(/is in us-east-1, not eu-west-1/);
	});

	test('DescribeImages: owners, ids and filters', async () => {
		expect((await images({Owners: ['self']})).map((image) => image.ImageId)).toEqual([imageId]);
		expect((await images({Owners: [fixture.account.id]})).map((image) => image.ImageId)).toEqual([imageId]);
		expect(await images({Owners: ['amazon']})).toEqual([]);
		expect((await images({ImageIds: [imageId]})).map((image) => image.ImageId)).toEqual([imageId]);
		const filter = async (Name: string, Values: string[]) =>
			(await images({Owners: ['self'], Filters: [{Name, Values}]})).map((image) => image.ImageId);
		expect(await filter('name', ['winami*'])).toEqual([imageId]);
		expect(await filter('name', ['other'])).toEqual([]);
		expect(await filter('manifest-location', [`${bucket}/winami.manifest.xml`])).toEqual([imageId]);
		expect(await filter('image-id', [imageId])).toEqual([imageId]);
		expect(await filter('state', ['available'])).toEqual([imageId]);
		expect(await filter('state', ['pending'])).toEqual([]);
		const notFound = await failure(images({ImageIds: ['ami-0123456789abcdef0']}));
		expect(notFound.name).toBe('InvalidAMIID.NotFound');
		expect((await failure(images({ImageIds: ['bogus']}))).name).toBe('InvalidAMIID.Malformed');
		expect((await failure(images({Filters: [{Name: 'bogus', Values: ['x']}]}))).name).toBe('InvalidParameterValue');
		expect((await failure(images({DryRun: true}))).name).toBe('DryRunOperation');
		// Other accounts do not see the image
		const theirs = await fixture.ec2('us-east-1', fixture.other).send(new DescribeImagesCommand({Owners: ['self']}));
		expect(theirs.Images).toEqual([]);
	});

	test('CopyImage to another region copies the bundle into amis-for-<account>-in-<region>-<hash> and registers it', async () => {
		const west = fixture.ec2('eu-west-1');
		const input = {SourceRegion: 'us-east-1', SourceImageId: imageId, Name: 'winami copy', ClientToken: 'copy-token-1'};
		expect((await failure(west.send(new CopyImageCommand({...input, DryRun: true})))).name).toBe('DryRunOperation');
		const output = await west.send(new CopyImageCommand(input));
		const copyId = output.ImageId!;
		expect(copyId).toMatch(/^ami-/);
		expect(copyId).not.toBe(imageId);
		// Same ClientToken + same parameters: the same image, no second copy
		expect((await west.send(new CopyImageCommand(input))).ImageId).toBe(copyId);
		const mismatch = await failure(west.send(new CopyImageCommand({...input, Name: 'another name'})));
		expect(mismatch.name).toBe('IdempotentParameterMismatch');

		const copy = await waitImage(copyId, 'eu-west-1');
		expect(copy.State).toBe('available');
		expect(copy.Name).toBe('winami copy');
		expect(copy.RootDeviceType).toBe('instance-store');
		const [copyBucket, ...rest] = copy.ImageLocation!.split('/');
		expect(copyBucket).toMatch(new RegExp(`^amis-for-${fixture.account.id}-in-eu-west-1-[\\da-f]+$`));
		const head = await fixture.s3('eu-west-1').send(new HeadBucketCommand({Bucket: copyBucket}));
		expect(head.BucketRegion).toBe('eu-west-1');
		const copied = await keys(copyBucket!, '', 'eu-west-1');
		const manifestKey = rest.join('/');
		expect(copied).toContain(manifestKey);
		const manifest = parseManifest(Buffer.from(await body(manifestKey, copyBucket, 'eu-west-1')));
		expect(copied).toHaveLength(manifest.parts.length + 1);
		expect((await images({Owners: ['self']}, 'eu-west-1')).map((image) => image.ImageId)).toEqual([copyId]);
	});

	test('CopyImage errors: unknown source, bad region, missing name, duplicate name', async () => {
		const west = fixture.ec2('eu-west-1');
		const unknown = await failure(
			west.send(
				new CopyImageCommand({SourceRegion: 'us-east-1', SourceImageId: 'ami-0123456789abcdef0', Name: 'x-copy'}),
			),
		);
		expect(unknown.name).toBe('InvalidAMIID.NotFound');
		const region = await failure(
			west.send(new CopyImageCommand({SourceRegion: 'mars-1', SourceImageId: imageId, Name: 'x-copy'})),
		);
		expect(region.name).toBe('InvalidParameterValue');
		const {rawEc2} = await import('./fixture.js');
		const missing = await rawEc2(
			fixture,
			{Action: 'CopyImage', SourceRegion: 'us-east-1', SourceImageId: imageId},
			'eu-west-1',
		);
		expect(missing.body).toContain('<Code>MissingParameter</Code>');
		const duplicate = await failure(
			west.send(new CopyImageCommand({SourceRegion: 'us-east-1', SourceImageId: imageId, Name: 'winami copy'})),
		);
		expect(duplicate.name).toBe('InvalidAMIName.Duplicate');
	});

	test('a tampered part makes RegisterImage fail with InvalidManifest naming the part', async () => {
		const ec2 = fixture.ec2();
		const manifest = parseManifest(Buffer.from(await body('winami.manifest.xml')));
		const victim = manifest.parts[1]!;
		const original = await body(victim.filename);
		const tampered = Buffer.from(original);
		tampered[100] = (tampered[100]! + 1) % 256;
		await fixture.s3().send(new PutObjectCommand({Bucket: bucket, Key: victim.filename, Body: tampered}));
		const error = await failure(
			ec2.send(new RegisterImageCommand({Name: 'tampered', ImageLocation: `${bucket}/winami.manifest.xml`})),
		);
		expect(error.name).toBe('InvalidManifest');
		expect(error.message).toContain(`Part ${victim.filename} digest does not match the manifest`);

		await fixture.s3().send(new DeleteObjectCommand({Bucket: bucket, Key: victim.filename}));
		const missing = await failure(
			ec2.send(new RegisterImageCommand({Name: 'tampered', ImageLocation: `${bucket}/winami.manifest.xml`})),
		);
		expect(missing.name).toBe('InvalidManifest');
		expect(missing.message).toContain(`Part ${victim.filename} listed in the manifest is missing`);
		// Put the original back: registration works again
		await fixture.s3().send(new PutObjectCommand({Bucket: bucket, Key: victim.filename, Body: original}));
		const again = await ec2.send(
			new RegisterImageCommand({Name: 'restored', ImageLocation: `${bucket}/winami.manifest.xml`}),
		);
		expect((await waitImage(again.ImageId!)).State).toBe('available');
	});

	test('a CopyImage whose source bundle lost a part fails in the destination region with Server.CopyFailed', async () => {
		const west = fixture.ec2('eu-west-1');
		const manifest = parseManifest(Buffer.from(await body('winami.manifest.xml')));
		const victim = manifest.parts[0]!;
		const original = await body(victim.filename);
		await fixture.s3().send(new DeleteObjectCommand({Bucket: bucket, Key: victim.filename}));
		try {
			const {ImageId: copyId} = await west.send(
				new CopyImageCommand({SourceRegion: 'us-east-1', SourceImageId: imageId, Name: 'winami lost a part'}),
			);
			const copy = await waitImage(copyId!, 'eu-west-1');
			expect(copy.State).toBe('failed');
			expect(copy.StateReason?.Code).toBe('Server.CopyFailed');
			expect(copy.StateReason?.Message).toBe('The specified key does not exist.');
		} finally {
			await fixture.s3().send(new PutObjectCommand({Bucket: bucket, Key: victim.filename, Body: original}));
		}
	});

	test('DeregisterImage removes the image, leaves the S3 files', async () => {
		const ec2 = fixture.ec2();
		expect((await failure(ec2.send(new DeregisterImageCommand({ImageId: imageId, DryRun: true})))).name).toBe(
			'DryRunOperation',
		);
		const output = await ec2.send(new DeregisterImageCommand({ImageId: imageId}));
		expect(output.Return).toBe(true);
		expect((await failure(images({ImageIds: [imageId]}))).name).toBe('InvalidAMIID.NotFound');
		expect((await failure(ec2.send(new DeregisterImageCommand({ImageId: imageId})))).name).toBe(
			'InvalidAMIID.NotFound',
		);
		expect(await keys(bucket)).toContain('winami.manifest.xml');
		// The name is free again
		const again = await ec2.send(
			new RegisterImageCommand({Name: 'winami (web02)', ImageLocation: `${bucket}/winami.manifest.xml`}),
		);
		expect(again.ImageId).not.toBe(imageId);
	});
});

describe('bundle tasks that fail', () => {
	test('a bucket owned by the other account: the task fails with AccessDenied and the instance runs again', async () => {
		const ec2 = fixture.ec2();
		const id = await instanceId(ec2, 'app01');
		const task = await startBundle(ec2, {
			instanceId: id,
			bucket: 'bundledeck-other-account-bucket',
			prefix: 'steal',
			account: fixture.account,
		});
		const done = await waitForTask(ec2, task.BundleId!, finished);
		expect(done.State).toBe('failed');
		expect(done.BundleTaskError?.Code).toBe('Client.AccessDenied');
		expect(done.BundleTaskError?.Message).toMatch(/belongs to another AWS account/);
		expect(await instanceState(ec2, id)).toBe('running');
		const filtered = await ec2.send(
			new DescribeBundleTasksCommand({Filters: [{Name: 'error-code', Values: ['Client.AccessDenied']}]}),
		);
		expect(filtered.BundleTasks?.map((candidate) => candidate.BundleId)).toContain(task.BundleId);
	});

	test('a policy signed with the wrong secret: S3 refuses the first part, the task fails, nothing is left', async () => {
		const ec2 = fixture.ec2();
		const id = await instanceId(ec2, 'app02');
		const badBucket = `bundledeck-bad-policy-${Date.now()}`;
		const task = await startBundle(ec2, {
			instanceId: id,
			bucket: badBucket,
			prefix: 'bad',
			account: fixture.account,
			signWith: 'not-the-secret',
		});
		const done = await waitForTask(ec2, task.BundleId!, finished);
		expect(done.State).toBe('failed');
		expect(done.BundleTaskError?.Code).toBe('Client.AccessDenied');
		expect(done.BundleTaskError?.Message).toMatch(/S3 refused the upload of bad\.part\.0/);
		expect(done.BundleTaskError?.Message).not.toContain('not-the-secret');
		expect(await keys(badBucket)).toEqual([]);
		expect(await instanceState(ec2, id)).toBe('running');
		expect((await describeTask(ec2, task.BundleId!)).Progress).toMatch(/^\d+%$/);
	});

	test('a policy for another prefix, or an expired one: S3 refuses the parts and the task fails saying why', async () => {
		const ec2 = fixture.ec2();
		const cases: Array<[{prefix?: string; expiration?: Date}, RegExp]> = [
			[{prefix: 'elsewhere/'}, /Policy Condition failed/],
			[{expiration: new Date(Date.now() - 60_000)}, /Policy expired/],
		];
		for (const [policy, message] of cases) {
			const id = await instanceId(ec2, 'sql01');
			const target = `bundledeck-policy-${Date.now()}`;
			const task = await startBundle(ec2, {
				instanceId: id,
				bucket: target,
				prefix: 'pol',
				account: fixture.account,
				policy,
			});
			const done = await waitForTask(ec2, task.BundleId!, finished);
			expect(done.State).toBe('failed');
			expect(done.BundleTaskError?.Code).toBe('Client.AccessDenied');
			expect(done.BundleTaskError?.Message).toMatch(message);
			expect(await keys(target)).toEqual([]);
		}
	});

	test('a bucket of the caller in another region: the task fails and says where the bucket is', async () => {
		const ec2 = fixture.ec2();
		const target = `bundledeck-west-${Date.now()}`;
		await fixture
			.s3('us-west-2')
			.send(new CreateBucketCommand({Bucket: target, CreateBucketConfiguration: {LocationConstraint: 'us-west-2'}}));
		const task = await startBundle(ec2, {
			instanceId: await instanceId(ec2, 'app01'),
			bucket: target,
			prefix: 'west',
			account: fixture.account,
		});
		const done = await waitForTask(ec2, task.BundleId!, finished);
		expect(done.State).toBe('failed');
		expect(done.BundleTaskError?.Message).toMatch(/is in us-west-2, not in us-east-1/);
	});
});
