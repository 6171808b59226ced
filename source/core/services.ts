/**
 * The seam between the UI / commands and AWS. The real implementation is source/aws/services.ts
 * (createServices); tests point that same implementation at an in-process sandbox.
 * Every method throws AppError (source/core/app-error.ts) on failure, never a raw SDK error.
 */
import type {
	AccountInfo,
	Architecture,
	Bucket,
	BucketProbe,
	BundleTask,
	Image,
	Instance,
	Mode,
	Snapshot,
	StoredObject,
	StoreTask,
} from './types.js';

export type StartBundleInput = {
	region: string;
	instanceId: string;
	bucket: string;
	prefix: string;
	/** Upload policy lifetime in milliseconds; default 24 h. */
	expiryMs?: number | undefined;
};

export type StartBundleResult = {
	task: BundleTask;
	policyExpiry: Date;
	/** True when the credentials that signed the policy are temporary (session token): the UI warns. */
	temporaryCredentials: boolean;
	/**
	 * True when BundleInstance's answer was lost and the retry found the task the first call had started (same
	 * instance, bucket and prefix): that task is returned.
	 */
	adopted?: boolean | undefined;
};

export type RegisterImageInput = {
	region: string;
	/** "bucket/prefix.manifest.xml" */
	manifestLocation: string;
	name: string;
	description?: string | undefined;
	/** Defaults to the manifest's architecture. */
	architecture?: Architecture | undefined;
};

export type RegisterImageResult = {
	imageId: string;
	/** The SDK's retry of a call whose answer was lost found the image that call registered (same name and manifest). */
	adopted?: boolean | undefined;
};

export type CopyImageInput = {
	sourceRegion: string;
	sourceImageId: string;
	destinationRegion: string;
	name: string;
	description?: string | undefined;
	/** Idempotency token; generated when absent. */
	clientToken?: string | undefined;
};

export type MigrateProgress = {
	phase: 'checking' | 'copying' | 'verifying' | 'registering' | 'done';
	/** Objects (parts + manifest) copied so far in this run */
	copied: number;
	/** Objects already present at the destination with the same ETag */
	skipped: number;
	total: number;
};

export type MigrateInput = {
	sourceRegion: string;
	/** "bucket/prefix.manifest.xml" in the source region */
	manifestLocation: string;
	destinationRegion: string;
	destinationBucket: string;
	/** When set, register the copied bundle in the destination region. */
	register?: {name: string; description?: string | undefined; architecture?: Architecture | undefined} | undefined;
	onProgress?: ((progress: MigrateProgress) => void) | undefined;
	signal?: AbortSignal | undefined;
};

export type MigrateResult = {
	destinationManifestLocation: string;
	copied: number;
	skipped: number;
	imageId: string | undefined;
};

export type ManifestSummary = {
	location: string;
	architecture: Architecture | undefined;
	partCount: number;
	size: number | undefined;
	bundledSize: number | undefined;
};

export type CreateImageInput = {
	region: string;
	instanceId: string;
	name: string;
	description?: string | undefined;
	/** Default false: AWS stops and restarts the instance for a consistent image. */
	noReboot?: boolean | undefined;
};

export type StoreImageInput = {
	region: string;
	imageId: string;
	/** Must be in `region` (the API requires it). */
	bucket: string;
	tags?: Array<{key: string; value: string}> | undefined;
};

export type RestoreImageInput = {
	/** The bucket's region: the AMI is restored there. */
	region: string;
	bucket: string;
	/** "<ami-id>.bin" */
	objectKey: string;
	/** Default: the stored AMI's name. */
	name?: string | undefined;
};

export type MigrateStoredProgress = {
	phase: 'checking' | 'copying' | 'verifying' | 'restoring' | 'done';
	/** Bytes copied in this run, and already at the destination from an earlier run */
	copiedBytes: number;
	skippedBytes: number;
	totalBytes: number;
	copiedParts: number;
	skippedParts: number;
	totalParts: number;
};

