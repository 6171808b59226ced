import {describe, expect, test} from 'vitest';
import {AppError} from '../../source/core/app-error.js';
import {
	bundleRetiredHint,
	catalogueCodes,
	cleanAwsMessage,
	describeAwsError,
	isBundleInstanceRetired,
} from '../../source/core/error-catalogue.js';

// Every code the reference (shared/reference/aws-bundling.md) and the brief name.
const referenceCodes = [
	'InvalidInstanceID.NotFound',
	'InvalidInstanceID.Malformed',
	'InvalidBundleID.NotFound',
	'BundlingInProgress',
	'InvalidInstanceType',
	'IncorrectInstanceState',
	'InvalidParameterValue',
	'MissingParameter',
	'InvalidFilter',
	'UnsupportedOperation',
	'AuthFailure',
	'UnauthorizedOperation',
	'DryRunOperation',
	'RequestExpired',
	'InvalidManifest',
	'InvalidAMIName.Duplicate',
	'InvalidAMIName.Malformed',
	'InvalidAMIID.NotFound',
	'IdempotentParameterMismatch',
	'RequestLimitExceeded',
	'InternalError',
	'Unavailable',
	'InvalidAction',
	'NoSuchBucket',
	'NoSuchKey',
	'AccessDenied',
	'SignatureDoesNotMatch',
	'BucketAlreadyExists',
	'BucketAlreadyOwnedByYou',
	'InvalidBucketName',
	'EntityTooLarge',
	'SlowDown',
	'InvalidAccessKeyId',
	'ExpiredToken',
	'CredentialsProviderError',
	'NoCredentials',
	'ECONNREFUSED',
	'ENOTFOUND',
	'ETIMEDOUT',
	'TimeoutError',
];

const retryableCodes = new Set([
	'RequestLimitExceeded',
	'InternalError',
	'Unavailable',
	'SlowDown',
	'ECONNREFUSED',
	'ENOTFOUND',
	'ETIMEDOUT',
	'TimeoutError',
]);

describe('describeAwsError: the catalogue', () => {
	test.each(referenceCodes)('%s has its own message and hint', (code) => {
		expect(catalogueCodes).toContain(code);
		const described = describeAwsError(code, 'Some AWS text.', {action: 'RegisterImage', region: 'eu-west-1'});
		expect(described.message.length).toBeGreaterThan(10);
		expect(described.message).not.toMatch(/\n/);
		expect(described.message).not.toMatch(/\.$/);
		expect(described.message).not.toContain('(RegisterImage failed');
		expect(described.hint.length).toBeGreaterThan(10);
		expect(described.hint).not.toContain('Look up the error code');
		expect(described.retryable).toBe(retryableCodes.has(code));
	});

	test('messages differ between codes (no catch-all text)', () => {
		const messages = new Set(referenceCodes.map((code) => describeAwsError(code, undefined).message));
		// Pairs that share wording on purpose: no credentials (2 codes) and time-outs (2 codes).
		expect(messages.size).toBeGreaterThanOrEqual(referenceCodes.length - 2);
	});

	test('cancelling a finished bundle task (IncorrectState) says why, and does not suggest trying again', () => {
		const described = describeAwsError(
			'IncorrectState',
			'Bundle task bun-fd8370b6 is complete; only a task in progress can be cancelled',
			{action: 'CancelBundleTask', resource: 'bun-fd8370b6', region: 'us-east-1'},
		);
		expect(described.message).toBe(
			'AWS refused CancelBundleTask: Bundle task bun-fd8370b6 is complete; only a task in progress can be cancelled',
		);
		expect(describeAwsError('IncorrectState', undefined, {action: 'CancelBundleTask', resource: 'bun-1'}).message).toBe(
			'AWS refused CancelBundleTask: bun-1 is not in a state that allows it',
		);
		// AWS's words already say only a task in progress can be cancelled: the hint does not say it again.
		expect(described.hint).toBe('See its state with `bundledeck tasks`.');
		expect(
			describeAwsError('IncorrectState', undefined, {action: 'CancelBundleTask', resource: 'bun-1'}).hint,
		).toContain('Only a bundle task still in progress can be cancelled');
		expect(described.hint).not.toMatch(/try again/i);
		expect(described.retryable).toBe(false);
	});

	test('context names the resource and the region', () => {
		expect(
			describeAwsError('InvalidInstanceID.NotFound', "The instance ID 'i-1234abcd' does not exist", {
				region: 'us-west-2',
				resource: 'i-1234abcd',
			}).message,
		).toBe('The instance i-1234abcd does not exist in us-west-2');
		expect(describeAwsError('NoSuchBucket', undefined, {resource: 'my-bucket'}).message).toBe(
			'The bucket my-bucket does not exist',
		);
		expect(describeAwsError('UnauthorizedOperation', undefined, {action: 'RegisterImage'})).toMatchObject({
			message: 'Your IAM identity is not allowed to call RegisterImage',
			hint: expect.stringContaining('ec2:RegisterImage'),
		});
		expect(
			describeAwsError('InvalidAMIName.Duplicate', undefined, {resource: 'web01', region: 'eu-west-1'}).message,
		).toBe('An AMI named web01 already exists in eu-west-1');
	});

	test("AWS's words are kept where they carry the detail", () => {
		const described = describeAwsError('InvalidParameterValue', 'Value (x y) for parameter prefix is invalid.');
		expect(described.message).toBe('AWS rejected a parameter value: Value (x y) for parameter prefix is invalid');
		expect(describeAwsError('InvalidManifest', 'Manifest digest mismatch').message).toContain(
			'Manifest digest mismatch',
		);
	});

	test('the dry-run "error" reads as success', () => {
		expect(
			describeAwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', {
				action: 'BundleInstance',
			}),
		).toEqual({
			message: 'The dry run succeeded: AWS would have accepted BundleInstance',
			hint: 'Run again without --dry-run to do it.',
			retryable: false,
		});
	});

	test('cancellation is not an error worth a hint', () => {
		expect(describeAwsError('AbortError', 'This operation was aborted')).toEqual({
			message: 'The operation was cancelled',
			hint: '',
			retryable: false,
		});
	});
});

