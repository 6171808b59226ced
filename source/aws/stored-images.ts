/**
 * The image -> S3 path: CreateImage, DescribeSnapshots, CreateStoreImageTask, DescribeStoreImageTasks,
 * CreateRestoreImageTask, DeregisterImage, and the HeadObject of a stored AMI. The store and restore calls check
 * first what AWS would refuse in words less plain (bucket in another region, AMI not EBS-backed or not available).
 */
import {
	CreateImageCommand,
	CreateRestoreImageTaskCommand,
	CreateStoreImageTaskCommand,
	DeregisterImageCommand,
	DescribeSnapshotsCommand,
	DescribeStoreImageTasksCommand,
	type Snapshot as Ec2Snapshot,
	type StoreImageTaskResult,
} from '@aws-sdk/client-ec2';
import {HeadObjectCommand} from '@aws-sdk/client-s3';
import {AppError, isAppError} from '../core/app-error.js';
import {cleanAwsMessage} from '../core/error-catalogue.js';
import type {CreateImageInput, RestoreImageInput, StoreImageInput} from '../core/services.js';
import {taskBucketProblem} from '../core/task-bucket.js';
import {parseProgress} from '../core/task-model.js';
import type {Snapshot, SnapshotState, StoredObject, StoreTask, StoreTaskState} from '../core/types.js';
import {validateAmiName, validateDescription} from '../core/validation.js';
import {probeBucket} from './buckets.js';
import {type AwsContext, attempt} from './context.js';
import {describeImages} from './images.js';

function checkName(name: string, description?: string): void {
	const check = validateAmiName(name);
	if (!check.ok) {
		throw new AppError({code: 'InvalidAMIName.Malformed', message: `AMI name "${name}" is not valid: ${check.reason}`});
	}

	const descriptionCheck = validateDescription(description ?? '');
	if (!descriptionCheck.ok) {
		throw new AppError({
			code: 'InvalidParameterValue',
			message: `AMI description is not valid: ${descriptionCheck.reason}`,
		});
	}
}

function isDryRunSuccess(error: unknown): boolean {
	return isAppError(error) && error.code === 'DryRunOperation';
}

async function createImageCall(context: AwsContext, input: CreateImageInput, dryRun: boolean): Promise<string> {
	checkName(input.name, input.description);
	return attempt(
		context,
		{
			operation: 'CreateImage',
			region: input.region,
			resource: input.instanceId,
			resourceFor: (code) => (code.startsWith('InvalidAMIName.') ? `"${input.name}"` : undefined),
		},
		async () => {
			const output = await context.clients.ec2(input.region).send(
				new CreateImageCommand({
					InstanceId: input.instanceId,
					Name: input.name,
					...(input.description ? {Description: input.description} : {}),
					NoReboot: input.noReboot ?? false,
					...(dryRun ? {DryRun: true} : {}),
				}),
			);
			if (!output.ImageId) {
				throw new AppError({
					code: 'InvalidResponse',
					message: `CreateImage of ${input.instanceId} returned no image id`,
				});
			}

			return output.ImageId;
		},
	);
}

export async function preflightCreateImage(context: AwsContext, input: CreateImageInput): Promise<void> {
	try {
		await createImageCall(context, input, true);
	} catch (error) {
		if (!isDryRunSuccess(error)) {
			throw error;
		}
	}
}

export async function createImage(context: AwsContext, input: CreateImageInput): Promise<{imageId: string}> {
	return {imageId: await createImageCall(context, input, false)};
}

const snapshotStates = new Set<SnapshotState>(['pending', 'completed', 'error', 'recoverable', 'recovering']);

function toSnapshot(snapshot: Ec2Snapshot, region: string): Snapshot | undefined {
	if (!snapshot.SnapshotId) {
		return undefined;
	}

	const state = snapshot.State as SnapshotState | undefined;
	return {
		snapshotId: snapshot.SnapshotId,
		region,
		state: state && snapshotStates.has(state) ? state : 'pending',
		progress: parseProgress(snapshot.Progress),
		volumeSizeGiB: snapshot.VolumeSize,
		startTime: snapshot.StartTime,
		description: snapshot.Description || undefined,
		stateMessage: snapshot.StateMessage || undefined,
	};
}

