/** Request ids in the shapes AWS uses: EC2/STS a UUID, S3 16 upper-case hex characters plus an x-amz-id-2. */
import {randomBytes, randomUUID} from 'node:crypto';

export function queryRequestId(): string {
	return randomUUID();
}

export function s3RequestId(): string {
	return randomBytes(8).toString('hex').toUpperCase();
}

export function s3HostId(): string {
	return randomBytes(48).toString('base64');
}
