/**
 * Contracts between the parts of the sandbox region:
 * - server (http, SigV4 verification, routing, faults, request log) + s3/ (REST subset, POST policy uploads, object store)
 * - ec2/ (Query actions) + world (instances, tasks, images) + bundler (the real pipeline)
 * The sandbox never imports aws/ or ui/; it shares core/ (upload policy, manifest).
 */

export const sandboxRegions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'] as const;
export type SandboxRegion = (typeof sandboxRegions)[number];

export type SandboxAccount = {
	/** 12-digit account id */
	id: string;
	name: string;
	accessKeyId: string;
	secretAccessKey: string;
};

export type SandboxPace = {
	/** Bytes per second for bundling and for storing; undefined = as fast as possible (tests). */
	bytesPerSecond: number | undefined;
	/** Size of each seeded instance's synthetic C: image in bytes. */
	imageSize: number;
	/** Time an instance takes to stop and to start again, and an image to become available (ms). */
	stepDelayMs: number;
};

export type SandboxFaults = {
	/** 0..1: fraction of requests answered with RequestLimitExceeded (EC2) / SlowDown (S3), HTTP 503 */
	throttleRate?: number | undefined;
	/** 0..1: fraction answered with InternalError, HTTP 500 */
	serverErrorRate?: number | undefined;
	/** Extra latency per request (ms) */
	latencyMs?: number | undefined;
	/** Limit the faults to these actions (EC2 action names like DescribeBundleTasks, or S3 operation names). */
	actions?: string[] | undefined;
};

export type RequestLogEntry = {
	/** 'sts' (GetCallerIdentity) was added for the client's account display. */
	service: 'ec2' | 's3' | 'sts';
	region: string;
	/** EC2 Action, or the S3 operation name (ListBuckets, PutObject, PostObject, ...) */
	action: string;
	/** epoch ms */
	time: number;
	status: number;
	accountId: string | undefined;
};

export type SandboxOptions = {
	/** Data directory (persisted state). Default: a fresh temporary directory. */
	dir?: string | undefined;
	/** 0 = a free port. Always bound to 127.0.0.1. */
	port?: number | undefined;
	pace?: Partial<SandboxPace> | undefined;
	faults?: SandboxFaults | undefined;
	/** Wipe the data directory first. */
	reset?: boolean | undefined;
	/** Receives each request's log entry instead of the in-memory request log (a long-running service). */
	onRequest?: ((entry: RequestLogEntry) => void) | undefined;
	/**
	 * Tests only: Host header ports served besides the sandbox's own (a relay or proxy in front of it, whose port the
	 * SDK signs). The service and `bundledeck sandbox` never set it: only the sandbox's own port is served.
	 */
	extraHostPorts?: readonly number[] | undefined;
	/** How long DescribeBundleTasks lists a finished bundle task (ms; 0: dropped once finished). Default: 3 days. */
	finishedTaskRetentionMs?: number | undefined;
};

export type Sandbox = {
	/** http://127.0.0.1:PORT */
	endpoint: string;
	port: number;
	dir: string;
	/** The default account's keys. */
	credentials: {accessKeyId: string; secretAccessKey: string};
	accounts: SandboxAccount[];
	/** Every request handled so far (most recent last). */
	requestLog(): RequestLogEntry[];
	clearRequestLog(): void;
	setFaults(faults: SandboxFaults): void;
	close(): Promise<void>;
};

/** Thrown inside the sandbox to produce an EC2 or S3 error document. */
export class SandboxError extends Error {
	readonly code: string;
	readonly status: number;

	constructor(code: string, message: string, status = 400) {
		super(message);
		this.name = 'SandboxError';
		this.code = code;
		this.status = status;
	}
}

// ---- S3 side: the in-process object store the EC2 side uses ----

export type StoredBucket = {name: string; region: string; ownerId: string; createdAt: Date};

