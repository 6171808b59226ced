/** Instances as the services give them, for tests of what is drawn or decided from one. */
import type {Instance} from '../../source/core/types.js';

/** A running EBS-backed Windows instance in us-east-1a (the image -> S3 path), with these fields changed. */
export function instanceWith(fields: Partial<Instance>): Instance {
	return {
		id: 'i-0123456789abcdef0',
		region: 'us-east-1',
		name: 'erp01',
		type: 'm5.xlarge',
		availabilityZone: 'us-east-1a',
		state: 'running',
		launchTime: undefined,
		platform: 'windows',
		rootDeviceType: 'ebs',
		eligible: false,
		ineligibleReason: 'EBS-backed: use CreateImage instead',
		...fields,
	};
}
