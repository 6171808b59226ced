/**
 * CreateRestoreImageTask: reads the stored object back and verifies it completely before answering (a damaged,
 * truncated or foreign object is refused with InvalidParameterValue saying which), then registers the AMI and its
 * snapshots pending; ebs-jobs.ts writes the snapshots from the object and makes the AMI available.
 */
import {SandboxError} from '../../contracts.js';
import type {ActionHandler} from '../action-context.js';
import {newImageId, newSnapshotId} from '../ids.js';
import {checkDryRun, optional, required} from '../params.js';
import {readStoredImage, StoredImageError, type StoredImageHeader} from '../stored-image.js';
import {specifiedTags} from '../tag-params.js';
import {taskBucket} from '../task-bucket.js';
import type {ImageRecord, SnapshotRecord} from '../world.js';
import {el} from '../xml.js';
import {checkName, checkUniqueName} from './images.js';

export const restoreQuotaGiB = 600;

export const createRestoreImageTask: ActionHandler = async ({account, region, params}, context) => {
	const bucketName = required(params, 'Bucket');
	const objectKey = required(params, 'ObjectKey');
	const requestedName = optional(params, 'Name');
	const imageTags = specifiedTags(params, 'image', ['image', 'snapshot']);
	const snapshotTags = specifiedTags(params, 'snapshot', ['image', 'snapshot']);
	if (requestedName !== undefined) {
		checkName(requestedName);
		checkUniqueName(context, account.id, region, requestedName);
	}

	const bucket = taskBucket(context.objects, bucketName, account.id, region, 'CreateRestoreImageTask');

	const where = `Object ${bucket.name}/${objectKey.slice(0, 1024)}`;
	const opened = await context.openObjectStream(bucket.name, objectKey);
	if (!opened) {
		throw new SandboxError('InvalidParameterValue', `${where} does not exist.`);
	}

	let header: StoredImageHeader;
	try {
		header = await readStoredImage(opened.stream, where);
	} catch (error) {
		opened.stream.destroy();
		if (error instanceof StoredImageError) {
			throw new SandboxError('InvalidParameterValue', `${error.message}; it cannot be restored.`);
		}

		throw error;
	}

	const name = requestedName ?? header.name;
	checkName(name);
	// Checked again: the object was read meanwhile
	checkUniqueName(context, account.id, region, name);
	const sizeGiB = header.volumes.reduce((sum, volume) => sum + volume.volumeSizeGiB, 0);
	const busy = context.world
		.images(account.id, region)
		.filter((image) => image.state === 'pending' && image.ebs?.restoredFrom)
		.reduce(
			(sum, image) => sum + image.ebs!.blockDevices.reduce((total, device) => total + device.volumeSizeGiB, 0),
			0,
		);
	if (busy + sizeGiB > restoreQuotaGiB) {
		throw new SandboxError(
			'ResourceLimitExceeded',
			`You have exceeded the limit of ${restoreQuotaGiB} GB of restore work in progress (${busy} GB in progress, this AMI has ${sizeGiB} GB). Wait for the restores in progress to finish.`,
		);
	}

	checkDryRun(params);
	const now = new Date().toISOString();
	const imageId = newImageId();
	const snapshots: SnapshotRecord[] = header.volumes.map((volume, index) => ({
		snapshotId: newSnapshotId(),
		accountId: account.id,
		region,
		volumeId: 'vol-ffffffff',
		volumeSizeGiB: volume.volumeSizeGiB,
		description: `Created by CreateRestoreImageTask(${bucket.name}/${objectKey}) for ${imageId}`,
		state: 'pending',
		stateMessage: undefined,
		progress: 0,
		startTime: now,
		size: volume.size,
		sha256: undefined,
		source: {kind: 'restore', imageId, index},
		tags: snapshotTags,
	}));
	const image: ImageRecord = {
		imageId,
		accountId: account.id,
		region,
		name,
		description: header.description,
		state: 'pending',
		stateReason: undefined,
		imageLocation: `${account.id}/${name}`,
		architecture: header.architecture,
		creationDate: now,
		copy: undefined,
		ebs: {
			blockDevices: header.volumes.map((volume, index) => ({
				deviceName: volume.deviceName,
				snapshotId: snapshots[index]!.snapshotId,
				volumeSizeGiB: volume.volumeSizeGiB,
			})),
			sourceInstanceId: undefined,
			reboot: false,
			restoredFrom: {bucket: bucket.name, key: objectKey},
		},
		tags: imageTags,
	};
	context.world.state.snapshots.push(...snapshots);
	context.world.state.images.push(image);
	await context.world.flush();
	context.ebsJobs.startRestore(image);
	return el('imageId', imageId);
};
