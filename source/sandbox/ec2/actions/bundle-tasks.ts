/** BundleInstance, DescribeBundleTasks, CancelBundleTask */
import {SandboxError} from '../../contracts.js';
import type {ActionHandler} from '../action-context.js';
import {bundleIdPattern, checkInstanceId, newBundleId} from '../ids.js';
import {applyFilters, checkDryRun, filters, list, required} from '../params.js';
import type {TaskRecord} from '../world.js';
import {ec2Time, el, itemSet, node} from '../xml.js';

export function bundleTaskXml(task: TaskRecord): string {
	return (
		el('instanceId', task.instanceId) +
		el('bundleId', task.bundleId) +
		el('state', task.state) +
		el('startTime', ec2Time(task.startTime)) +
		el('updateTime', ec2Time(task.updateTime)) +
		node('storage', node('S3', el('bucket', task.bucket), el('prefix', task.prefix))) +
		el('progress', `${task.progress}%`) +
		(task.error ? node('error', el('code', task.error.code), el('message', task.error.message)) : '')
	);
}

const activeStates = new Set<TaskRecord['state']>([
	'pending',
	'waiting-for-shutdown',
	'bundling',
	'storing',
	'cancelling',
]);

function decodePolicy(value: string): string {
	if (!/^[A-Za-z\d+/]+={0,2}$/.test(value) || value.length % 4 !== 0) {
		throw new SandboxError('InvalidParameterValue', 'Storage.S3.UploadPolicy is not valid base64.');
	}

	const json = Buffer.from(value, 'base64').toString('utf8');
	try {
		const policy = JSON.parse(json) as unknown;
		if (typeof policy === 'object' && policy !== null && !Array.isArray(policy)) {
			return json;
		}
	} catch {}

	throw new SandboxError(
		'InvalidParameterValue',
		'Storage.S3.UploadPolicy is not a JSON policy document once base64-decoded (was it base64-encoded twice? Pass the raw policy JSON bytes).',
	);
}

export const bundleInstance: ActionHandler = async ({account, region, params}, {world, bundler}) => {
	const instanceId = required(params, 'InstanceId');
	checkInstanceId(instanceId);
	const bucket = required(params, 'Storage.S3.Bucket');
	const prefix = required(params, 'Storage.S3.Prefix');
	const awsAccessKeyId = required(params, 'Storage.S3.AWSAccessKeyId');
	const policy = required(params, 'Storage.S3.UploadPolicy');
	const signature = required(params, 'Storage.S3.UploadPolicySignature');
	decodePolicy(policy);
	if (prefix.length > 512 || /[\u0000-\u001F\u007F\\]/.test(prefix) || prefix.startsWith('/') || prefix.endsWith('/')) {
		throw new SandboxError('InvalidParameterValue', `Invalid value '${prefix.slice(0, 64)}' for Storage.S3.Prefix.`);
	}

	const instance = world.instance(account.id, region, instanceId);
	if (!instance) {
		throw new SandboxError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
	}

	if (instance.platform !== 'windows') {
		throw new SandboxError(
			'InvalidInstanceType',
			`Instance ${instanceId} runs Linux/UNIX; BundleInstance bundles only instance store-backed Windows instances.`,
		);
	}

	if (instance.rootDeviceType !== 'instance-store') {
		throw new SandboxError(
			'InvalidInstanceType',
			`Instance ${instanceId} is EBS-backed; BundleInstance bundles only instance store-backed Windows instances (use CreateImage for EBS-backed instances).`,
		);
	}

	const inProgress = world
		.tasks(account.id, region)
		.find((task) => task.instanceId === instanceId && activeStates.has(task.state));
	if (inProgress) {
		throw new SandboxError(
			'BundlingInProgress',
			`Instance ${instanceId} is already being bundled (${inProgress.bundleId}).`,
		);
	}

	// EC2 would accept a second task on the same bucket/prefix; the two overwrite each other's parts, so the
	// sandbox refuses it (any account, any region: bucket names are global).
	const writer = world.state.tasks.find(
		(task) => task.bucket === bucket && task.prefix === prefix && activeStates.has(task.state),
	);
	if (writer) {
		throw new SandboxError(
			'InvalidParameterValue',
			`Storage.S3.Prefix is already being written in bucket ${bucket} by bundle task ${writer.bundleId}; choose another prefix.`,
		);
	}

	if (instance.state !== 'running') {
		throw new SandboxError('IncorrectInstanceState', `The instance '${instanceId}' is not in the 'running' state.`);
	}

	checkDryRun(params);
	const now = new Date().toISOString();
	const task: TaskRecord = {
		bundleId: newBundleId(),
		accountId: account.id,
		region,
		instanceId,
		state: 'pending',
		progress: 0,
		startTime: now,
		updateTime: now,
		bucket,
		prefix,
		awsAccessKeyId,
		uploadPolicy: policy,
		uploadPolicySignature: signature,
		error: undefined,
		uploadedKeys: [],
	};
	world.state.tasks.push(task);
	// Durable before the caller hears of it: a client that exits right after BundleInstance (bundledeck bundle
	// --sandbox) leaves a task that resumes at the next start
	try {
		await world.flush();
	} catch (error) {
		world.state.tasks.splice(world.state.tasks.indexOf(task), 1);
		throw error;
	}

	bundler.start(task);
	return node('bundleInstanceTask', bundleTaskXml(task));
};

