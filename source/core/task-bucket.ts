/**
 * Store and restore tasks need a bucket that exists, is the caller's, and is in the task's region: what is wrong with
 * a probed bucket, in plain words (undefined when it will do). Pure, no I/O.
 */
import {AppError} from './app-error.js';
import type {BucketProbe} from './types.js';

export function taskBucketProblem(
	probe: BucketProbe,
	bucket: string,
	region: string,
	operation: string,
): AppError | undefined {
	switch (probe.status) {
		case 'owned': {
			return probe.region === region
				? undefined
				: new AppError({
						code: 'BucketInOtherRegion',
						message: `Bucket ${bucket} is in ${probe.region}, but ${operation} in ${region} needs a bucket in ${region}`,
						hint: `Use a bucket in ${region} (or create one), or run in ${probe.region} with --region ${probe.region}; \`bundledeck migrate\` copies a stored AMI between regions.`,
					});
		}

		case 'missing': {
			return new AppError({
				code: 'NoSuchBucket',
				message: `Bucket ${bucket} does not exist`,
				hint: `Create it in ${region} first (for example \`aws s3 mb s3://${bucket} --region ${region}\`); keep it private and encrypted.`,
			});
		}

		case 'foreign': {
			return new AppError({
				code: 'BucketOwnedByAnotherAccount',
				message: `Bucket ${bucket} belongs to another AWS account`,
				hint: `Use a bucket of your own in ${region}.`,
			});
		}

		case 'invalid': {
			return new AppError({
				code: 'InvalidBucketName',
				message: `"${bucket}" is not a valid bucket name: ${probe.reason}`,
			});
		}
	}
}
