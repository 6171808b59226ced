import {EC2ServiceException} from '@aws-sdk/client-ec2';
import {S3ServiceException} from '@aws-sdk/client-s3';
import {describe, expect, test} from 'vitest';
import {toAppError} from '../../source/aws/errors.js';
import {AppError} from '../../source/core/app-error.js';

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const sessionToken = 'FQoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789';

function ec2Error(name: string, message: string, status = 400, requestId = 'req-0001') {
	return new EC2ServiceException({
		name,
		message,
		$fault: status >= 500 ? 'server' : 'client',
		$metadata: {httpStatusCode: status, requestId},
	});
}

describe('toAppError: AWS refusing BundleInstance', () => {
	test('"no longer supported" is explained in plain words and points to --sandbox', () => {
		const error = toAppError(
			ec2Error(
				'UnsupportedOperation',
				'BundleInstance is no longer supported. To create an AMI, use CreateImage.',
				400,
				'req-retired',
			),
			{operation: 'BundleInstance', region: 'us-east-1', resource: 'i-0123456789abcdef0'},
		);
		expect(error).toBeInstanceOf(AppError);
		expect(error.code).toBe('UnsupportedOperation');
		expect(error.message).toMatch(/retired|no longer support/i);
		expect(error.hint).toContain('--sandbox');
		expect(error.requestId).toBe('req-retired');
		expect(error.retryable).toBe(false);
		expect(error.toLine()).toContain('(request id req-retired)');
	});

	test('the refusal is recognised by its message even under another code', () => {
		const error = toAppError(
			ec2Error('InvalidParameterValue', 'The BundleInstance API is no longer supported for this account.'),
			{operation: 'BundleInstance', region: 'eu-west-1'},
		);
		expect(error.message).toMatch(/retired|no longer support/i);
		expect(error.hint).toContain('--sandbox');
	});
});

describe('toAppError: service errors', () => {
	test('code, request id and retryable come from the SDK error', () => {
		const error = toAppError(
			ec2Error('InvalidInstanceID.NotFound', "The instance ID 'i-0123456789abcdef0' does not exist"),
			{
				operation: 'BundleInstance',
				region: 'us-east-1',
				resource: 'i-0123456789abcdef0',
			},
		);
		expect(error.code).toBe('InvalidInstanceID.NotFound');
		expect(error.requestId).toBe('req-0001');
		expect(error.retryable).toBe(false);
		expect(error.message.length).toBeGreaterThan(0);
	});

	test('throttling and server errors are retryable', () => {
		const throttled = toAppError(ec2Error('RequestLimitExceeded', 'Request limit exceeded.', 503), {
			operation: 'DescribeBundleTasks',
			region: 'us-east-1',
		});
		expect(throttled.code).toBe('RequestLimitExceeded');
		expect(throttled.retryable).toBe(true);
		const internal = toAppError(ec2Error('InternalError', 'An internal error has occurred', 500), {
			operation: 'DescribeBundleTasks',
			region: 'us-east-1',
		});
		expect(internal.retryable).toBe(true);
	});

	test('a bodiless S3 HEAD error is named from its status', () => {
		const forbidden = new S3ServiceException({
			name: '403',
			message: 'UnknownError',
			$fault: 'client',
			$metadata: {httpStatusCode: 403, requestId: 'req-s3'},
		});
		const error = toAppError(forbidden, {operation: 'HeadBucket', resource: 'someone-elses-bucket'});
		expect(error.code).toBe('AccessDenied');
		expect(error.requestId).toBe('req-s3');
		expect(error.message).not.toContain('UnknownError');
	});

	test('secrets in an AWS message never reach the AppError', () => {
		const error = toAppError(
			ec2Error(
				'SignatureDoesNotMatch',
				`The request signature we calculated does not match. Key: ${secret} token ${sessionToken}`,
				403,
			),
			{operation: 'BundleInstance', region: 'us-east-1', secrets: [secret, sessionToken]},
		);
		const everything = `${error.message} ${error.hint ?? ''} ${error.toLine()}`;
		expect(everything).not.toContain(secret);
		expect(everything).not.toContain(sessionToken);
	});

	test('an AppError passes through unchanged', () => {
		const original = new AppError({code: 'Aborted', message: 'Stopped.'});
		expect(toAppError(original, {operation: 'CopyObject'})).toBe(original);
	});
});

describe('toAppError: failures that are not service errors', () => {
	test('no credentials: says so and points to --sandbox, aws configure and --profile', () => {
		const providerError = Object.assign(new Error('Could not load credentials from any providers'), {
			name: 'CredentialsProviderError',
			tryNextLink: false,
		});
		const error = toAppError(providerError, {operation: 'LoadCredentials'});
		expect(error.code).toBe('NoCredentials');
		expect(error.message).toMatch(/credentials/i);
		expect(error.hint).toContain('--sandbox');
		expect(error.hint).toContain('aws configure');
		expect(error.hint).toContain('--profile');
	});

	test('network errors are retryable NetworkError with the operation named', () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'});
		const error = toAppError(refused, {operation: 'DescribeInstances', region: 'us-west-2'});
		expect(error.code).toBe('NetworkError');
		expect(error.retryable).toBe(true);
		expect(error.message).toContain('DescribeInstances');
	});

	test('an abort becomes Aborted', () => {
		const abort = Object.assign(new Error('Request aborted'), {name: 'AbortError'});
		const error = toAppError(abort, {operation: 'CopyObject'});
		expect(error.code).toBe('Aborted');
		expect(error.retryable).toBe(false);
	});

	test('anything else becomes one readable line, secrets removed', () => {
		const error = toAppError(new TypeError(`boom with ${secret}`), {operation: 'ListBuckets', secrets: [secret]});
		expect(error.code).toBe('UnexpectedError');
		expect(error.message).toContain('ListBuckets');
		expect(error.message).not.toContain(secret);
	});
});