function taskField(name: string): ((task: TaskRecord) => string[]) | undefined {
	switch (name) {
		case 'bundle-id': {
			return (task) => [task.bundleId];
		}

		case 'error-code': {
			return (task) => (task.error ? [task.error.code] : []);
		}

		case 'error-message': {
			return (task) => (task.error ? [task.error.message] : []);
		}

		case 'instance-id': {
			return (task) => [task.instanceId];
		}

		case 'progress': {
			return (task) => [`${task.progress}%`];
		}

		case 's3-bucket': {
			return (task) => [task.bucket];
		}

		case 's3-prefix': {
			return (task) => [task.prefix];
		}

		case 'start-time': {
			return (task) => [ec2Time(task.startTime)];
		}

		case 'state': {
			return (task) => [task.state];
		}

		case 'update-time': {
			return (task) => [ec2Time(task.updateTime)];
		}

		default: {
			return undefined;
		}
	}
}

export const describeBundleTasks: ActionHandler = ({account, region, params}, {world, finishedTaskRetentionMs}) => {
	world.dropFinishedTasks(finishedTaskRetentionMs);
	const ids = list(params, 'BundleId');
	const filterList = filters(params);
	const tasks = world.tasks(account.id, region);
	for (const id of ids) {
		if (!tasks.some((task) => task.bundleId === id)) {
			throw new SandboxError('InvalidBundleID.NotFound', `The bundle ID '${id}' does not exist`);
		}
	}

	const selected = applyFilters(
		ids.length > 0 ? tasks.filter((task) => ids.includes(task.bundleId)) : tasks,
		filterList,
		taskField,
		'InvalidParameterValue',
	);
	checkDryRun(params);
	return itemSet(
		'bundleInstanceTasksSet',
		selected.map((task) => bundleTaskXml(task)),
	);
};

export const cancelBundleTask: ActionHandler = (
	{account, region, params},
	{world, bundler, finishedTaskRetentionMs},
) => {
	world.dropFinishedTasks(finishedTaskRetentionMs);
	const bundleId = required(params, 'BundleId');
	if (!bundleIdPattern.test(bundleId)) {
		throw new SandboxError('InvalidBundleID.NotFound', `The bundle ID '${bundleId}' does not exist`);
	}

	const task = world.task(account.id, region, bundleId);
	if (!task) {
		throw new SandboxError('InvalidBundleID.NotFound', `The bundle ID '${bundleId}' does not exist`);
	}

	if (task.state === 'complete' || task.state === 'failed' || task.state === 'cancelling') {
		throw new SandboxError(
			'IncorrectState',
			`Bundle task ${bundleId} is ${task.state === 'cancelling' ? 'already being cancelled' : task.state}; only a task in progress can be cancelled.`,
		);
	}

	checkDryRun(params);
	bundler.cancel(task);
	return node('bundleInstanceTask', bundleTaskXml(task));
};
