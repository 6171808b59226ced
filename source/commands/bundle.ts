/** bundledeck bundle <instance-id> --bucket B --prefix P: BundleInstance with a signed upload policy. */
import {isAppError} from '../core/app-error.js';
import {credentialErrorCodes} from '../core/error-catalogue.js';
import {formatDuration} from '../core/format.js';
import {adoptedBundleLine} from '../core/lost-answers.js';
import {defaultPolicyLifetimeMs} from '../core/upload-policy.js';
import {validateBucketName, validateInstanceId, validatePrefix} from '../core/validation.js';
import type {Session} from '../session.js';
import {interruptible} from './abort.js';
import {booleanValue, type CommandSpec, durationValue, stringValue} from './args.js';
import {type CommandDefinition, type CommandInput, regionOf, withSession} from './command.js';
import {policyExpiryRange} from './durations.js';
import {CommandFailure, exitCodes} from './exit-codes.js';
import {manifestLocationOf, taskJson} from './output.js';
import {requireValue} from './prompt.js';
import {defaultIntervalMs, defaultTimeoutMs, runWaiter, waitFlags} from './wait.js';

const recommendedExpiryMs = 12 * 60 * 60 * 1000;

const spec: CommandSpec = {
	name: 'bundle',
	summary: 'bundle an instance store-backed Windows instance into S3',
	usage: ['bundle <instance-id> --bucket B --prefix P [--expiry 24h] [--dry-run] [--wait [--timeout 2h]]'],
	details: [
		'Signs an S3 upload policy with your credentials and calls BundleInstance. The instance is shut down,',
		'its C: volume is bundled into s3://B/P.manifest.xml + parts, and it is restarted.',
		'Prints the bundle task id (with --json the task). --dry-run only asks AWS whether the call would work.',
		'JSON: {"task": task, "policyExpiry": ISO date, "temporaryCredentials": bool,',
		'       "outcome": null|"complete"|"failed"|"timeout"}',
		'JSON with --dry-run: {"dryRun": true, "region", "instanceId", "bucket", "prefix", "manifestLocation"}',
		'task: {"kind": "bundle", "bundleId", "region", "instanceId", "state", "progress": 0-100|null, "bucket", "prefix",',
		'       "manifestLocation", "startTime", "updateTime", "error": null|{"code", "message"}}',
	],
	flags: {
		bucket: {type: 'string', value: 'B', description: 'S3 bucket for the bundle (EC2 creates it if missing)'},
		prefix: {type: 'string', value: 'P', description: 'key prefix: P.manifest.xml and P.part.N'},
		expiry: {
			type: 'string',
			value: 'duration',
			description: 'upload policy lifetime (default 24h; AWS advises 12h+)',
			range: policyExpiryRange,
		},
		'dry-run': {type: 'boolean', description: 'check permissions and inputs without starting anything'},
		wait: {type: 'boolean', description: 'then wait like `bundledeck wait` (exit 0 complete, 1 failed, 3 timeout)'},
		...waitFlags,
	},
	positionals: {names: '<instance-id>', min: 1, max: 1},
	examples: [
		'bundledeck bundle i-0abc1234def567890 --bucket my-amis --prefix win2019-base',
		'bundledeck bundle i-0abc1234def567890 --bucket my-amis --prefix win2019-base --wait --json',
	],
};

