/** Bundle tasks: BundleInstance (signed upload policy), its DryRun preflight, DescribeBundleTasks, CancelBundleTask. */
import {
	BundleInstanceCommand,
	type BundleInstanceCommandInput,
	CancelBundleTaskCommand,
	DescribeBundleTasksCommand,
	type BundleTask as Ec2BundleTask,
} from '@aws-sdk/client-ec2';
import {AppError} from '../core/app-error.js';
import type {StartBundleInput, StartBundleResult} from '../core/services.js';
import {isActiveState, isBundleState, parseProgress} from '../core/task-model.js';
import type {BundleTask} from '../core/types.js';
import {defaultPolicyLifetimeMs, signUploadPolicy} from '../core/upload-policy.js';
import {type AwsContext, activeCredentials, attempt} from './context.js';
import {listRegions} from './instances.js';
import {errorName} from './s3-errors.js';

type PreparedBundle = {
	command: BundleInstanceCommandInput;
	expiration: Date;
	temporaryCredentials: boolean;
};

/** Signs the upload policy with the resolved credentials' secret and builds the BundleInstance input. */
async function prepare(context: AwsContext, input: StartBundleInput, dryRun: boolean): Promise<PreparedBundle> {
	const credentials = await activeCredentials(context);
	const expiration = new Date(Date.now() + (input.expiryMs ?? defaultPolicyLifetimeMs));
	const policy = signUploadPolicy(
		{bucket: input.bucket, prefix: input.prefix, expiration},
		credentials.secretAccessKey,
	);
	context.secrets.add(policy.signature);
	return {
		command: {
			InstanceId: input.instanceId,
			Storage: {
				S3: {
					Bucket: input.bucket,
					Prefix: input.prefix,
					AWSAccessKeyId: credentials.accessKeyId,
					// A Blob in the model: the SDK base64-encodes these raw JSON bytes itself.
					UploadPolicy: new TextEncoder().encode(policy.json),
					UploadPolicySignature: policy.signature,
				},
			},
			...(dryRun ? {DryRun: true} : {}),
		},
		expiration,
		temporaryCredentials: Boolean(credentials.sessionToken),
	};
}

export async function preflightBundle(context: AwsContext, input: StartBundleInput): Promise<void> {
	const errorContext = {operation: 'BundleInstance', region: input.region, resource: input.instanceId};
	await attempt(context, errorContext, async () => {
		const prepared = await prepare(context, input, true);
		let output: {BundleTask?: Ec2BundleTask | undefined};
		try {
			output = await context.clients.ec2(input.region).send(new BundleInstanceCommand(prepared.command));
		} catch (error) {
			if (errorName(error) === 'DryRunOperation') {
				return;
			}

			throw error;
		}

		// The endpoint ignored DryRun and really started a task: say so rather than pretend it was a check.
		throw new AppError({
			code: 'DryRunIgnored',
			message: `The endpoint ignored DryRun and started bundle task ${output.BundleTask?.BundleId ?? '(unknown id)'}`,
			hint: 'Watch it in the dashboard, or cancel it if it was not meant to run.',
		});
	});
}

export async function startBundle(context: AwsContext, input: StartBundleInput): Promise<StartBundleResult> {
	const errorContext = {operation: 'BundleInstance', region: input.region, resource: input.instanceId};
	return attempt(context, errorContext, async () => {
		const prepared = await prepare(context, input, false);
		let output: {BundleTask?: Ec2BundleTask | undefined};
		try {
			output = await context.clients.ec2(input.region).send(new BundleInstanceCommand(prepared.command));
		} catch (error) {
			if (errorName(error) !== 'BundlingInProgress') {
				throw error;
			}

			// BundleInstance has no client token: when the first answer was lost, the SDK's retry hears "already being
			// bundled" about the task that first call started. Adopt it when it writes where we asked.
			const running = await activeTaskOf(context, input.region, input.instanceId);
			if (running && running.bucket === input.bucket && running.prefix === input.prefix) {
				return {
					task: running,
					policyExpiry: prepared.expiration,
					temporaryCredentials: prepared.temporaryCredentials,
					adopted: true,
				};
			}

			if (running) {
				throw new AppError({
					code: 'BundlingInProgress',
					message: `Instance ${input.instanceId} is already being bundled by task ${running.bundleId} (${running.state}) into s3://${running.bucket}/${running.prefix}`,
					hint: `Wait for it (\`bundledeck wait ${running.bundleId}\`) or cancel it (\`bundledeck cancel ${running.bundleId}\`).`,
					cause: error,
				});
			}

			throw error;
		}

		const task = output.BundleTask ? toBundleTask(output.BundleTask, input.region) : undefined;
		if (!task) {
			throw new AppError({
				code: 'InvalidResponse',
				message: `BundleInstance for ${input.instanceId} returned no bundle task`,
				hint: 'Check the task list: the bundle may have started anyway.',
			});
		}

		return {task, policyExpiry: prepared.expiration, temporaryCredentials: prepared.temporaryCredentials};
	});
}

