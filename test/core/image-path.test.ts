import {describe, expect, test} from 'vitest';
import {defaultAmiName, imageStoreProblem, instancePath, pathLabel} from '../../source/core/image-path.js';
import type {Image} from '../../source/core/types.js';
import {validateAmiName} from '../../source/core/validation.js';
import {instanceWith} from '../helpers/instances.js';

function image(fields: Partial<Image>): Image {
	return {
		imageId: 'ami-0123456789abcdef0',
		region: 'us-east-1',
		name: 'golden',
		description: undefined,
		state: 'available',
		imageLocation: undefined,
		architecture: 'x86_64',
		rootDeviceType: 'ebs',
		platform: 'windows',
		creationDate: undefined,
		...fields,
	};
}

describe('the path an instance or an AMI can take into S3', () => {
	test('instance store-backed and running: bundle; EBS-backed running or stopped: image -> S3', () => {
		expect(instancePath(instanceWith({rootDeviceType: 'instance-store', eligible: true}))).toEqual({
			path: 'bundle',
			reason: undefined,
		});
		expect(instancePath(instanceWith({state: 'running'})).path).toBe('store');
		expect(instancePath(instanceWith({state: 'stopped'})).path).toBe('store');
		expect(pathLabel('store')).toBe('image → S3');
	});

	test('the reason when none applies', () => {
		expect(instancePath(instanceWith({state: 'stopping'}))).toEqual({
			path: undefined,
			reason: 'EBS-backed, stopping: image → S3 needs it running or stopped',
		});
		expect(instancePath(instanceWith({platform: 'linux', ineligibleReason: 'Not Windows'})).reason).toBe('Not Windows');
		expect(
			instancePath(
				instanceWith({rootDeviceType: 'instance-store', state: 'stopped', ineligibleReason: 'Not running (stopped)'}),
			).reason,
		).toBe('Not running (stopped)');
	});

	test('an AMI is stored directly when EBS-backed and available', () => {
		expect(imageStoreProblem(image({}))).toBeUndefined();
		expect(imageStoreProblem(image({rootDeviceType: 'instance-store'}))).toContain('Instance store-backed');
		expect(imageStoreProblem(image({state: 'pending'}))).toContain('wait until available');
	});

	test('the proposed AMI name is a valid AMI name', () => {
		const name = defaultAmiName('erp01 <prod>', new Date(Date.UTC(2026, 10, 29, 21, 40, 5)));
		expect(name).toBe('erp01 -prod--2026-11-29T21.40.05Z');
		expect(validateAmiName(name).ok).toBe(true);
	});
});
