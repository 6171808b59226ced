/**
 * bundledeck store <instance-id | ami-id> --bucket B: today's way to take an image into S3. From an EBS-backed
 * instance: CreateImage, wait until the AMI is available, then CreateStoreImageTask; from an AMI: store directly.
 * The chain is saved in history (a store entry) as soon as the AMI exists, so a rerun continues it instead of
 * starting over; what the waits see updates it, and `history` lists it.
 */
import {AppError} from '../core/app-error.js';
import {defaultAmiName} from '../core/image-path.js';
import {taskBucketProblem} from '../core/task-bucket.js';
import {validateBucketName} from '../core/validation.js';
import {chainStatus, type StoreChain} from '../core/work-model.js';
import type {Session} from '../session.js';
import {type StoreChains, storeChainsOf} from '../store/store-chains.js';
import {booleanValue, type CommandSpec, durationValue, stringValue} from './args.js';
import {type CommandDefinition, type CommandInput, regionOf, withSession} from './command.js';
import {exitCodes, UsageError} from './exit-codes.js';
import {nameValue} from './image-flags.js';
import {storeTaskJson, storeTaskLine} from './store-output.js';
import {type PollTiming, waitForImage, waitForStoreTask} from './store-waiter.js';
import {defaultIntervalMs, defaultTimeoutMs, waitFlags} from './wait.js';

const spec: CommandSpec = {
	name: 'store',
	summary: 'store an EBS-backed instance or AMI in S3 (CreateImage, then CreateStoreImageTask)',
	usage: ['store <instance-id | ami-id> --bucket B [--name N] [--description D] [--no-reboot] [--wait]'],
	details: [
		'From an instance: CreateImage (the instance is rebooted for a consistent image unless --no-reboot), waits until',
		'the AMI is available, then starts the store task, which writes <ami-id>.bin to the bucket when it completes.',
		'From an AMI (EBS-backed, available): starts the store task directly. The bucket must be in the region.',
		'An interrupted run continues where it stopped when run again with the same instance and bucket.',
		'Windows: generalise with Sysprep (EC2Launch) first if instances launched from the image need new identities;',
		'instance store volumes (D:) are not part of the image. The object holds the disks decrypted: keep it private.',
		'Prints the STORE line (the AMI id identifies the task; `bundledeck wait <ami-id>` waits for it).',
		'JSON: {"kind": "store", "amiId", "region", "instanceId", "bucket", "objectKey", "state", "progress", ...}',
	],
	flags: {
		bucket: {type: 'string', value: 'bucket', description: 'S3 bucket in the same region (required)'},
		name: {type: 'string', value: 'name', description: 'AMI name (from an instance; default <instance name>-<time>)'},
		description: {type: 'string', value: 'text', description: 'AMI description (from an instance)'},
		'no-reboot': {type: 'boolean', description: 'do not reboot the instance for the image (less consistent)'},
		wait: {type: 'boolean', description: 'wait until the store task completes'},
		...waitFlags,
	},
	positionals: {names: '<instance-id | ami-id>', min: 1, max: 1},
	examples: [
		'bundledeck store i-0123456789abcdef0 --bucket my-images --name "erp01 2026-11" --wait',
		'bundledeck store ami-0123456789abcdef0 --bucket my-images --json',
	],
};