describe('BundleInstance retirement', () => {
	test.each([
		[
			'UnsupportedOperation',
			'BundleInstance is no longer supported. To create an AMI, use CreateImage.',
			'BundleInstance',
		],
		['UnsupportedOperation', 'The operation is not supported.', 'BundleInstance'],
		['InvalidAction', 'The action BundleInstance is not valid for this web service.', 'BundleInstance'],
		['InvalidAction', undefined, 'DescribeBundleTasks'],
		['InvalidParameterValue', 'BundleInstance is no longer supported', 'BundleInstance'],
		['SomethingNew', 'BundleInstance is no longer supported.', undefined],
		['UnsupportedOperation', 'The action BundleInstance is not supported', undefined],
	])('%s / %j / %s', (code, raw, action) => {
		expect(isBundleInstanceRetired(code, raw, action)).toBe(true);
		const described = describeAwsError(code, raw, {action, region: 'us-east-1'});
		expect(described.message).toBe(
			`AWS refused ${action ?? 'BundleInstance'} in us-east-1: AWS has retired BundleInstance on its live endpoints`,
		);
		expect(described.hint).toBe(bundleRetiredHint);
		expect(described.hint).toContain('--sandbox');
		expect(described.hint).toContain('CreateImage');
		expect(described.retryable).toBe(false);
	});

	test.each([
		['UnsupportedOperation', 'The instance type is not supported in this zone', 'RunInstances'],
		['InvalidAction', undefined, 'RegisterImage'],
		['InternalError', undefined, 'BundleInstance'],
		['UnsupportedOperation', 'Feature X is no longer supported', 'CopyImage'],
	])('not a retirement: %s / %j / %s', (code, raw, action) => {
		expect(isBundleInstanceRetired(code, raw, action)).toBe(false);
		expect(describeAwsError(code, raw, {action}).hint).not.toBe(bundleRetiredHint);
	});
});

describe('codes aws/ uses for failures without an AWS code', () => {
	test.each(['NetworkError', 'BadRequest', 'UnknownError', 'InvalidResponse', 'UnexpectedError', 'Aborted'])(
		'%s has its own wording',
		(code) => {
			expect(catalogueCodes).toContain(code);
			expect(describeAwsError(code, 'x', {operation: 'HeadBucket'}).hint).not.toContain('Look up the error code');
		},
	);

	test('a network error takes the wording of the system error it names', () => {
		expect(describeAwsError('NetworkError', 'connect ECONNREFUSED 127.0.0.1:4566')).toEqual(
			describeAwsError('ECONNREFUSED', undefined),
		);
		expect(describeAwsError('NetworkError', 'getaddrinfo ENOTFOUND ec2.nowhere.amazonaws.com').message).toBe(
			'Could not resolve the host name of the AWS endpoint',
		);
		expect(describeAwsError('NetworkError', 'socket hang up')).toMatchObject({
			message: 'Could not reach AWS over the network: socket hang up',
			retryable: true,
		});
	});

	test('`operation` is accepted as another name for `action`', () => {
		expect(describeAwsError('InvalidAction', undefined, {operation: 'BundleInstance'}).hint).toBe(bundleRetiredHint);
		expect(describeAwsError('Weird', 'x', {operation: 'CopyImage'}).message).toBe('CopyImage failed: x (Weird)');
		expect(describeAwsError('Weird', 'x', {operation: 'CopyImage', action: 'RegisterImage'}).message).toBe(
			'RegisterImage failed: x (Weird)',
		);
	});
});