export async function describeSnapshots(
	context: AwsContext,
	region: string,
	snapshotIds?: string[],
	signal?: AbortSignal,
): Promise<Snapshot[]> {
	return attempt(context, {operation: 'DescribeSnapshots', region}, async () => {
		const client = context.clients.ec2(region);
		const selection = snapshotIds && snapshotIds.length > 0 ? {SnapshotIds: snapshotIds} : {OwnerIds: ['self']};
		const snapshots: Snapshot[] = [];
		let token: string | undefined;
		do {
			const page = await client.send(
				new DescribeSnapshotsCommand({...selection, ...(token ? {NextToken: token} : {})}),
				signal ? {abortSignal: signal} : {},
			);
			for (const snapshot of page.Snapshots ?? []) {
				const mapped = toSnapshot(snapshot, region);
				if (mapped) {
					snapshots.push(mapped);
				}
			}

			token = page.NextToken || undefined;
		} while (token);

		return snapshots;
	});
}

/** The bucket must exist, be yours and be in `region` for store and restore tasks: said plainly, before AWS does. */
async function checkBucketRegion(context: AwsContext, bucket: string, region: string, operation: string) {
	const problem = taskBucketProblem(await probeBucket(context, bucket), bucket, region, operation);
	if (problem) {
		throw problem;
	}
}

async function checkStorable(context: AwsContext, region: string, imageId: string): Promise<void> {
	const [image] = await describeImages(context, region, [imageId]);
	if (!image) {
		throw new AppError({code: 'InvalidAMIID.NotFound', message: `The AMI ${imageId} does not exist in ${region}`});
	}

	if (image.rootDeviceType !== 'ebs') {
		throw new AppError({
			code: 'ImageNotEbsBacked',
			message: `AMI ${imageId} is instance store-backed: only EBS-backed AMIs can be stored in S3`,
			hint: 'Its bundle is already in S3; copy it with `bundledeck migrate` instead.',
		});
	}

	if (image.state !== 'available') {
		throw new AppError({
			code: 'ImageNotAvailable',
			message: `AMI ${imageId} is ${image.state}: only an available AMI can be stored`,
			hint: image.state === 'pending' ? 'Wait until it is available (`bundledeck wait`), then store it.' : '',
		});
	}
}

async function storeCall(context: AwsContext, input: StoreImageInput, dryRun: boolean): Promise<string> {
	await checkStorable(context, input.region, input.imageId);
	await checkBucketRegion(context, input.bucket, input.region, 'CreateStoreImageTask');
	return attempt(
		context,
		{operation: 'CreateStoreImageTask', region: input.region, resource: input.imageId},
		async () => {
			const output = await context.clients.ec2(input.region).send(
				new CreateStoreImageTaskCommand({
					ImageId: input.imageId,
					Bucket: input.bucket,
					...(input.tags && input.tags.length > 0
						? {S3ObjectTags: input.tags.map((tag) => ({Key: tag.key, Value: tag.value}))}
						: {}),
					...(dryRun ? {DryRun: true} : {}),
				}),
			);
			return output.ObjectKey ?? `${input.imageId}.bin`;
		},
	);
}

export async function preflightStoreImage(context: AwsContext, input: StoreImageInput): Promise<void> {
	try {
		await storeCall(context, input, true);
	} catch (error) {
		if (!isDryRunSuccess(error)) {
			throw error;
		}
	}
}

export async function storeImage(context: AwsContext, input: StoreImageInput): Promise<{objectKey: string}> {
	return {objectKey: await storeCall(context, input, false)};
}

const storeStates = new Set<StoreTaskState>(['InProgress', 'Completed', 'Failed']);

function toStoreTask(task: StoreImageTaskResult, region: string): StoreTask | undefined {
	if (!task.AmiId) {
		return undefined;
	}

	const state = task.StoreTaskState as StoreTaskState | undefined;
	return {
		amiId: task.AmiId,
		region,
		bucket: task.Bucket ?? '',
		objectKey: task.S3objectKey ?? `${task.AmiId}.bin`,
		state: state && storeStates.has(state) ? state : 'InProgress',
		progress:
			typeof task.ProgressPercentage === 'number' && task.ProgressPercentage >= 0 && task.ProgressPercentage <= 100
				? Math.floor(task.ProgressPercentage)
				: undefined,
		startTime: task.TaskStartTime,
		failureReason: task.StoreTaskFailureReason || undefined,
	};
}

export async function describeStoreTasks(
	context: AwsContext,
	region: string,
	imageIds?: string[],
	signal?: AbortSignal,
): Promise<StoreTask[]> {
	return attempt(context, {operation: 'DescribeStoreImageTasks', region}, async () => {
		const client = context.clients.ec2(region);
		const tasks: StoreTask[] = [];
		// ImageIds: at most 20 per call, and not together with MaxResults
		const batches = imageIds && imageIds.length > 0 ? chunk(imageIds, 20) : [undefined];
		for (const batch of batches) {
			let token: string | undefined;
			do {
				const page = await client.send(
					new DescribeStoreImageTasksCommand({
						...(batch ? {ImageIds: batch} : {MaxResults: 200}),
						...(token ? {NextToken: token} : {}),
					}),
					signal ? {abortSignal: signal} : {},
				);
				for (const task of page.StoreImageTaskResults ?? []) {
					const mapped = toStoreTask(task, region);
					if (mapped) {
						tasks.push(mapped);
					}
				}

				token = page.NextToken || undefined;
			} while (token);
		}

		return tasks;
	});
}

