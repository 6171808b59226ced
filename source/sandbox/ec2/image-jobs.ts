/**
 * Background work on images: pending -> available after stepDelayMs (RegisterImage), and CopyImage's copy of the
 * bundle into amis-for-<account>-in-<region>-<hash> in the destination region, verified, then available.
 * At startup, pending images resume: registrations become available, copies run again (copies are idempotent).
 */
import {createHash} from 'node:crypto';
import type {ObjectStore, SandboxPace} from '../contracts.js';
import {PendingImageJobs} from './pending-image-jobs.js';
import {parseImageLocation, readBundleManifest, verifyBundle} from './verify-bundle.js';
import type {ImageRecord, World} from './world.js';

export const copyAcl = 'aws-exec-read';

export function copyBucketName(accountId: string, region: string): string {
	const hash = createHash('sha1').update(`${accountId}:${region}`).digest('hex').slice(0, 10);
	return `amis-for-${accountId}-in-${region}-${hash}`;
}

export class ImageJobs {
	private readonly world: World;
	private readonly objects: ObjectStore;
	private readonly jobs: PendingImageJobs;

	constructor(context: {world: World; objects: ObjectStore; pace: SandboxPace}) {
		this.world = context.world;
		this.objects = context.objects;
		this.jobs = new PendingImageJobs({
			world: context.world,
			pace: context.pace,
			failure: (_image, error) => ({
				code: 'Server.CopyFailed',
				message: error instanceof Error ? error.message : `The copy failed: ${String(error)}`,
			}),
		});
	}

	/** Location the copy of `source` gets in the destination region. */
	copyLocation(accountId: string, region: string, source: ImageRecord): string {
		const {key} = parseImageLocation(source.imageLocation);
		const base = key.slice(key.lastIndexOf('/') + 1);
		return `${copyBucketName(accountId, region)}/${source.imageId}/${base}`;
	}

	makeAvailable(image: ImageRecord): void {
		this.jobs.start(image, async () => undefined);
	}

	startCopy(image: ImageRecord): void {
		this.jobs.start(image, async () => this.copy(image));
	}

	resume(): void {
		for (const image of this.world.state.images) {
			if (image.state !== 'pending' || image.ebs) {
				continue; // EBS-backed images resume in ebs-jobs.ts
			}

			if (image.copy) {
				this.startCopy(image);
			} else {
				this.makeAvailable(image);
			}
		}
	}

	async close(): Promise<void> {
		await this.jobs.close();
	}

	private async copy(image: ImageRecord): Promise<void> {
		const copy = image.copy!;
		const source = this.world.image(image.accountId, copy.sourceRegion, copy.sourceImageId);
		if (!source) {
			throw new Error(`Source image ${copy.sourceImageId} in ${copy.sourceRegion} no longer exists.`);
		}

		const from = parseImageLocation(source.imageLocation);
		const to = parseImageLocation(image.imageLocation);
		const manifest = await readBundleManifest(this.objects, from, image.accountId, copy.sourceRegion);
		if (!this.objects.getBucket(to.bucket)) {
			await this.objects.createBucket(image.accountId, to.bucket, image.region);
		}

		for (const part of manifest.parts) {
			this.jobs.signal.throwIfAborted();
			await this.objects.copyObject(
				{bucket: from.bucket, key: `${from.directory}${part.filename}`},
				{bucket: to.bucket, key: `${to.directory}${part.filename}`, acl: copyAcl},
			);
		}

		await this.objects.copyObject({bucket: from.bucket, key: from.key}, {bucket: to.bucket, key: to.key, acl: copyAcl});
		await verifyBundle(this.objects, to, image.accountId, image.region);
	}
}
