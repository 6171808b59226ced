/** CreateImage: an EBS-backed AMI with one snapshot per volume of an EBS-backed instance (ebs-jobs.ts does the work). */
import {SandboxError} from '../../contracts.js';
import type {ActionHandler} from '../action-context.js';
import {checkInstanceId, newImageId, newSnapshotId} from '../ids.js';
import {bool, checkDryRun, optional, required} from '../params.js';
import {specifiedTags} from '../tag-params.js';
import {instanceVolumes} from '../volumes.js';
import type {ImageRecord, SnapshotRecord} from '../world.js';
import {el} from '../xml.js';
import {checkDescription, checkName, checkUniqueName} from './images.js';

/** BlockDeviceMapping.N.DeviceName with NoDevice: volumes left out of the image. */
function excludedDevices(params: URLSearchParams): string[] {
	const excluded: string[] = [];
	for (const [name, value] of params) {
		const match = /^BlockDeviceMapping\.(\d+)\.NoDevice$/.exec(name);
		if (match) {
			const device = params.get(`BlockDeviceMapping.${match[1]}.DeviceName`);
			if (device !== null && value !== 'false') {
				excluded.push(device);
			}
		}
	}

	return excluded;
}

export const createImage: ActionHandler = async ({account, region, params}, context) => {
	const instanceId = required(params, 'InstanceId');
	const name = required(params, 'Name');
	const description = optional(params, 'Description');
	const noReboot = bool(params, 'NoReboot');
	checkInstanceId(instanceId);
	checkName(name);
	checkDescription(description);
	const imageTags = specifiedTags(params, 'image', ['image', 'snapshot']);
	const snapshotTags = specifiedTags(params, 'snapshot', ['image', 'snapshot']);
	const {world} = context;
	const instance = world.instance(account.id, region, instanceId);
	if (!instance) {
		throw new SandboxError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
	}

	if (instance.rootDeviceType !== 'ebs') {
		throw new SandboxError(
			'UnsupportedOperation',
			`The instance '${instanceId}' is instance store-backed: CreateImage needs an EBS-backed instance (bundle this one with BundleInstance).`,
		);
	}

	if (instance.state !== 'running' && instance.state !== 'stopped') {
		throw new SandboxError(
			'IncorrectInstanceState',
			`The instance '${instanceId}' is not in a state from which it can be imaged (it is ${instance.state}).`,
		);
	}

	const excluded = excludedDevices(params);
	const volumes = instanceVolumes(instance).filter((volume) => !excluded.includes(volume.device));
	if (!volumes.some((volume) => volume.device === '/dev/sda1')) {
		throw new SandboxError('InvalidBlockDeviceMapping', 'The root device /dev/sda1 cannot be left out of the image.');
	}

	checkUniqueName(context, account.id, region, name);
	checkDryRun(params);
	const now = new Date().toISOString();
	const imageId = newImageId();
	const snapshots: SnapshotRecord[] = volumes.map((volume) => ({
		snapshotId: newSnapshotId(),
		accountId: account.id,
		region,
		volumeId: volume.volumeId,
		volumeSizeGiB: volume.volumeSizeGiB,
		description: `Created by CreateImage(${instanceId}) for ${imageId}`,
		state: 'pending',
		stateMessage: undefined,
		progress: 0,
		startTime: now,
		size: 0,
		sha256: undefined,
		source: {kind: 'volume', instanceId, device: volume.device},
		tags: snapshotTags,
	}));
	const reboot = !noReboot && instance.state === 'running';
	const image: ImageRecord = {
		imageId,
		accountId: account.id,
		region,
		name,
		description,
		state: 'pending',
		stateReason: undefined,
		imageLocation: `${account.id}/${name}`,
		architecture: instance.architecture,
		creationDate: now,
		copy: undefined,
		ebs: {
			blockDevices: volumes.map((volume, index) => ({
				deviceName: volume.device,
				snapshotId: snapshots[index]!.snapshotId,
				volumeSizeGiB: volume.volumeSizeGiB,
			})),
			sourceInstanceId: instanceId,
			reboot,
			restoredFrom: undefined,
		},
		tags: imageTags,
	};
	world.state.snapshots.push(...snapshots);
	world.state.images.push(image);
	await world.flush();
	context.ebsJobs.startCreate(image, reboot);
	return el('imageId', imageId);
};
