/**
 * The error catalogue: an AWS / SDK / network error code -> one-sentence message (what failed and why), a hint
 * (what to do) and whether retrying can help. aws/ builds AppError from SDK errors with describeAwsError; the
 * sandbox's codes are AWS's, so the same text serves both modes. Pure, no I/O.
 */
import {redactSecrets} from './redact.js';

export {redactedMarker, redactSecrets} from './redact.js';

export type ErrorContext = {
	/** The API action that failed, e.g. 'BundleInstance', 'RegisterImage', 'HeadBucket'. */
	action?: string | undefined;
	/** Same as `action` (accepted for callers that call it the operation); `action` wins when both are set. */
	operation?: string | undefined;
	region?: string | undefined;
	/** What the action was about: an instance / bundle / AMI id, a bucket or an S3 location. */
	resource?: string | undefined;
	/** HTTP status of the response, when there was one (decides retryability of unknown codes). */
	httpStatus?: number | undefined;
};

export type ErrorDescription = {
	/** One sentence, no final period: what failed and why (AppError.toLine appends ' — hint'). */
	message: string;
	/** What to do about it ('' when there is nothing to do). */
	hint: string;
	/** True when trying again later can succeed unchanged (throttling, outages, network). */
	retryable: boolean;
};

/** The hint for AWS's refusal of the bundling calls. */
export const bundleRetiredHint =
	'Run with --sandbox to do the whole workflow on the local sandbox region; for real AMIs use CreateImage.';

const bundleActions = new Set(['BundleInstance', 'DescribeBundleTasks', 'CancelBundleTask']);
const refusalCodes = new Set(['UnsupportedOperation', 'InvalidAction', 'UnknownOperationException', 'NotImplemented']);

/**
 * True when AWS refused a bundling call because BundleInstance is retired: its "BundleInstance is no longer
 * supported" message, or UnsupportedOperation / InvalidAction on BundleInstance, DescribeBundleTasks or
 * CancelBundleTask.
 */
export function isBundleInstanceRetired(code: string, rawMessage: string | undefined, action?: string): boolean {
	const raw = rawMessage ?? '';
	const aboutBundling = (action !== undefined && bundleActions.has(action)) || /bundle/i.test(raw);
	if (/no longer supported/i.test(raw) && (aboutBundling || action === undefined)) {
		return true;
	}

	return refusalCodes.has(code) && aboutBundling;
}