async function run(input: CommandInput): Promise<number> {
	const {parsed, print} = input;
	const instanceId = await requireValue(input.prompt, {
		flag: '<instance-id>',
		label: 'instance to bundle',
		value: parsed.positionals[0],
		validate: validateInstanceId,
	});
	const bucket = await requireValue(input.prompt, {
		flag: '--bucket',
		label: 'S3 bucket for the bundle',
		value: stringValue(parsed, 'bucket'),
		validate: validateBucketName,
	});
	const prefix = await requireValue(input.prompt, {
		flag: '--prefix',
		label: 'key prefix for the bundle',
		value: stringValue(parsed, 'prefix'),
		validate: validatePrefix,
	});
	const expiryMs = durationValue(parsed, 'expiry', defaultPolicyLifetimeMs);
	const dryRun = booleanValue(parsed, 'dry-run');
	const wait = booleanValue(parsed, 'wait');
	const timing = {
		timeoutMs: durationValue(parsed, 'timeout', defaultTimeoutMs),
		intervalMs: durationValue(parsed, 'interval', defaultIntervalMs),
	};

	if (expiryMs < recommendedExpiryMs) {
		print.warn(
			`--expiry ${formatDuration(expiryMs)} is short: AWS recommends 12h or more, or EC2 may fail to store the bundle`,
		);
	}

	return withSession(input, async (session) => {
		const region = regionOf(input, session);
		const request = {region, instanceId, bucket, prefix, expiryMs};
		await checkBucket(input, session, bucket, region);
		await checkPrefix(input, session, bucket, prefix);
		if (dryRun) {
			await interruptible(session.services.preflightBundle(request), input.signal);
			if (parsed.globals.json) {
				print.json({
					dryRun: true,
					region,
					instanceId,
					bucket,
					prefix,
					manifestLocation: manifestLocationOf(bucket, prefix),
				});
			} else {
				print.line(`Dry run: bundling ${instanceId} into s3://${bucket}/${prefix} in ${region} would succeed.`);
			}

			return exitCodes.ok;
		}

		// Not interruptible: once AWS acts, the result is recorded and shown (Ctrl+C lands right after).
		const started = await session.services.startBundle(request);
		session.history.recordBundle(started.task);
		if (started.adopted) {
			print.warn(adoptedBundleLine(started.task.bundleId, instanceId, bucket, prefix));
		}

		// The instance's Name tag makes history (and the dashboard) friendlier; not worth failing over.
		const instanceName = await interruptible(
			session.services
				.listInstances(region, input.signal)
				.then((instances) => instances.find((instance) => instance.id === instanceId)?.name)
				.catch(() => undefined),
			input.signal,
		);
		if (instanceName) {
			session.history.recordBundle(started.task, instanceName);
		}
		if (started.temporaryCredentials) {
			print.warn(
				'the upload policy was signed with temporary credentials (session token); EC2 cannot present the token, so storing the bundle may fail — prefer long-term access keys',
			);
		}

		if (!wait) {
			if (parsed.globals.json) {
				print.json({
					task: taskJson(started.task),
					policyExpiry: started.policyExpiry.toISOString(),
					temporaryCredentials: started.temporaryCredentials,
					outcome: null,
				});
			} else {
				print.line(started.task.bundleId);
			}

			return exitCodes.ok;
		}

		if (!parsed.globals.json) {
			print.line(started.task.bundleId);
		}

		const {outcome, exitCode} = await runWaiter(
			input,
			session,
			[{bundleId: started.task.bundleId, region: started.task.region}],
			timing,
		);
		if (parsed.globals.json) {
			print.json({
				task: taskJson(outcome.tasks[0] ?? started.task),
				policyExpiry: started.policyExpiry.toISOString(),
				temporaryCredentials: started.temporaryCredentials,
				outcome: outcome.kind,
			});
		}

		return exitCode;
	});
}

/**
 * EC2 fails the task when the bucket belongs to another account or lives in another region: say so before
 * BundleInstance, not minutes later from a failed task. A probe that cannot answer leaves the decision to EC2.
 */
async function checkBucket(input: CommandInput, session: Session, bucket: string, region: string): Promise<void> {
	const probe = await interruptible(
		session.services.probeBucket(bucket).catch(unless(credentialErrorCodes)),
		input.signal,
	);
	if (probe?.status === 'foreign') {
		throw new CommandFailure(
			`bucket ${bucket} belongs to another AWS account, so EC2 could not store the bundle there — choose a bucket you own, or a new --bucket name (EC2 creates it)`,
		);
	}

	if (probe?.status === 'owned' && probe.region !== region) {
		throw new CommandFailure(
			`bucket ${bucket} is in ${probe.region}, but the instance runs in ${region}; EC2 stores the bundle only in a bucket of the instance's region — choose a bucket in ${region} (or a new --bucket name), or pass --region ${probe.region} if the instance is there`,
		);
	}
}

/**
 * Refuses a prefix whose manifest exists or that an active task (any region) writes. Only the existence check may
 * fail open (EC2 decides then); a prefix in use always stops the command.
 */
async function checkPrefix(input: CommandInput, session: Session, bucket: string, prefix: string): Promise<void> {
	const taken = await interruptible(
		session.services.prefixTaken(bucket, prefix).catch(unless(new Set(['PrefixInUse', ...credentialErrorCodes]))),
		input.signal,
	);
	if (taken) {
		throw new CommandFailure(
			`s3://${manifestLocationOf(bucket, prefix)} already exists — choose another --prefix so the existing bundle is not overwritten`,
		);
	}
}

/** A check that may fail open (EC2 decides then), except for the error codes given, which stop the command. */
function unless(codes: ReadonlySet<string>) {
	return (error: unknown): undefined => {
		if (isAppError(error) && codes.has(error.code)) {
			throw error;
		}

		return undefined;
	};
}

export const bundleCommand: CommandDefinition = {spec, run};
