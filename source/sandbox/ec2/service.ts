/**
 * The sandbox's EC2 Query service: dispatches actions to handlers, turns SandboxError into EC2 error XML,
 * and owns the world (persisted under <dir>/ec2), the bundler and the image jobs.
 */
import {
	type Ec2Request,
	type Ec2Response,
	type Ec2Service,
	type Ec2ServiceContext,
	SandboxError,
} from '../contracts.js';
import {defaultFinishedTaskRetentionMs} from '../task-retention.js';
import type {ActionContext, ActionHandler} from './action-context.js';
import {describeAvailabilityZones} from './actions/availability-zones.js';
import {bundleInstance, cancelBundleTask, describeBundleTasks} from './actions/bundle-tasks.js';
import {copyImage} from './actions/copy-image.js';
import {createImage} from './actions/create-image.js';
import {deregisterImage, describeImages, registerImage} from './actions/images.js';
import {describeInstances} from './actions/instances.js';
import {describeRegions} from './actions/regions.js';
import {createRestoreImageTask} from './actions/restore-task.js';
import {deleteSnapshot, describeSnapshots} from './actions/snapshots.js';
import {createStoreImageTask, describeStoreImageTasks} from './actions/store-tasks.js';
import {createTags, deleteTags, describeTags} from './actions/tags.js';
import {Bundler} from './bundler.js';
import {EbsJobs} from './ebs-jobs.js';
import {ImageJobs} from './image-jobs.js';
import {loadOrCreateKeys, type SandboxKeys} from './keys.js';
import {StoreRunner} from './store-runner.js';
import {World} from './world.js';
import {errorXml, responseXml} from './xml.js';

export const ec2Actions: Record<string, ActionHandler> = {
	DescribeRegions: describeRegions,
	DescribeInstances: describeInstances,
	BundleInstance: bundleInstance,
	DescribeBundleTasks: describeBundleTasks,
	CancelBundleTask: cancelBundleTask,
	RegisterImage: registerImage,
	DescribeImages: describeImages,
	DeregisterImage: deregisterImage,
	CopyImage: copyImage,
	CreateImage: createImage,
	DescribeSnapshots: describeSnapshots,
	DeleteSnapshot: deleteSnapshot,
	CreateStoreImageTask: createStoreImageTask,
	DescribeStoreImageTasks: describeStoreImageTasks,
	CreateRestoreImageTask: createRestoreImageTask,
	DescribeAvailabilityZones: describeAvailabilityZones,
	CreateTags: createTags,
	DeleteTags: deleteTags,
	DescribeTags: describeTags,
};

export async function createEc2Service(ctx: Ec2ServiceContext): Promise<Ec2Service> {
	const world = await World.load(ctx.dir, ctx.accounts);
	let keys: Promise<SandboxKeys> | undefined;
	const bundler = new Bundler({
		dir: ctx.dir,
		world,
		objects: ctx.objects,
		pace: ctx.pace,
		accounts: ctx.accounts,
		async keys() {
			keys ??= loadOrCreateKeys(ctx.dir);
			return keys;
		},
	});
	await bundler.recover();
	const imageJobs = new ImageJobs({world, objects: ctx.objects, pace: ctx.pace});
	imageJobs.resume();
	const ebsJobs = new EbsJobs({dir: ctx.dir, world, pace: ctx.pace, openObjectStream: ctx.openObjectStream});
	ebsJobs.resume();
	const storeRunner = new StoreRunner({
		dir: ctx.dir,
		world,
		objects: ctx.objects,
		multipart: ctx.multipart,
		pace: ctx.pace,
	});
	storeRunner.resume();
	const context: ActionContext = {
		world,
		objects: ctx.objects,
		bundler,
		imageJobs,
		ebsJobs,
		storeRunner,
		openObjectStream: ctx.openObjectStream,
		dir: ctx.dir,
		pace: ctx.pace,
		accounts: ctx.accounts,
		finishedTaskRetentionMs: ctx.finishedTaskRetentionMs ?? defaultFinishedTaskRetentionMs,
	};
	let closed = false;

	return {
		async handle(request: Ec2Request): Promise<Ec2Response> {
			try {
				if (closed) {
					throw new SandboxError('Unavailable', 'The sandbox is shutting down.', 503);
				}

				const handler = Object.hasOwn(ec2Actions, request.action) ? ec2Actions[request.action] : undefined;
				if (!handler) {
					throw new SandboxError(
						'InvalidAction',
						`The action ${request.action.slice(0, 100)} is not valid for this web service.`,
					);
				}

				const body = await handler(request, context);
				return {status: 200, body: responseXml(request.action, request.requestId, body)};
			} catch (error) {
				if (error instanceof SandboxError) {
					return {status: error.status, body: errorXml(error.code, error.message, request.requestId)};
				}

				return {
					status: 500,
					body: errorXml(
						'InternalError',
						`An internal error has occurred: ${error instanceof Error ? error.message : String(error)}`,
						request.requestId,
					),
				};
			}
		},
		async close() {
			if (closed) {
				return;
			}

			closed = true;
			await bundler.close();
			await imageJobs.close();
			await storeRunner.close();
			await ebsJobs.close();
			await world.close();
		},
	};
}
