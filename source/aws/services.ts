/**
 * createServices: the real Services implementation (source/core/services.ts) over the AWS SDK, pointed at AWS or
 * at the sandbox region. Every method throws AppError only.
 */
import {AppError} from '../core/app-error.js';
import type {
	CopyImageInput,
	CreateImageInput,
	MigrateInput,
	MigrateStoredInput,
	RegisterImageInput,
	RestoreImageInput,
	Services,
	StartBundleInput,
	StoreImageInput,
} from '../core/services.js';
import {safeText} from '../core/terminal-text.js';
import type {AccountInfo, Mode} from '../core/types.js';
import {validateRegion} from '../core/validation.js';
import {createBucket, listBuckets, prefixTaken, probeBucket} from './buckets.js';
import {cancelBundle, describeBundleTasks, preflightBundle, startBundle} from './bundles.js';
import {createClientFactory, type EndpointSource, type ExplicitCredentials} from './clients.js';
import {type AwsContext, activeCredentials, attempt} from './context.js';
import {profileProblem} from './credential-diagnosis.js';
import {toAppError} from './errors.js';
import {verifyCredentials} from './identity.js';
import {copyImage, describeImages, readManifest, registerImage} from './images.js';
import {listInstances, listRegions} from './instances.js';
import {migrateBundle} from './migrate.js';
import {migrateStored} from './migrate-stored.js';
import {fallbackRegion, field, profileExists, type ResolvedRegion, resolveRegion} from './region.js';
import {
	createImage,
	deregisterImage,
	describeSnapshots,
	describeStoredObject,
	describeStoreTasks,
	preflightCreateImage,
	preflightStoreImage,
	restoreImage,
	storeImage,
} from './stored-images.js';

export type ServicesOptions = {
	mode: Mode;
	profile?: string | undefined;
	/** --region; else AWS_REGION / AWS_DEFAULT_REGION, the profile's region, us-east-1. */
	region?: string | undefined;
	/** --endpoint-url (the sandbox's endpoint in sandbox mode, asked before each request). */
	endpointUrl?: EndpointSource | undefined;
	/** Sandbox or explicit keys; otherwise the SDK's node provider chain (env, SSO, ini, process, IMDS). */
	credentials?: ExplicitCredentials | undefined;
	/** Environment for region/profile/config-file resolution; default process.env. */
	env?: NodeJS.ProcessEnv | undefined;
	/** Attempts per call including retries (adaptive mode); default 5. */
	maxAttempts?: number | undefined;
	/** Where the SDK's warnings go, one line each; default: dropped. */
	onWarning?: ((line: string) => void) | undefined;
};

