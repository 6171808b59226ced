/** Resource id formats. */
import {randomBytes} from 'node:crypto';
import {SandboxError} from '../contracts.js';

export const instanceIdPattern = /^i-(?:[\da-f]{8}|[\da-f]{17})$/;
export const imageIdPattern = /^ami-(?:[\da-f]{8}|[\da-f]{17})$/;
export const bundleIdPattern = /^bun-[\da-f]{8}$/;

export function newBundleId(): string {
	return `bun-${randomBytes(4).toString('hex')}`;
}

export function newImageId(): string {
	return `ami-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export function checkInstanceId(id: string): void {
	if (!instanceIdPattern.test(id)) {
		throw new SandboxError('InvalidInstanceID.Malformed', `Invalid id: "${id}" (expecting "i-...")`);
	}
}

export function checkImageId(id: string): void {
	if (!imageIdPattern.test(id)) {
		throw new SandboxError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
	}
}

export const snapshotIdPattern = /^snap-(?:[\da-f]{8}|[\da-f]{17})$/;

export function newSnapshotId(): string {
	return `snap-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export function checkSnapshotId(id: string): void {
	if (!snapshotIdPattern.test(id)) {
		throw new SandboxError('InvalidSnapshotID.Malformed', `Invalid id: "${id}" (expecting "snap-...")`);
	}
}