export type StoredObjectInfo = {
	bucket: string;
	key: string;
	size: number;
	/** quoted MD5 hex, as S3 sends it: "\"abc...\"" */
	etag: string;
	lastModified: Date;
	acl: string | undefined;
	contentType: string | undefined;
};

export type PostUploadForm = {
	bucket: string;
	key: string;
	acl: string | undefined;
	/** base64 policy document */
	policy: string | undefined;
	signature: string | undefined;
	awsAccessKeyId: string | undefined;
	/** The file: whole (the bundler) or streamed from the request, checked against content-length-range as it comes. */
	body: Buffer | AsyncIterable<Buffer>;
	/**
	 * Every form field before the file, names lower-cased: SigV4 policy fields (x-amz-algorithm, x-amz-credential,
	 * x-amz-date, x-amz-signature) and any other field, which a policy condition must cover.
	 */
	fields?: Map<string, string> | undefined;
};

export type ObjectStore = {
	getBucket(name: string): StoredBucket | undefined;
	listBuckets(ownerId: string): StoredBucket[];
	/** Throws SandboxError BucketAlreadyOwnedByYou / BucketAlreadyExists / InvalidBucketName. */
	createBucket(ownerId: string, name: string, region: string): Promise<StoredBucket>;
	putObject(
		bucket: string,
		key: string,
		body: Buffer,
		meta?: {acl?: string; contentType?: string},
	): Promise<StoredObjectInfo>;
	headObject(bucket: string, key: string): Promise<StoredObjectInfo | undefined>;
	/** Reads a whole object (parts are 10 MiB; fine in memory). undefined when missing. */
	readObject(bucket: string, key: string): Promise<Buffer | undefined>;
	deleteObject(bucket: string, key: string): Promise<void>;
	listObjects(bucket: string, prefix: string): Promise<StoredObjectInfo[]>;
	copyObject(
		source: {bucket: string; key: string},
		destination: {bucket: string; key: string; acl?: string},
	): Promise<StoredObjectInfo>;
	/**
	 * The S3 POST Object path with the legacy policy form. Enforces signature (against the secret of
	 * awsAccessKeyId), expiry, bucket, acl and starts-with key conditions; throws SandboxError AccessDenied (403)
	 * and stores nothing otherwise. The bundler uploads every part through this.
	 */
	postObject(form: PostUploadForm): Promise<StoredObjectInfo>;
};

/** The S3 multipart path as the EC2 side uses it (store tasks): the object appears only on complete. */
export type MultipartWriter = {
	/** Returns the upload id. */
	create(bucket: string, key: string, metadata: Record<string, string>): Promise<string>;
	/** Returns the part's ETag. */
	uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string>;
	complete(
		bucket: string,
		key: string,
		uploadId: string,
		parts: Array<{partNumber: number; etag: string}>,
	): Promise<void>;
	abort(bucket: string, key: string, uploadId: string): Promise<void>;
};

/** An object's bytes as a stream (restore reads big objects without holding them). undefined when missing. */
export type ObjectStreamOpener = (
	bucket: string,
	key: string,
) => Promise<{size: number; metadata: Record<string, string>; stream: import('node:stream').Readable} | undefined>;

// ---- EC2 side: what the server dispatches to ----

export type Ec2Request = {
	account: SandboxAccount;
	region: SandboxRegion;
	action: string;
	params: URLSearchParams;
	requestId: string;
};

export type Ec2Response = {status: number; body: string};

export type Ec2ServiceContext = {
	dir: string;
	accounts: SandboxAccount[];
	objects: ObjectStore;
	multipart: MultipartWriter;
	openObjectStream: ObjectStreamOpener;
	pace: SandboxPace;
	/** How long a finished bundle task stays listed (ms); default 3 days. */
	finishedTaskRetentionMs?: number | undefined;
};

export type Ec2Service = {
	/** Returns the XML response, or the EC2 error XML for SandboxError (never throws for client errors). */
	handle(request: Ec2Request): Promise<Ec2Response>;
	/** Stops running bundle tasks' timers/streams and persists state. */
	close(): Promise<void>;
};