export async function createServices(options: ServicesOptions): Promise<Services> {
	const env = options.env ?? process.env;
	const profile = options.profile?.trim() || undefined;
	if (options.region !== undefined) {
		const check = validateRegion(options.region);
		if (!check.ok) {
			throw new AppError({code: 'InvalidRegion', message: `Region "${options.region}" is not valid: ${check.reason}`});
		}
	}

	checkEndpoints(typeof options.endpointUrl === 'string' ? options.endpointUrl : undefined, env);
	const resolved = await resolveRegion({flag: options.region, profile, env});
	const clients = createClientFactory({
		profile,
		endpointUrl: options.endpointUrl,
		credentials: options.credentials,
		env,
		maxAttempts: options.maxAttempts,
		region: resolved.region,
		onWarning: options.onWarning,
	});
	const secrets = new Set<string>();
	const contextIn = (defaultRegion: string): AwsContext => ({
		mode: options.mode,
		clients,
		defaultRegion,
		secrets,
		bucketRegions: new Map(),
	});

	let context: AwsContext;
	try {
		// Resolve the credentials now: "no credentials" is reported once, at start, instead of on every screen.
		const initial = contextIn(resolved.region);
		await attempt(initial, {operation: 'LoadCredentials', region: resolved.region}, async () =>
			activeCredentials(initial),
		);
		context = contextIn(
			options.mode === 'sandbox' ? await sandboxRegion(contextIn(fallbackRegion), resolved) : resolved.region,
		);
	} catch (error) {
		clients.close();
		throw await explainMissingProfile(
			error,
			options.credentials ? undefined : profile,
			env,
			resolved.region,
			Boolean(options.credentials),
		);
	}

	const defaultRegion = context.defaultRegion;
	// The profile the credentials came from, for the header: --profile, else AWS_PROFILE (none for explicit keys).
	const shownProfile = options.credentials ? undefined : (profile ?? (field(env, 'AWS_PROFILE')?.trim() || undefined));
	let account: Promise<AccountInfo> | undefined;
	const whoami = async (): Promise<AccountInfo> =>
		attempt(context, {operation: 'GetCallerIdentity', region: defaultRegion}, async () => {
			const identity = await verifyCredentials(context);
			if (!identity.Account) {
				throw new AppError({code: 'InvalidResponse', message: 'GetCallerIdentity returned no account id'});
			}

			return {accountId: identity.Account, arn: identity.Arn || undefined, profile: shownProfile, mode: options.mode};
		});

	/** Safety net: whatever escapes an operation (a throwing progress callback...) still leaves as an AppError. */
	const guarded =
		<A extends unknown[], R>(operation: string, run: (...args: A) => Promise<R>) =>
		async (...args: A): Promise<R> =>
			attempt(context, {operation}, async () => run(...args));

	return {
		mode: options.mode,
		defaultRegion,
		async whoami() {
			// Cached once it succeeds; a failure is retried on the next call.
			account ??= whoami().catch((error: unknown) => {
				account = undefined;
				throw error;
			});
			return account;
		},
		usesTemporaryCredentials: guarded('LoadCredentials', async () =>
			Boolean((await activeCredentials(context)).sessionToken),
		),
		listRegions: guarded('DescribeRegions', async () => listRegions(context)),
		listInstances: guarded('DescribeInstances', async (region: string, signal?: AbortSignal) =>
			listInstances(context, region, signal),
		),
		listBuckets: guarded('ListBuckets', async () => listBuckets(context)),
		probeBucket: guarded('HeadBucket', async (name: string) => probeBucket(context, name)),
		createBucket: guarded('CreateBucket', async (name: string, region: string) => createBucket(context, name, region)),
		prefixTaken: guarded('HeadObject', async (bucket: string, prefix: string) => prefixTaken(context, bucket, prefix)),
		preflightBundle: guarded('BundleInstance', async (input: StartBundleInput) => preflightBundle(context, input)),
		startBundle: guarded('BundleInstance', async (input: StartBundleInput) => startBundle(context, input)),
		describeBundleTasks: guarded(
			'DescribeBundleTasks',
			async (region: string, bundleIds?: string[], signal?: AbortSignal) =>
				describeBundleTasks(context, region, bundleIds, signal),
		),
		cancelBundle: guarded('CancelBundleTask', async (region: string, bundleId: string) =>
			cancelBundle(context, region, bundleId),
		),
		readManifest: guarded('GetObject', async (region: string, location: string) =>
			readManifest(context, region, location),
		),
		registerImage: guarded('RegisterImage', async (input: RegisterImageInput) => registerImage(context, input)),
		describeImages: guarded('DescribeImages', async (region: string, imageIds?: string[]) =>
			describeImages(context, region, imageIds),
		),
		copyImage: guarded('CopyImage', async (input: CopyImageInput) => copyImage(context, input)),
		migrateBundle: guarded('MigrateBundle', async (input: MigrateInput) => migrateBundle(context, input)),
		preflightCreateImage: guarded('CreateImage', async (input: CreateImageInput) =>
			preflightCreateImage(context, input),
		),
		createImage: guarded('CreateImage', async (input: CreateImageInput) => createImage(context, input)),
		describeSnapshots: guarded(
			'DescribeSnapshots',
			async (region: string, snapshotIds?: string[], signal?: AbortSignal) =>
				describeSnapshots(context, region, snapshotIds, signal),
		),
		preflightStoreImage: guarded('CreateStoreImageTask', async (input: StoreImageInput) =>
			preflightStoreImage(context, input),
		),
		storeImage: guarded('CreateStoreImageTask', async (input: StoreImageInput) => storeImage(context, input)),
		describeStoreTasks: guarded(
			'DescribeStoreImageTasks',
			async (region: string, imageIds?: string[], signal?: AbortSignal) =>
				describeStoreTasks(context, region, imageIds, signal),
		),
		describeStoredObject: guarded('HeadObject', async (region: string, bucket: string, objectKey: string) =>
			describeStoredObject(context, region, bucket, objectKey),
		),
		restoreImage: guarded('CreateRestoreImageTask', async (input: RestoreImageInput) => restoreImage(context, input)),
		migrateStored: guarded('MigrateStored', async (input: MigrateStoredInput) => migrateStored(context, input)),
		deregisterImage: guarded('DeregisterImage', async (region: string, imageId: string) =>
			deregisterImage(context, region, imageId),
		),
		close() {
			clients.close();
		},
	};
}

