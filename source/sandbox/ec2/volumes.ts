/**
 * The EBS volumes of an EBS-backed instance: the root volume (/dev/sda1, 30 GiB nominal) and, when seeded with one,
 * a data volume (xvdb). Their bytes are synthetic disk images derived from the instance id and device, so they are
 * the same on every start; the data volume is a quarter of the root's size (the nominal GiB only count for quotas).
 */
import {createHash} from 'node:crypto';
import {createDiskImage, type DiskImage} from './disk-image.js';
import type {InstanceRecord} from './world.js';

export type VolumeInfo = {device: string; volumeId: string; volumeSizeGiB: number};

export const rootVolumeGiB = 30;

export function instanceVolumes(instance: InstanceRecord): VolumeInfo[] {
	if (instance.rootDeviceType !== 'ebs') {
		return [];
	}

	const volumeId = (device: string) =>
		`vol-${createHash('sha256').update(`volume\0${instance.id}\0${device}`).digest('hex').slice(0, 17)}`;
	const volumes: VolumeInfo[] = [{device: '/dev/sda1', volumeId: volumeId('/dev/sda1'), volumeSizeGiB: rootVolumeGiB}];
	if (instance.dataVolumeGiB !== undefined) {
		volumes.push({device: 'xvdb', volumeId: volumeId('xvdb'), volumeSizeGiB: instance.dataVolumeGiB});
	}

	return volumes;
}

export function volumeImage(instance: InstanceRecord, device: string, imageSize: number): DiskImage {
	const root = device === '/dev/sda1';
	return createDiskImage(
		root ? instance.id : `${instance.id}:${device}`,
		root ? imageSize : Math.max(Math.floor(imageSize / 4), 1),
	);
}
