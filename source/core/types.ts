/** Plain domain objects shared by aws/, ui/, commands/ and store/. No I/O here. */

export type Mode = 'aws' | 'sandbox';

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export type Instance = {
	id: string;
	region: string;
	name: string | undefined;
	type: string;
	availabilityZone: string;
	state: InstanceState;
	launchTime: Date | undefined;
	platform: 'windows' | 'linux';
	rootDeviceType: 'instance-store' | 'ebs';
	/** True only for running, instance store-backed Windows instances. */
	eligible: boolean;
	/** Why the instance cannot be bundled (set when eligible is false). */
	ineligibleReason: string | undefined;
};

export type Bucket = {
	name: string;
	/** undefined when the region could not be determined */
	region: string | undefined;
	creationDate: Date | undefined;
};

export type BucketProbe =
	| {status: 'owned'; region: string}
	| {status: 'missing'}
	| {status: 'foreign'}
	| {status: 'invalid'; reason: string};

export type BundleState =
	| 'pending'
	| 'waiting-for-shutdown'
	| 'bundling'
	| 'storing'
	| 'cancelling'
	| 'complete'
	| 'failed';

export type BundleTask = {
	bundleId: string;
	instanceId: string;
	region: string;
	state: BundleState;
	/** Integer 0-100, undefined when AWS sent something that is not "N%". */
	progress: number | undefined;
	startTime: Date;
	updateTime: Date;
	bucket: string;
	prefix: string;
	error: {code: string; message: string} | undefined;
};

export type ImageState = 'pending' | 'available' | 'failed' | 'invalid' | 'deregistered' | 'transient' | 'error';

export type Image = {
	imageId: string;
	region: string;
	name: string;
	description: string | undefined;
	state: ImageState;
	imageLocation: string | undefined;
	architecture: string | undefined;
	rootDeviceType: string | undefined;
	platform: string | undefined;
	creationDate: Date | undefined;
	/** EBS-backed images: one entry per volume (the snapshots CreateImage / a restore made) */
	blockDevices?: ImageBlockDevice[] | undefined;
	/** The instance CreateImage made it from, when AWS reports it */
	sourceInstanceId?: string | undefined;
};

export type ImageBlockDevice = {deviceName: string; snapshotId: string | undefined; volumeSizeGiB: number | undefined};

export type SnapshotState = 'pending' | 'completed' | 'error' | 'recoverable' | 'recovering';

export type Snapshot = {
	snapshotId: string;
	region: string;
	state: SnapshotState;
	/** Integer 0-100, undefined when AWS sent something that is not "N%" */
	progress: number | undefined;
	volumeSizeGiB: number | undefined;
	startTime: Date | undefined;
	description: string | undefined;
	stateMessage: string | undefined;
};

export type StoreTaskState = 'InProgress' | 'Completed' | 'Failed';

/** A CreateStoreImageTask as DescribeStoreImageTasks reports it; the AMI id identifies it. */
export type StoreTask = {
	amiId: string;
	region: string;
	bucket: string;
	objectKey: string;
	state: StoreTaskState;
	/** Integer 0-100 */
	progress: number | undefined;
	startTime: Date | undefined;
	failureReason: string | undefined;
};

/** What the object of a completed store task says about the AMI in it (S3 object metadata). */
export type StoredObject = {
	bucket: string;
	key: string;
	region: string;
	size: number;
	amiName: string | undefined;
	amiDescription: string | undefined;
	sourceImageId: string | undefined;
	ownerAccount: string | undefined;
	storeTime: Date | undefined;
};

export type Architecture = 'i386' | 'x86_64';

export type AccountInfo = {
	accountId: string;
	/** e.g. arn:aws:iam::123456789012:user/alice; undefined in the sandbox */
	arn: string | undefined;
	profile: string | undefined;
	mode: Mode;
};
