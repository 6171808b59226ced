/** The bucket of a store or restore task: it must exist, belong to the caller and be in the request's region. */
import {type ObjectStore, SandboxError, type StoredBucket} from '../contracts.js';

export function taskBucket(
	objects: ObjectStore,
	name: string,
	accountId: string,
	region: string,
	operation: string,
): StoredBucket {
	const bucket = objects.getBucket(name);
	if (!bucket) {
		throw new SandboxError('InvalidParameterValue', `The bucket ${name.slice(0, 63)} does not exist.`);
	}

	if (bucket.ownerId !== accountId) {
		throw new SandboxError(
			'AccessDenied',
			`Access to bucket ${bucket.name} is denied: it belongs to another account.`,
			403,
		);
	}

	if (bucket.region !== region) {
		throw new SandboxError(
			'InvalidParameterValue',
			`The bucket ${bucket.name} is in ${bucket.region}; ${operation} in ${region} needs a bucket in ${region}.`,
		);
	}

	return bucket;
}