/** AWS's message made safe to show: secrets redacted, whitespace collapsed, no trailing period, bounded length. */
export function cleanAwsMessage(rawMessage: string | undefined, maxLength = 300): string {
	if (!rawMessage) {
		return '';
	}

	const text = redactSecrets(rawMessage).replaceAll(/\s+/g, ' ').trim().replace(/\.+$/, '');
	return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

type Facts = {
	code: string;
	raw: string;
	action: string | undefined;
	region: string | undefined;
	resource: string | undefined;
	/** ' in us-east-1' or '' */
	inRegion: string;
	/** " 'x'" or '' */
	named: string;
};

type Entry = (facts: Facts) => ErrorDescription;

function describe(message: string, hint: string, retryable = false): ErrorDescription {
	return {message: message.replace(/\.+$/, ''), hint, retryable};
}

/** "<sentence>: <AWS's words>" when AWS said something, else "<sentence>". */
function withRaw(sentence: string, raw: string): string {
	return raw ? `${sentence}: ${raw}` : sentence;
}

const noCredentialsHint =
	'Set AWS_PROFILE or pass --profile, run `aws configure` or `aws sso login`, or try everything locally with --sandbox.';
const expiredCredentialsHint =
	'Refresh your credentials (for SSO: `aws sso login`), then try again; bundledeck picks them up on the next request.';
const throttledHint = 'bundledeck retries with backoff; if it keeps happening, watch fewer regions or poll less often.';
const clockHint = "Sync the computer's clock (NTP) and try again.";
const endpointHint =
	'Check the network, --endpoint-url / AWS_ENDPOINT_URL and --region; with --sandbox the local region must be running.';

const throttled: Entry = ({action}) =>
	describe(
		`AWS is throttling requests${action ? ` (${action})` : ''}, too many were sent too fast`,
		throttledHint,
		true,
	);

const serverError: Entry = ({raw, inRegion}) =>
	describe(withRaw(`AWS had an internal error${inRegion}`, raw), 'Try again in a moment.', true);

const unavailable: Entry = ({inRegion}) =>
	describe(`The service${inRegion} is unavailable at the moment`, 'Try again in a moment.', true);

const timedOut: Entry = ({action}) =>
	describe(`The request${action ? ` (${action})` : ''} timed out before AWS answered`, endpointHint, true);

const accessDenied: Entry = ({named, action}) =>
	describe(
		`S3 denied access${named ? ` to${named}` : ''}${action ? ` (${action})` : ''}`,
		'The bucket may belong to another account, or your IAM policy lacks S3 permissions for it; use a bucket you own.',
	);

const notFoundObject: Entry = ({named}) =>
	describe(
		`The S3 object${named} does not exist`,
		'Check the bucket and prefix; a bundle writes its manifest only when storing has finished.',
	);

const expiredCredentials: Entry = () => describe('Your temporary AWS credentials have expired', expiredCredentialsHint);

const wrongRegion: Entry = ({named}) =>
	describe(
		`The bucket${named} is in a different region than the one the request went to`,
		"Refresh the bucket list so bundledeck learns the bucket's region, or pick the bucket's region.",
	);

/** AWS's own words for a refused cancel already say that only a running task can be cancelled: do not repeat it. */
function cancelStateHint(action: string | undefined, raw: string): string {
	if (action !== 'CancelBundleTask') {
		return 'Check its current state, wait for it to settle, then try again.';
	}

	return raw
		? 'See its state with `bundledeck tasks`.'
		: 'Only a bundle task still in progress can be cancelled; see its state with `bundledeck tasks`.';
}

const catalogue: Record<string, Entry> = {
	// ---- EC2
	'InvalidInstanceID.NotFound': ({named, inRegion}) =>
		describe(
			`The instance${named} does not exist${inRegion}`,
			'Check the instance id and the region (--region); terminated instances disappear after a while.',
		),
	'InvalidInstanceID.Malformed': ({named}) =>
		describe(`The instance id${named} is malformed`, 'Instance ids look like i-0123456789abcdef0.'),
	'InvalidBundleID.NotFound': ({named, inRegion}) =>
		describe(
			`AWS no longer lists the bundle task${named}${inRegion}`,
			'Finished bundle tasks are listed only for a while; `bundledeck history` keeps yours, and a complete bundle can still be registered.',
		),
	BundlingInProgress: ({named}) =>
		describe(
			`The instance${named} is already being bundled`,
			'Wait for its bundle task to finish (see `bundledeck tasks`), or cancel that task first.',
		),
	InvalidInstanceType: ({named}) =>
		describe(
			`The instance${named} can't be bundled: only instance store-backed Windows instances can`,
			'Pick an instance store-backed Windows instance; for EBS-backed instances create the AMI with CreateImage.',
		),
	IncorrectInstanceState: ({raw, named}) =>
		describe(
			withRaw(`The instance${named} is not in a state that allows this`, raw),
			'Wait until the instance is running (bundling needs a running instance), then try again.',
		),
	IncorrectState: ({raw, named, action}) =>
		describe(
			raw
				? `AWS refused ${action ?? 'the request'}: ${raw}`
				: `AWS refused ${action ?? 'the request'}: ${named ? named.trim() : 'the resource'} is not in a state that allows it`,
			cancelStateHint(action, raw),
		),
	InvalidParameterValue: ({raw}) =>
		describe(withRaw('AWS rejected a parameter value', raw), 'Correct the value AWS names and try again.'),
	MissingParameter: ({raw}) =>
		describe(
			withRaw('AWS says a required parameter is missing', raw),
			'This is a bundledeck bug if you did not build the request yourself; please report it with the request id.',
		),
	InvalidFilter: ({raw}) =>
		describe(withRaw('AWS rejected a filter', raw), 'This is a bundledeck bug; please report it with the request id.'),
	UnsupportedOperation: ({raw, inRegion}) =>
		describe(
			withRaw(`AWS does not support this operation${inRegion}`, raw),
			'Check the region and the resource type; some operations are not available everywhere.',
		),
	InvalidAction: ({action, inRegion}) =>
		describe(
			`AWS does not recognise the action${action ? ` ${action}` : ''}${inRegion}`,
			'Check --endpoint-url: it may point to a service that is not EC2 or S3.',
		),
	// The raw text is the list of regions the sandbox serves (aws/errors.ts recognises the sandbox's refusal)
	SandboxRegionNotServed: ({raw, region}) =>
		describe(
			`The sandbox does not serve the region ${region ?? 'asked for'}; it serves ${raw || 'a few regions only'}`,
			'Pass --region with one of those (the sandbox emulates only them), or leave out --sandbox to use that region on real AWS.',
		),
	AuthFailure: () =>
		describe(
			'AWS could not validate your credentials',
			'Check the access key and secret (or --profile) and the system clock; `aws sts get-caller-identity` tests them.',
		),
	UnauthorizedOperation: ({action}) =>
		describe(
			`Your IAM identity is not allowed to call ${action ?? 'this operation'}`,
			`Ask for the ${action ? `ec2:${action}` : 'missing'} permission; \`aws sts decode-authorization-message\` explains the refusal.`,
		),
	DryRunOperation: ({action}) =>
		describe(
			`The dry run succeeded: AWS would have accepted ${action ?? 'the request'}`,
			'Run again without --dry-run to do it.',
		),
	RequestExpired: () =>
		describe('AWS received the request after it had expired, usually a wrong system clock', clockHint),
	RequestTimeTooSkewed: () => describe("AWS refused the request because the computer's clock is off", clockHint),
	InvalidManifest: ({raw, named}) =>
		describe(
			withRaw(`AWS could not use the bundle manifest${named}`, raw),
			'Check the manifest location (bucket/prefix.manifest.xml), that the bundle finished storing, and that its files were not changed.',
		),
	'InvalidAMIName.Duplicate': ({named, inRegion}) =>
		describe(
			`${named ? `An AMI named${named}` : 'An AMI with this name'} already exists${inRegion}`,
			'Choose another name, or deregister the existing AMI first.',
		),
	'InvalidAMIName.Malformed': ({named}) =>
		describe(
			`The AMI name${named} is not valid`,
			"Use 3-128 characters: letters, digits, spaces and ( ) [ ] . / - ' @ _.",
		),
	'InvalidAMIID.NotFound': ({named, inRegion}) =>
		describe(
			`The AMI${named} does not exist${inRegion}`,
			'Check the AMI id and the region; a just-copied AMI can take a moment to appear.',
		),
	'InvalidAMIID.Malformed': ({named}) =>
		describe(`The AMI id${named} is malformed`, 'AMI ids look like ami-0123456789abcdef0.'),
	ResourceLimitExceeded: ({raw, action}) =>
		describe(
			withRaw(`AWS refused ${action ?? 'the request'}: a limit on work in progress is reached`, raw),
			action === 'CreateRestoreImageTask'
				? 'At most 600 GB of restores run at once per account: wait for restores in progress to finish, then try again.'
				: 'At most 1,200 GB of snapshot data is stored at once per account: wait for store tasks in progress to finish (`bundledeck tasks`), then try again.',
		),
	InvalidParameter: ({raw, action}) =>
		describe(withRaw(`AWS rejected ${action ?? 'the request'}`, raw), 'Correct what AWS names and try again.'),
	'InvalidSnapshot.NotFound': ({named, inRegion}) =>
		describe(`The snapshot${named} does not exist${inRegion}`, 'Check the snapshot id and the region.'),
	'InvalidSnapshot.InUse': ({named}) =>
		describe(
			`The snapshot${named} is in use by an AMI`,
			'Deregister the AMI first; its snapshots stay until you delete them.',
		),
	IdempotentParameterMismatch: () =>
		describe(
			'AWS already has a request with this client token but different parameters',
			'Retry with a new client token (or none, and bundledeck makes one).',
		),
	RequestLimitExceeded: throttled,
	InternalError: serverError,
	InternalFailure: serverError,
	Unavailable: unavailable,
	ServiceUnavailable: unavailable,
	OptInRequired: ({inRegion}) =>
		describe(
			`Your account is not enabled${inRegion || ' for this region'}`,
			'Enable the region in the AWS account settings, or watch another region.',
		),
	InvalidClientTokenId: () =>
		describe(
			'AWS does not recognise the access key id',
			'Check the key or the profile (--profile); it may have been deleted.',
		),
	UnrecognizedClientException: () =>
		describe(
			'AWS does not recognise the access key id',
			'Check the key or the profile (--profile); it may have been deleted.',
		),
	Throttling: throttled,
	ThrottlingException: throttled,
	TooManyRequestsException: throttled,
	RequestThrottled: throttled,

	// ---- S3
	NoSuchBucket: ({named}) =>
		describe(
			`The bucket${named} does not exist`,
			'Check the bucket name; bundling into a new bucket creates it (EC2 does, and the wizard offers to).',
		),
	NoSuchKey: notFoundObject,
	NotFound: notFoundObject,
	AccessDenied: accessDenied,
	Forbidden: accessDenied,
	SignatureDoesNotMatch: () =>
		describe(
			'AWS rejected the request signature',
			'Check the secret access key (copy/paste errors are common) and the system clock.',
		),
	BucketAlreadyExists: ({named}) =>
		describe(
			`The bucket name${named} is already taken by another AWS account`,
			'Bucket names are global across all of AWS: choose another name.',
		),
	BucketAlreadyOwnedByYou: ({named}) =>
		describe(`You already own the bucket${named}`, 'Use it as it is; there is nothing to create.'),
	InvalidBucketName: ({raw, named}) =>
		describe(
			withRaw(`S3 rejected the bucket name${named}`, raw),
			'Use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.',
		),
	EntityTooLarge: () =>
		describe(
			'The upload is larger than S3 allows for one object',
			'Bundle parts are 10 MiB, so this means a corrupt upload: start the bundle again.',
		),
	SlowDown: ({named}) =>
		describe(
			`S3 asked bundledeck to slow down: too many requests${named ? ` to${named}` : ''} at once`,
			throttledHint,
			true,
		),
	InvalidAccessKeyId: () =>
		describe(
			'The AWS access key id does not exist',
			'Check the key or the profile (--profile); it may have been deleted or deactivated.',
		),
	ExpiredToken: expiredCredentials,
	ExpiredTokenException: expiredCredentials,
	TokenRefreshRequired: expiredCredentials,
	PermanentRedirect: wrongRegion,
	AuthorizationHeaderMalformed: wrongRegion,
	IllegalLocationConstraintException: ({region}) =>
		describe(
			`S3 refused to create the bucket${region ? ` in ${region}` : ''} from this endpoint`,
			'Create the bucket through the endpoint of the region it should live in.',
		),
	RequestTimeout: timedOut,

	// ---- Credentials
	CredentialsProviderError: () => describe('No AWS credentials were found', noCredentialsHint),
	NoCredentials: () => describe('No AWS credentials were found', noCredentialsHint),

	// ---- Network and client
	ECONNREFUSED: ({resource}) =>
		describe(`Could not connect to ${resource ?? 'the AWS endpoint'}: the connection was refused`, endpointHint, true),
	ENOTFOUND: ({resource}) =>
		describe(`Could not resolve the host name of ${resource ?? 'the AWS endpoint'}`, endpointHint, true),
	EAI_AGAIN: ({resource}) =>
		describe(
			`Could not resolve the host name of ${resource ?? 'the AWS endpoint'} (DNS lookup failed)`,
			endpointHint,
			true,
		),
	ETIMEDOUT: timedOut,
	TimeoutError: timedOut,
	ECONNRESET: () => describe('The connection to AWS was reset', 'Try again; check the network if it repeats.', true),
	EPIPE: () =>
		describe('The connection to AWS was closed unexpectedly', 'Try again; check the network if it repeats.', true),
	EPROTO: ({raw}) =>
		/wrong version number|http request/i.test(raw)
			? describe(
					'The endpoint answered in plain http where https was asked for (a TLS protocol error)',
					'Use http:// in --endpoint-url / AWS_ENDPOINT_URL for this endpoint, or the port that serves https.',
				)
			: describe(
					'The secure (TLS) connection to the endpoint failed',
					'Check --endpoint-url / AWS_ENDPOINT_URL: the scheme (http or https) and the port must match what the endpoint serves.',
				),
	AbortError: () => describe('The operation was cancelled', ''),
	Aborted: () => describe('The operation was cancelled', ''),
	NetworkError: ({raw, resource}) =>
		describe(withRaw(`Could not reach ${resource ?? 'AWS'} over the network`, raw), endpointHint, true),

	// ---- Codes aws/ uses for responses without a usable AWS code
	BadRequest: ({named, action}) =>
		describe(
			`AWS rejected the request${action ? ` (${action})` : ''}${named ? ` for${named}` : ''} as malformed (HTTP 400)`,
			'Check the names involved and the region; for a bucket, it may live in another region.',
		),
	UnknownError: ({raw, action}) =>
		describe(
			withRaw(`${action ?? 'The request'} failed and AWS gave no error code`, raw),
			'Try again; if it repeats, check --endpoint-url and the region.',
		),
	InvalidResponse: ({raw}) =>
		describe(
			withRaw('The endpoint sent a response bundledeck could not read', raw),
			'Check --endpoint-url / AWS_ENDPOINT_URL: it must point at EC2 or S3 (or the sandbox).',
		),
	UnexpectedError: ({raw, action}) =>
		describe(
			withRaw(`${action ?? 'The request'} failed unexpectedly`, raw),
			'Try again; if it repeats, please report it with this message.',
		),
};

/** Every code the catalogue knows (for tests and documentation). */
export const catalogueCodes: readonly string[] = Object.freeze(Object.keys(catalogue));

function facts(code: string, rawMessage: string | undefined, context: ErrorContext): Facts {
	const resource = context.resource ? cleanAwsMessage(context.resource, 120) : undefined;
	return {
		code,
		raw: cleanAwsMessage(rawMessage),
		action: context.action ?? context.operation,
		region: context.region,
		resource,
		inRegion: context.region ? ` in ${context.region}` : '',
		named: resource ? ` ${resource}` : '',
	};
}

function describeCredentialsProblem(raw: string): ErrorDescription | undefined {
	if (/\bsso\b/i.test(raw) && /expired|refresh|invalid|login/i.test(raw)) {
		return describe('Your AWS SSO session has expired or was never started', expiredCredentialsHint);
	}

	const cycle =
		/Detected a cycle attempting to resolve credentials for profile (\S+?)\.? Profiles visited: ([^\n]*)/i.exec(raw);
	if (cycle?.[1]) {
		return describe(
			`The AWS profile '${cycle[1]}' refers back to itself through source_profile (profiles visited: ${cycle[2]?.trim() || cycle[1]})`,
			'Point source_profile at a profile that has keys, credential_process or SSO of its own.',
		);
	}

	const expiredProcess = /Profile (\S+) credential_process returned expired credentials/i.exec(raw);
	if (expiredProcess?.[1]) {
		return describe(
			`The credential_process of AWS profile '${expiredProcess[1]}' returned credentials that had already expired`,
			'Make the process return fresh credentials (its Expiration must lie in the future), then retry.',
		);
	}

	const failedProcess = /Profile (\S+) credential_process failed: ?(.*)/i.exec(raw);
	if (failedProcess?.[1]) {
		const said = failedProcess[2]?.trim();
		return describe(
			`The credential_process of AWS profile '${failedProcess[1]}' failed${said ? `: ${said}` : ''}`,
			'Run that command yourself to see why; it must exit 0 and print credentials JSON (Version 1).',
		);
	}

	const profile = /profile\s+['"]?([\w.@+-]+)['"]?\s+(?:could not be found|not found)/i.exec(raw);
	if (profile?.[1]) {
		return describe(
			`The AWS profile '${profile[1]}' was not found in ~/.aws/config or ~/.aws/credentials`,
			'Check the name (--profile / AWS_PROFILE), or create it with `aws configure --profile`.',
		);
	}

	if (/could not load credentials|no credentials|unable to find credentials/i.test(raw)) {
		return describe('No AWS credentials were found', noCredentialsHint);
	}

	return undefined;
}

function guessRetryable(code: string, httpStatus: number | undefined): boolean {
	if (httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 429)) {
		return true;
	}

	return /throttl|timeout|timed ?out|unavailable|internal|slowdown|toomany/i.test(code);
}

/**
 * Message, hint and retryability for an error code from AWS, the SDK or the network. `rawMessage` is AWS's own
 * text: it is shown (redacted and cleaned) where it adds detail, and used as the message for unknown codes.
 * AWS's refusal of the bundling calls (see isBundleInstanceRetired) gets its own explanation and --sandbox hint.
 */
export function describeAwsError(
	code: string,
	rawMessage: string | undefined,
	context: ErrorContext = {},
): ErrorDescription {
	const known = facts(code, rawMessage, context);
	const {action} = known;
	if (isBundleInstanceRetired(code, rawMessage, action)) {
		return describe(
			`AWS refused ${action ?? 'BundleInstance'}${known.inRegion}: AWS has retired BundleInstance on its live endpoints`,
			bundleRetiredHint,
		);
	}

	if (code === 'NetworkError') {
		// A generic network failure whose message names the system error: use that error's wording.
		const systemCode = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EPIPE)\b/.exec(rawMessage ?? '')?.[1];
		const specific = systemCode ? catalogue[systemCode] : undefined;
		if (specific) {
			return specific(known);
		}
	}

	if (code === 'CredentialsProviderError' || code === 'NoCredentials') {
		const specific = describeCredentialsProblem(known.raw);
		if (specific) {
			return specific;
		}
	}

	const entry = catalogue[code];
	if (entry) {
		return entry(known);
	}

	const what = action ? `${action} failed` : 'The request failed';
	const detail = known.raw || `AWS returned ${code || 'an error'} without a message`;
	return describe(
		`${what}${known.inRegion}: ${detail}${code && known.raw ? ` (${code})` : ''}`,
		code ? `Look up the error code ${code} in the AWS documentation, or try again.` : 'Try again.',
		guessRetryable(code, context.httpStatus),
	);
}

/** Codes that mean the credentials themselves are bad or expired: no other check is worth making with them. */
export const credentialErrorCodes: ReadonlySet<string> = new Set([
	'NoCredentials',
	'InvalidClientTokenId',
	'UnrecognizedClientException',
	'InvalidAccessKeyId',
	'SignatureDoesNotMatch',
	'AuthFailure',
	'ExpiredToken',
	'ExpiredTokenException',
	'TokenRefreshRequired',
]);

/** Codes AWS services use for "slow down": retried with backoff, and shown as throttling rather than as a failure. */
export const throttlingCodes: ReadonlySet<string> = new Set([
	'RequestLimitExceeded',
	'Throttling',
	'ThrottlingException',
	'ThrottledException',
	'SlowDown',
	'TooManyRequestsException',
	'RequestThrottled',
	'RequestThrottledException',
	'ProvisionedThroughputExceededException',
	'BandwidthLimitExceeded',
	'EC2ThrottledException',
	'PriorRequestNotComplete',
]);

export function isThrottlingCode(code: string): boolean {
	return throttlingCodes.has(code);
}