async function imageFromInstance(
	input: CommandInput,
	session: Session,
	chains: StoreChains,
	target: {region: string; instanceId: string; bucket: string},
	timing: PollTiming,
): Promise<{chain: StoreChain; storeStarted: boolean}> {
	const {services} = session;
	const {parsed, print} = input;
	const requestedName = stringValue(parsed, 'name');
	// A chain of this instance into this bucket that an interruption left unfinished: continue it
	for (const chain of chains.list()) {
		if (
			chain.region !== target.region ||
			chain.instanceId !== target.instanceId ||
			chain.bucket !== target.bucket ||
			(requestedName !== undefined && requestedName !== chain.name)
		) {
			continue;
		}

		const [image] = await services.describeImages(target.region, [chain.imageId]).catch(() => []);
		const [task] = await services.describeStoreTasks(target.region, [chain.imageId]);
		const status = chainStatus(chain, image, [], task);
		if (status.next === 'wait-image' || status.next === 'start-store' || status.next === 'wait-store') {
			print.note(
				`continuing the image -> store chain of ${target.instanceId} started ${chain.startedAt} (AMI ${chain.imageId}, ${status.label})`,
			);
			if (status.next === 'wait-image') {
				await waitForImage(input, session, target.region, chain.imageId, timing);
			}

			return {chain, storeStarted: status.next === 'wait-store'};
		}
	}

	const instance = (await services.listInstances(target.region)).find(
		(candidate) => candidate.id === target.instanceId,
	);
	if (!instance) {
		throw new AppError({
			code: 'InvalidInstanceID.NotFound',
			message: `The instance ${target.instanceId} does not exist in ${target.region}`,
			hint: 'Check the instance id and --region.',
		});
	}

	if (instance.rootDeviceType !== 'ebs') {
		throw new AppError({
			code: 'InstanceNotEbsBacked',
			message: `Instance ${target.instanceId} is instance store-backed: CreateImage cannot image it`,
			hint: `Bundle it instead: \`bundledeck bundle ${target.instanceId} --bucket ${target.bucket}\``,
		});
	}

	const name = requestedName ?? defaultAmiName(instance.name ?? instance.id, new Date());
	const noReboot = booleanValue(parsed, 'no-reboot');
	if (!noReboot && instance.state === 'running' && !parsed.globals.json) {
		print.warn(`${target.instanceId} is rebooted for a consistent image (use --no-reboot to avoid the downtime)`);
	}

	const {imageId} = await services.createImage({
		region: target.region,
		instanceId: target.instanceId,
		name,
		description: stringValue(parsed, 'description'),
		noReboot,
	});
	const chain: StoreChain = {
		region: target.region,
		instanceId: target.instanceId,
		instanceName: instance.name,
		imageId,
		name,
		bucket: target.bucket,
		noReboot,
		startedAt: new Date().toISOString(),
		storeStartedAt: undefined,
	};
	chains.save(chain);
	await waitForImage(input, session, target.region, imageId, timing);
	return {chain, storeStarted: false};
}

async function run(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	const source = parsed.positionals[0] ?? '';
	const isInstance = /^i-[\da-f]{8,17}$/.test(source);
	if (!isInstance && !/^ami-[\da-f]{8,17}$/.test(source)) {
		throw new UsageError(`<instance-id | ami-id> '${source}': expected i-... or ami-...`);
	}

	const bucket = stringValue(parsed, 'bucket');
	if (bucket === undefined) {
		throw new UsageError('--bucket is required (see bundledeck store --help)');
	}

	const bucketCheck = validateBucketName(bucket);
	if (!bucketCheck.ok) {
		throw new UsageError(`--bucket '${bucket}': ${bucketCheck.reason}`);
	}

	const name = nameValue(parsed);

	if (!isInstance && (name !== undefined || booleanValue(parsed, 'no-reboot'))) {
		throw new UsageError('--name and --no-reboot apply to an instance; an AMI is stored as it is');
	}

	const timing = {
		timeoutMs: durationValue(parsed, 'timeout', defaultTimeoutMs),
		intervalMs: durationValue(parsed, 'interval', defaultIntervalMs),
	};

	return withSession(input, async (session) => {
		const {services} = session;
		const region = regionOf(input, session);
		const chains = storeChainsOf(session.history);
		// Before CreateImage: an AMI made for a bucket that cannot take it would be left for nothing
		const bucketProblem = taskBucketProblem(await services.probeBucket(bucket), bucket, region, 'CreateStoreImageTask');
		if (bucketProblem) {
			throw bucketProblem;
		}

		let chain: StoreChain;
		let storeStarted = false;
		if (isInstance) {
			({chain, storeStarted} = await imageFromInstance(
				input,
				session,
				chains,
				{region, instanceId: source, bucket},
				timing,
			));
		} else {
			const [image] = await services.describeImages(region, [source]);
			chain = chains.find(region, source) ?? {
				region,
				instanceId: undefined,
				imageId: source,
				name: image?.name ?? source,
				bucket,
				noReboot: false,
				startedAt: new Date().toISOString(),
				storeStartedAt: undefined,
			};
		}

		if (!storeStarted) {
			await services.storeImage({region, imageId: chain.imageId, bucket});
			chain = {...chain, bucket, storeStartedAt: new Date().toISOString()};
			chains.save(chain);
		}

		const task = booleanValue(parsed, 'wait')
			? await waitForStoreTask(input, session, region, chain.imageId, timing)
			: (await services.describeStoreTasks(region, [chain.imageId]))[0];
		if (task) {
			session.history.recordTask(task);
		}

		if (!task) {
			throw new AppError({
				code: 'InvalidResponse',
				message: `AWS does not list the store task of ${chain.imageId} it accepted`,
			});
		}

		if (parsed.globals.json) {
			print.json(storeTaskJson(task, chain.instanceId));
		} else {
			print.line(storeTaskLine(task, false, chain.instanceId));
		}

		return exitCodes.ok;
	});
}

export const storeCommand: CommandDefinition = {spec, run};
