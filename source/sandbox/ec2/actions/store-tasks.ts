/**
 * CreateStoreImageTask and DescribeStoreImageTasks (store-runner.ts does the work), with AWS's eligibility and
 * quota rules: EBS-backed available AMIs only, the bucket in the request's region and owned by the caller,
 * 5,000 GB per AMI, 1,200 GB of snapshot data being stored per account at once.
 */
import {SandboxError} from '../../contracts.js';
import type {ActionHandler} from '../action-context.js';
import {checkImageId} from '../ids.js';
import {applyFilters, checkDryRun, checkMaxResults, filters, integer, list, pageOf, required} from '../params.js';
import {objectTags} from '../tag-params.js';
import {taskBucket} from '../task-bucket.js';
import type {StoreTaskRecord} from '../world.js';
import {ec2Time, el, itemSet} from '../xml.js';
import {notFound} from './images.js';

export const storeQuotaGiB = 1200;
export const storeMaxImageGiB = 5000;
const taskRetentionMs = 31 * 86_400_000;

export const createStoreImageTask: ActionHandler = async ({account, region, params}, context) => {
	const imageId = required(params, 'ImageId');
	const bucketName = required(params, 'Bucket');
	checkImageId(imageId);
	const tags = objectTags(params);
	const {world} = context;
	const image = world.image(account.id, region, imageId);
	if (!image) {
		throw notFound([imageId]);
	}

	if (!image.ebs) {
		throw new SandboxError(
			'InvalidParameter',
			`The AMI ${imageId} is instance store-backed. Only EBS-backed AMIs can be stored in S3.`,
		);
	}

	if (image.state !== 'available') {
		throw new SandboxError(
			'IncorrectState',
			`The AMI ${imageId} is ${image.state}; only an available AMI can be stored.`,
		);
	}

	const bucket = taskBucket(context.objects, bucketName, account.id, region, 'CreateStoreImageTask');

	const sizeGiB = image.ebs.blockDevices.reduce((sum, device) => sum + device.volumeSizeGiB, 0);
	if (sizeGiB > storeMaxImageGiB) {
		throw new SandboxError(
			'InvalidParameterValue',
			`The AMI ${imageId} has ${sizeGiB} GB of snapshots; at most ${storeMaxImageGiB} GB can be stored.`,
		);
	}

	const inProgress = world.state.storeTasks.filter(
		(task) => task.accountId === account.id && task.state === 'InProgress',
	);
	if (inProgress.some((task) => task.amiId === imageId && task.bucket === bucket.name)) {
		throw new SandboxError(
			'IncorrectState',
			`A store task of ${imageId} to bucket ${bucket.name} is already in progress.`,
		);
	}

	const busy = inProgress.reduce((sum, task) => sum + task.sizeGiB, 0);
	if (busy + sizeGiB > storeQuotaGiB) {
		throw new SandboxError(
			'ResourceLimitExceeded',
			`You have exceeded the limit of ${storeQuotaGiB} GB of snapshot data being stored at once (${busy} GB in progress, this AMI has ${sizeGiB} GB). Wait for the tasks in progress to finish.`,
		);
	}

	checkDryRun(params);
	const now = new Date().toISOString();
	const task: StoreTaskRecord = {
		amiId: imageId,
		accountId: account.id,
		region,
		bucket: bucket.name,
		objectKey: `${imageId}.bin`,
		startTime: now,
		updateTime: now,
		progress: 0,
		state: 'InProgress',
		failureReason: undefined,
		objectTags: tags,
		sizeGiB,
	};
	world.state.storeTasks.push(task);
	await world.flush();
	context.storeRunner.start(task);
	return el('objectKey', task.objectKey);
};

function taskField(name: string): ((task: StoreTaskRecord) => string[]) | undefined {
	if (name === 'task-state') {
		return (task) => [task.state];
	}

	if (name === 'bucket') {
		return (task) => [task.bucket];
	}

	return undefined;
}

function taskXml(task: StoreTaskRecord): string {
	return (
		el('amiId', task.amiId) +
		el('taskStartTime', ec2Time(task.startTime)) +
		el('bucket', task.bucket) +
		el('s3objectKey', task.objectKey) +
		el('progressPercentage', task.progress) +
		el('storeTaskState', task.state) +
		el('storeTaskFailureReason', task.failureReason)
	);
}

export const describeStoreImageTasks: ActionHandler = ({account, region, params}, {world}) => {
	const ids = list(params, 'ImageId');
	const filterList = filters(params);
	const maxResults = integer(params, 'MaxResults');
	for (const id of ids) {
		checkImageId(id);
	}

	if (ids.length > 20) {
		throw new SandboxError('InvalidParameterValue', 'At most 20 ImageIds can be given.');
	}

	checkMaxResults(maxResults, ids, {idsName: 'ImageIds', min: 1, max: 200, name: 'MaxResults'});

	const since = Date.now() - taskRetentionMs;
	const recent = world
		.storeTasks(account.id, region)
		.filter((task) => Date.parse(task.startTime) >= since)
		// Newest first; tasks started in the same millisecond: the later one first
		.reverse()
		.sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime));
	// With ImageIds the filters are ignored (as AWS documents)
	const selected =
		ids.length > 0
			? recent.filter((task) => ids.includes(task.amiId))
			: applyFilters(recent, filterList, taskField, 'InvalidParameterValue');
	const page = pageOf(selected, params, maxResults, JSON.stringify(['store', ids, filterList]));
	checkDryRun(params);
	return (
		itemSet(
			'storeImageTaskResultSet',
			page.items.map((task) => taskXml(task)),
		) + el('nextToken', page.nextToken)
	);
};