describe('credentials problems', () => {
	test('no credentials points to profiles and --sandbox', () => {
		const described = describeAwsError('CredentialsProviderError', 'Could not load credentials from any providers');
		expect(described.message).toBe('No AWS credentials were found');
		expect(described.hint).toContain('--sandbox');
		expect(described.hint).toContain('--profile');
	});

	test('expired SSO session', () => {
		const described = describeAwsError(
			'CredentialsProviderError',
			'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login.',
		);
		expect(described.message).toBe('Your AWS SSO session has expired or was never started');
		expect(described.hint).toContain('aws sso login');
	});

	test('unknown profile', () => {
		expect(
			describeAwsError(
				'CredentialsProviderError',
				'Profile staging could not be found or parsed in shared credentials file.',
			).message,
		).toBe("The AWS profile 'staging' was not found in ~/.aws/config or ~/.aws/credentials");
	});

	test('expired token', () => {
		expect(describeAwsError('ExpiredToken', 'The provided token has expired.').hint).toContain('aws sso login');
	});
});

describe('unknown codes', () => {
	test("keep AWS's own message and the code", () => {
		const described = describeAwsError('Gremlins.Detected', 'Gremlins were detected in the rack.', {
			action: 'CopyImage',
			region: 'eu-west-1',
		});
		expect(described.message).toBe(
			'CopyImage failed in eu-west-1: Gremlins were detected in the rack (Gremlins.Detected)',
		);
		expect(described.hint).toContain('Gremlins.Detected');
		expect(described.retryable).toBe(false);
	});

	test('without a message or a code', () => {
		expect(describeAwsError('Weird', undefined).message).toBe(
			'The request failed: AWS returned Weird without a message',
		);
		expect(describeAwsError('', undefined)).toMatchObject({
			message: 'The request failed: AWS returned an error without a message',
			hint: 'Try again.',
		});
	});

	test.each([
		['Weird', 503, true],
		['Weird', 500, true],
		['Weird', 429, true],
		['Weird', 400, false],
		['Weird', undefined, false],
		['SomethingThrottled', undefined, true],
		['ProvisionedThroughputExceededException', undefined, false],
		['ServerTimeout', 400, true],
	])('%s with status %s retryable: %s', (code, httpStatus, retryable) => {
		expect(describeAwsError(code, 'x', {httpStatus}).retryable).toBe(retryable);
	});
});

describe('no secrets reach a message', () => {
	const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

	test.each(['Gremlins', 'InvalidParameterValue', 'IncorrectInstanceState', 'InvalidManifest'])('%s', (code) => {
		const described = describeAwsError(
			code,
			`Bad value Storage.S3.UploadPolicySignature=0g+EiGGuFlHHy+I/tcGYFsORXcs= for key ${secret}`,
			{resource: 'X-Amz-Signature=abcdef0123456789'},
		);
		const text = `${described.message} ${described.hint}`;
		expect(text).not.toContain('0g+EiGGuFlHHy+I/tcGYFsORXcs=');
		expect(text).not.toContain(secret);
		expect(text).not.toContain('abcdef0123456789');
	});
});

test('cleanAwsMessage collapses whitespace, drops the final period and bounds the length', () => {
	expect(cleanAwsMessage('  The   bucket\n does not exist.  ')).toBe('The bucket does not exist');
	expect(cleanAwsMessage(undefined)).toBe('');
	const long = cleanAwsMessage('x'.repeat(1000), 50);
	expect(long).toHaveLength(50);
	expect(long.endsWith('…')).toBe(true);
});

test('an AppError built from the catalogue reads as one line', () => {
	const described = describeAwsError('NoSuchBucket', 'The specified bucket does not exist', {resource: 'my-bucket'});
	const error = new AppError({code: 'NoSuchBucket', ...described, requestId: 'REQ123'});
	expect(error.toLine()).toBe(
		'The bucket my-bucket does not exist — check the bucket name; bundling into a new bucket creates it (EC2 does, and the wizard offers to). (request id REQ123)',
	);
});
