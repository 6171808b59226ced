/**
 * CopyImage, sent to the destination region. An instance store-backed AMI's bundle is copied into the destination's
 * amis-for-... bucket (image-jobs.ts); an EBS-backed AMI gets new snapshots in the destination, pending until
 * ebs-jobs.ts has copied each source snapshot's bytes into them. A repeated ClientToken with the same parameters
 * answers the first copy's image id.
 */
import {createHash} from 'node:crypto';
import {SandboxError, sandboxRegions} from '../../contracts.js';
import type {ActionContext, ActionHandler} from '../action-context.js';
import {checkImageId, newImageId, newSnapshotId} from '../ids.js';
import {bool, checkDryRun, optional, required} from '../params.js';
import {specifiedTags} from '../tag-params.js';
import type {ImageRecord, SnapshotRecord, Tag} from '../world.js';
import {el} from '../xml.js';
import {checkDescription, checkName, checkUniqueName, notFound} from './images.js';

type CopyRequest = {
	accountId: string;
	region: string;
	name: string;
	description: string | undefined;
	copy: NonNullable<ImageRecord['copy']>;
	imageTags: Tag[];
	snapshotTags: Tag[];
};

/** CopyImageTags copies the source's tags; a TagSpecification tag with the same key wins. */
function mergedTags(copied: Tag[], specified: Tag[]): Tag[] {
	return [...copied.filter((tag) => !specified.some((own) => own.key === tag.key)), ...specified];
}

/** The fields every copy has; the caller adds where its bytes are (imageLocation, ebs). */
function pendingCopy(
	request: CopyRequest,
	source: ImageRecord,
	imageId: string,
	imageLocation: string,
	creationDate: string,
): ImageRecord {
	return {
		imageId,
		accountId: request.accountId,
		region: request.region,
		name: request.name,
		description: request.description,
		state: 'pending',
		stateReason: undefined,
		imageLocation,
		architecture: source.architecture,
		creationDate,
		copy: request.copy,
		tags: request.imageTags,
	};
}

function instanceStoreCopy(request: CopyRequest, source: ImageRecord, context: ActionContext): ImageRecord {
	const location = context.imageJobs.copyLocation(request.accountId, request.region, source);
	return pendingCopy(request, source, newImageId(), location, new Date().toISOString());
}

function ebsCopy(
	request: CopyRequest,
	source: ImageRecord,
	context: ActionContext,
): {image: ImageRecord; snapshots: SnapshotRecord[]} {
	const now = new Date().toISOString();
	const imageId = newImageId();
	const devices = source.ebs!.blockDevices;
	const snapshots = devices.map((device): SnapshotRecord => {
		const original = context.world.snapshot(source.accountId, source.region, device.snapshotId);
		if (original?.state !== 'completed') {
			throw new SandboxError(
				'InvalidSnapshot.NotFound',
				`Snapshot ${device.snapshotId} of image ${source.imageId} is missing or not completed; the image cannot be copied.`,
			);
		}

		return {
			snapshotId: newSnapshotId(),
			accountId: request.accountId,
			region: request.region,
			volumeId: 'vol-ffffffff',
			volumeSizeGiB: device.volumeSizeGiB,
			description: `Copied for DestinationAmi ${imageId} from SourceAmi ${source.imageId} for SourceSnapshot ${device.snapshotId}.`,
			state: 'pending',
			stateMessage: undefined,
			progress: 0,
			startTime: now,
			size: original.size,
			sha256: undefined,
			source: {kind: 'copy', region: source.region, snapshotId: device.snapshotId},
			tags: request.snapshotTags,
		};
	});
	const image: ImageRecord = {
		...pendingCopy(request, source, imageId, `${request.accountId}/${request.name}`, now),
		ebs: {
			blockDevices: devices.map((device, index) => ({...device, snapshotId: snapshots[index]!.snapshotId})),
			sourceInstanceId: undefined,
			reboot: false,
			restoredFrom: undefined,
		},
	};
	return {image, snapshots};
}

export const copyImage: ActionHandler = async ({account, region, params}, context) => {
	const sourceRegion = required(params, 'SourceRegion');
	const sourceImageId = required(params, 'SourceImageId');
	const name = required(params, 'Name');
	const description = optional(params, 'Description');
	const clientToken = optional(params, 'ClientToken');
	const copyImageTags = bool(params, 'CopyImageTags');
	const imageTags = specifiedTags(params, 'image', ['image', 'snapshot']);
	const snapshotTags = specifiedTags(params, 'snapshot', ['image', 'snapshot']);
	if (!(sandboxRegions as readonly string[]).includes(sourceRegion)) {
		throw new SandboxError(
			'InvalidParameterValue',
			`Invalid value '${sourceRegion}' for SourceRegion: unknown region.`,
		);
	}

	checkImageId(sourceImageId);
	checkName(name);
	checkDescription(description);
	if (clientToken !== undefined && clientToken.length > 64) {
		throw new SandboxError(
			'InvalidParameterValue',
			'Value for parameter ClientToken is invalid: at most 64 characters.',
		);
	}

	const fingerprinted: unknown[] = [sourceRegion, sourceImageId, name, description ?? null];
	if (copyImageTags || imageTags.length > 0 || snapshotTags.length > 0) {
		// Only when given, so that fingerprints recorded before tags were accepted stay valid
		fingerprinted.push(copyImageTags, imageTags, snapshotTags);
	}

	const fingerprint = createHash('sha256').update(JSON.stringify(fingerprinted)).digest('hex');
	if (clientToken) {
		const earlier = context.world.images(account.id, region).find((image) => image.copy?.clientToken === clientToken);
		if (earlier) {
			if (earlier.copy?.fingerprint !== fingerprint) {
				throw new SandboxError(
					'IdempotentParameterMismatch',
					`Client token '${clientToken}' was already used with different parameters (image ${earlier.imageId}).`,
				);
			}

			checkDryRun(params);
			return el('imageId', earlier.imageId);
		}
	}

	const source = context.world.image(account.id, sourceRegion, sourceImageId);
	if (!source) {
		throw notFound([sourceImageId]);
	}

	if (source.state !== 'available') {
		throw new SandboxError(
			'IncorrectState',
			`Image ${sourceImageId} is ${source.state}; only an available image can be copied.`,
		);
	}

	checkUniqueName(context, account.id, region, name);
	const request: CopyRequest = {
		accountId: account.id,
		region,
		name,
		description,
		copy: {sourceRegion, sourceImageId, clientToken, fingerprint},
		imageTags: mergedTags(copyImageTags ? (source.tags ?? []) : [], imageTags),
		snapshotTags,
	};
	if (source.ebs) {
		const {image, snapshots} = ebsCopy(request, source, context);
		checkDryRun(params);
		context.world.state.snapshots.push(...snapshots);
		context.world.state.images.push(image);
		await context.world.flush();
		context.ebsJobs.startCopy(image);
		return el('imageId', image.imageId);
	}

	checkDryRun(params);
	const image = instanceStoreCopy(request, source, context);
	context.world.state.images.push(image);
	await context.world.flush();
	context.imageJobs.startCopy(image);
	return el('imageId', image.imageId);
};
