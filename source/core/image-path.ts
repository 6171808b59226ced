/**
 * Which way an instance or an AMI can go into S3: the classic bundle (BundleInstance, instance store-backed and
 * running) or image -> S3 (CreateImage then CreateStoreImageTask, EBS-backed and running or stopped; an EBS-backed
 * available AMI is stored directly), with the reason when neither applies. Pure, no I/O.
 */
import type {Image, Instance} from './types.js';

export type ImagePath = 'bundle' | 'store';

export type PathChoice = {path: ImagePath; reason: undefined} | {path: undefined; reason: string};

/** The text mark of a path (never colour alone). */
export function pathLabel(path: ImagePath): string {
	return path === 'bundle' ? 'bundle' : 'image → S3';
}

export function instancePath(instance: Instance): PathChoice {
	if (instance.eligible) {
		return {path: 'bundle', reason: undefined};
	}

	if (instance.platform !== 'windows') {
		return {path: undefined, reason: instance.ineligibleReason ?? 'Not Windows'};
	}

	if (instance.rootDeviceType === 'ebs') {
		return instance.state === 'running' || instance.state === 'stopped'
			? {path: 'store', reason: undefined}
			: {path: undefined, reason: `EBS-backed, ${instance.state}: image → S3 needs it running or stopped`};
	}

	return {path: undefined, reason: instance.ineligibleReason ?? `Not running (${instance.state})`};
}

/** Why an AMI of yours cannot be stored in S3 directly, or undefined when it can (EBS-backed, available). */
export function imageStoreProblem(image: Image): string | undefined {
	if (image.rootDeviceType !== 'ebs') {
		return 'Instance store-backed';
	}

	if (image.state !== 'available') {
		return image.state === 'pending' ? 'Pending: wait until available' : `Not available (${image.state})`;
	}

	return undefined;
}

/** The AMI name proposed for an image of an instance: '<name or id>-<UTC time>' within AMI-name characters. */
export function defaultAmiName(base: string, now: Date): string {
	const stamp = now
		.toISOString()
		.replace(/\.\d+Z$/, 'Z')
		.replaceAll(':', '.');
	return `${base.replaceAll(/[^\w()[\] ./\-'@]/g, '-').slice(0, 100)}-${stamp}`;
}