export type MigrateStoredInput = {
	sourceRegion: string;
	bucket: string;
	objectKey: string;
	destinationRegion: string;
	/** Created in destinationRegion when missing */
	destinationBucket: string;
	/** When set, CreateRestoreImageTask in the destination region once the copy is verified */
	restore?: {name?: string | undefined} | undefined;
	onProgress?: ((progress: MigrateStoredProgress) => void) | undefined;
	signal?: AbortSignal | undefined;
};

export type MigrateStoredResult = {
	destinationKey: string;
	copiedParts: number;
	skippedParts: number;
	imageId: string | undefined;
};

export type Services = {
	readonly mode: Mode;
	/** Region the session starts in (flag > env > profile > us-east-1). */
	readonly defaultRegion: string;
	whoami(): Promise<AccountInfo>;
	/** True when the active credentials carry a session token. */
	usesTemporaryCredentials(): Promise<boolean>;
	listRegions(): Promise<string[]>;
	listInstances(region: string, signal?: AbortSignal): Promise<Instance[]>;
	listBuckets(): Promise<Bucket[]>;
	probeBucket(name: string): Promise<BucketProbe>;
	createBucket(name: string, region: string): Promise<void>;
	/**
	 * True when <prefix>.manifest.xml already exists in the bucket; throws AppError PrefixInUse when an active bundle
	 * task in any region writes that prefix.
	 */
	prefixTaken(bucket: string, prefix: string): Promise<boolean>;
	/** BundleInstance with DryRun: resolves when AWS says the call would succeed, throws AppError otherwise. */
	preflightBundle(input: StartBundleInput): Promise<void>;
	startBundle(input: StartBundleInput): Promise<StartBundleResult>;
	/** Exactly one DescribeBundleTasks call for the region. Aborting `signal` rejects with AppError code 'Aborted'. */
	describeBundleTasks(region: string, bundleIds?: string[], signal?: AbortSignal): Promise<BundleTask[]>;
	cancelBundle(region: string, bundleId: string): Promise<BundleTask>;
	/** Reads and parses "bucket/prefix.manifest.xml" (throws AppError InvalidManifest / NoSuchKey...). */
	readManifest(region: string, manifestLocation: string): Promise<ManifestSummary>;
	registerImage(input: RegisterImageInput): Promise<RegisterImageResult>;
	describeImages(region: string, imageIds?: string[]): Promise<Image[]>;
	copyImage(input: CopyImageInput): Promise<{imageId: string}>;
	migrateBundle(input: MigrateInput): Promise<MigrateResult>;
	// ---- The image -> S3 path (CreateImage, CreateStoreImageTask, CreateRestoreImageTask)
	/** CreateImage with DryRun: resolves when AWS says the call would succeed. */
	preflightCreateImage(input: CreateImageInput): Promise<void>;
	createImage(input: CreateImageInput): Promise<{imageId: string}>;
	/** One batched DescribeSnapshots (all pages) for the given ids, or every snapshot you own. */
	describeSnapshots(region: string, snapshotIds?: string[], signal?: AbortSignal): Promise<Snapshot[]>;
	/** CreateStoreImageTask with DryRun (the AMI, bucket region, quota checks). */
	preflightStoreImage(input: StoreImageInput): Promise<void>;
	/** Checks the AMI (EBS-backed, available) and the bucket's region first, then CreateStoreImageTask. */
	storeImage(input: StoreImageInput): Promise<{objectKey: string}>;
	/** DescribeStoreImageTasks, all pages (of the given AMIs, or every task of the last 31 days). */
	describeStoreTasks(region: string, imageIds?: string[], signal?: AbortSignal): Promise<StoreTask[]>;
	/** HeadObject of a stored AMI: its size and the AMI metadata kept with it. */
	describeStoredObject(region: string, bucket: string, objectKey: string): Promise<StoredObject>;
	restoreImage(input: RestoreImageInput): Promise<{imageId: string}>;
	/** Copies a stored AMI object to a bucket in another region (resumable, verified), then optionally restores it. */
	migrateStored(input: MigrateStoredInput): Promise<MigrateStoredResult>;
	deregisterImage(region: string, imageId: string): Promise<void>;
	/** Destroys the SDK clients (sockets). */
	close(): void;
};