const endpointVariables = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_STS'];

/**
 * An endpoint that is not an http(s) URL fails every call deep in the SDK ("Invalid URL"): name it up front. The
 * environment's endpoints count only without an explicit one (which the SDK prefers).
 */
function checkEndpoints(flag: string | undefined, env: NodeJS.ProcessEnv): void {
	const given: Array<[string, string | undefined]> = flag
		? [['--endpoint-url', flag]]
		: endpointVariables.map((name): [string, string | undefined] => [name, field(env, name)]);
	for (const [source, value] of given) {
		if (value === undefined || value.trim() === '') {
			continue;
		}

		let url: URL | undefined;
		try {
			url = new URL(value.trim());
		} catch {}

		if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
			throw new AppError({
				code: 'InvalidEndpoint',
				message: `${source} '${safeText(value, {maxLength: 100})}' is not an http(s) URL`,
				hint: `Give a full URL such as https://ec2.us-east-1.amazonaws.com or http://127.0.0.1:4566${source === '--endpoint-url' ? '' : `, or unset ${source}`}.`,
			});
		}
	}
}

/**
 * The sandbox has a few regions only. A region that came from the environment or the profile describes the
 * user's real AWS setup: when the sandbox lacks it, start in us-east-1 instead of failing every call. A --region
 * the sandbox lacks is an error that lists the regions it has.
 */
async function sandboxRegion(context: AwsContext, resolved: ResolvedRegion): Promise<string> {
	const available = await listRegions(context);
	if (available.includes(resolved.region)) {
		return resolved.region;
	}

	if (resolved.source === 'flag') {
		throw new AppError({
			code: 'InvalidRegion',
			message: `The sandbox has no region ${resolved.region}`,
			hint: `Use one of ${available.join(', ')}.`,
		});
	}

	return available.includes(fallbackRegion) ? fallbackRegion : (available[0] ?? fallbackRegion);
}

/**
 * The SDK's chain reports a profile that does not exist, and every broken profile, as "Could not load credentials
 * from any providers": name the profile the user asked for (--profile or AWS_PROFILE), or say what is wrong with it.
 */
async function explainMissingProfile(
	error: unknown,
	profile: string | undefined,
	env: NodeJS.ProcessEnv,
	region: string,
	explicit: boolean,
): Promise<unknown> {
	const asked = profile ?? (field(env, 'AWS_PROFILE')?.trim() || undefined);
	const source = profile ? '--profile' : 'AWS_PROFILE';
	if (!(error instanceof AppError) || error.code !== 'NoCredentials' || explicit) {
		return error;
	}

	if (!asked || (await profileExists(asked, env))) {
		const problem = field(env, 'AWS_ACCESS_KEY_ID') ? undefined : await profileProblem(asked ?? 'default', env, region);
		return problem ? toAppError(problem, {operation: 'LoadCredentials', region}) : error;
	}

	return new AppError({
		code: 'NoCredentials',
		message: `The AWS profile '${asked}' (${source}) was not found in ~/.aws/config or ~/.aws/credentials`,
		hint: 'Check the name, list profiles with `aws configure list-profiles`, create it with `aws configure --profile`, or try everything locally with --sandbox.',
		cause: error,
	});
}