function chunk<T>(items: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let index = 0; index < items.length; index += size) {
		chunks.push(items.slice(index, index + size));
	}

	return chunks;
}

export async function describeStoredObject(
	context: AwsContext,
	region: string,
	bucket: string,
	objectKey: string,
): Promise<StoredObject> {
	return attempt(context, {operation: 'HeadObject', region, resource: `${bucket}/${objectKey}`}, async () => {
		const head = await context.clients.s3(region).send(new HeadObjectCommand({Bucket: bucket, Key: objectKey}));
		const metadata = head.Metadata ?? {};
		const stored = metadata['ami-store-time'] ? new Date(metadata['ami-store-time']) : undefined;
		return {
			bucket,
			key: objectKey,
			region,
			size: head.ContentLength ?? 0,
			amiName: metadata['ami-name'] || undefined,
			amiDescription: metadata['ami-description'] || undefined,
			sourceImageId: metadata['ami-id'] || undefined,
			ownerAccount: metadata['ami-owner-account'] || undefined,
			storeTime: stored && !Number.isNaN(stored.getTime()) ? stored : undefined,
		};
	});
}

/** The restore task's refusal of an object that is not a complete stored AMI, in plain words. */
const unusableObject = /truncated|damaged|not a stored AMI|corrupt|not valid|invalid format/i;

export async function restoreImage(context: AwsContext, input: RestoreImageInput): Promise<{imageId: string}> {
	if (input.name !== undefined) {
		checkName(input.name);
	}

	const where = `${input.bucket}/${input.objectKey}`;
	await checkBucketRegion(context, input.bucket, input.region, 'CreateRestoreImageTask');
	try {
		return await attempt(
			context,
			{
				operation: 'CreateRestoreImageTask',
				region: input.region,
				resource: where,
				resourceFor: (code) =>
					code.startsWith('InvalidAMIName.') && input.name !== undefined ? `"${input.name}"` : undefined,
			},
			async () => {
				const output = await context.clients.ec2(input.region).send(
					new CreateRestoreImageTaskCommand({
						Bucket: input.bucket,
						ObjectKey: input.objectKey,
						...(input.name ? {Name: input.name} : {}),
					}),
				);
				if (!output.ImageId) {
					throw new AppError({
						code: 'InvalidResponse',
						message: `CreateRestoreImageTask of ${where} returned no image id`,
					});
				}

				return {imageId: output.ImageId};
			},
		);
	} catch (error) {
		const raw = cleanAwsMessage(
			error instanceof AppError && error.cause instanceof Error ? error.cause.message : '',
			200,
		);
		if (isAppError(error) && error.code === 'InvalidAMIName.Duplicate' && input.name === undefined) {
			throw new AppError({
				code: error.code,
				message: `The stored AMI's name is already used by an AMI in ${input.region} (${raw})`,
				hint: 'Give the restored AMI another name (--name), or deregister the existing AMI first.',
				requestId: error.requestId,
			});
		}

		if (
			isAppError(error) &&
			error.code === 'InvalidParameterValue' &&
			/does not exist|not found|NoSuchKey/i.test(raw)
		) {
			throw new AppError({
				code: 'NoSuchKey',
				message: `The object ${where} does not exist in ${input.region}`,
				hint: 'Give the object of a completed store task (bucket/<ami-id>.bin): `bundledeck tasks` lists them.',
				requestId: error.requestId,
			});
		}

		if (isAppError(error) && error.code === 'InvalidParameterValue' && unusableObject.test(raw)) {
			throw new AppError({
				code: 'NotAStoredImage',
				message: `${where} cannot be restored: it is not a complete stored AMI (${raw})`,
				hint: 'Store the AMI again with `bundledeck store`, or copy the object again with `bundledeck migrate` (it verifies copies).',
				requestId: error.requestId,
			});
		}

		throw error;
	}
}

export async function deregisterImage(context: AwsContext, region: string, imageId: string): Promise<void> {
	await attempt(context, {operation: 'DeregisterImage', region, resource: imageId}, async () => {
		await context.clients.ec2(region).send(new DeregisterImageCommand({ImageId: imageId}));
	});
}