/** The instance's bundle task that is still working, if any. */
async function activeTaskOf(context: AwsContext, region: string, instanceId: string): Promise<BundleTask | undefined> {
	const output = await context.clients
		.ec2(region)
		.send(new DescribeBundleTasksCommand({Filters: [{Name: 'instance-id', Values: [instanceId]}]}));
	return (output.BundleTasks ?? [])
		.flatMap((task) => toBundleTask(task, region) ?? [])
		.find((task) => task.instanceId === instanceId && isActiveState(task.state));
}

/**
 * Exactly one DescribeBundleTasks call for the region (all tasks, or just the given ids). Aborting `signal` closes
 * the request's socket and rejects with AppError code 'Aborted'.
 */
export async function describeBundleTasks(
	context: AwsContext,
	region: string,
	bundleIds?: string[],
	signal?: AbortSignal,
): Promise<BundleTask[]> {
	return attempt(context, {operation: 'DescribeBundleTasks', region}, async () => {
		const output = await context.clients
			.ec2(region)
			.send(
				new DescribeBundleTasksCommand(bundleIds && bundleIds.length > 0 ? {BundleIds: bundleIds} : {}),
				signal ? {abortSignal: signal} : {},
			);
		return (output.BundleTasks ?? []).flatMap((task) => {
			const mapped = toBundleTask(task, region);
			return mapped ? [mapped] : [];
		});
	});
}

export async function cancelBundle(context: AwsContext, region: string, bundleId: string): Promise<BundleTask> {
	return attempt(context, {operation: 'CancelBundleTask', region, resource: bundleId}, async () => {
		const output = await context.clients.ec2(region).send(new CancelBundleTaskCommand({BundleId: bundleId}));
		const task = output.BundleTask ? toBundleTask(output.BundleTask, region) : undefined;
		if (!task) {
			throw new AppError({
				code: 'InvalidResponse',
				message: `CancelBundleTask for ${bundleId} returned no bundle task`,
				hint: 'Refresh the task list to see its state.',
			});
		}

		return task;
	});
}

/** SDK BundleTask -> core BundleTask; undefined when the response lacks the ids (never shown half-empty). */
export function toBundleTask(task: Ec2BundleTask, region: string): BundleTask | undefined {
	if (!task.BundleId || !task.InstanceId) {
		return undefined;
	}

	const startTime = task.StartTime ?? task.UpdateTime ?? new Date(0);
	return {
		bundleId: task.BundleId,
		instanceId: task.InstanceId,
		region,
		state: isBundleState(task.State) ? task.State : 'pending',
		progress: parseProgress(task.Progress),
		startTime,
		updateTime: task.UpdateTime ?? startTime,
		bucket: task.Storage?.S3?.Bucket ?? '',
		prefix: task.Storage?.S3?.Prefix ?? '',
		error:
			task.BundleTaskError?.Code || task.BundleTaskError?.Message
				? {code: task.BundleTaskError.Code ?? 'Unknown', message: task.BundleTaskError.Message ?? ''}
				: undefined,
	};
}

/**
 * The active bundle task (any region) that writes s3://bucket/prefix.*, if any: two tasks on one prefix overwrite
 * each other's parts, and the first to finish leaves a manifest that matches neither. One filtered
 * DescribeBundleTasks per region the account has.
 */
export async function activeTaskWriting(
	context: AwsContext,
	bucket: string,
	prefix: string,
): Promise<BundleTask | undefined> {
	const regions = await listRegions(context);
	const found = await Promise.all(
		regions.map(async (region) =>
			attempt(context, {operation: 'DescribeBundleTasks', region}, async () => {
				const output = await context.clients.ec2(region).send(
					new DescribeBundleTasksCommand({
						Filters: [
							{Name: 's3-bucket', Values: [bucket]},
							{Name: 's3-prefix', Values: [prefix]},
						],
					}),
				);
				return (output.BundleTasks ?? [])
					.flatMap((task) => toBundleTask(task, region) ?? [])
					.find((task) => task.bucket === bucket && task.prefix === prefix && isActiveState(task.state));
			}),
		),
	);
	return found.find((task) => task !== undefined);
}

/** The refusal when another active task writes the prefix (the same wording for the CLI and the wizard). */
export function prefixInUseError(task: BundleTask): AppError {
	return new AppError({
		code: 'PrefixInUse',
		message: `s3://${task.bucket}/${task.prefix} is being written by bundle task ${task.bundleId} (${task.state}, ${task.region}); a second bundle there would corrupt both`,
		hint: 'Choose another prefix, or wait for that task to finish.',
	});
}
