import {createHash} from 'node:crypto';
import {Sha256} from '@aws-crypto/sha256-js';
import {DescribeRegionsCommand, EC2ServiceException} from '@aws-sdk/client-ec2';
import {GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3ServiceException} from '@aws-sdk/client-s3';
import {GetCallerIdentityCommand, STSServiceException} from '@aws-sdk/client-sts';
import {SignatureV4} from '@smithy/signature-v4';
import {describe, expect, test} from 'vitest';
import {defaultAccount} from '../../source/sandbox/accounts.js';
import {ec2Client, s3Client, sandboxWithBucket, stsClient} from '../helpers/sandbox.js';

const bucket = 'sig-bucket';
const wrongSecret = {
	accessKeyId: defaultAccount.accessKeyId,
	secretAccessKey: 'not-the-right-secret-key-0000000000000000',
};
const unknownKey = {accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: defaultAccount.secretAccessKey};

const {sandbox, s3} = await sandboxWithBucket(bucket);
await s3.send(new PutObjectCommand({Bucket: bucket, Key: 'k', Body: 'v'}));

async function rejection<T>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
	const error = await promise.then(
		() => undefined,
		(error_: unknown) => error_,
	);
	expect(error, 'the request should have been rejected').toBeInstanceOf(type);
	return error as T;
}

function signer(service: string, region = 'us-east-1', secret = defaultAccount.secretAccessKey) {
	return new SignatureV4({
		credentials: {accessKeyId: defaultAccount.accessKeyId, secretAccessKey: secret},
		region,
		service,
		sha256: Sha256,
		uriEscapePath: service !== 's3',
		applyChecksum: service === 's3',
	});
}

function requestFor(path: string, method: string, headers: Record<string, string>, body?: string) {
	const url = new URL(sandbox.endpoint);
	return {
		method,
		protocol: 'http:',
		hostname: url.hostname,
		port: Number(url.port),
		path,
		query: {},
		headers: {host: url.host, ...headers},
		body,
	};
}

async function send(signed: {method: string; path: string; headers: Record<string, string>; body?: unknown}) {
	const {host: _host, ...headers} = signed.headers;
	return fetch(`${sandbox.endpoint}${signed.path}`, {
		method: signed.method,
		headers,
		body: signed.body as string | undefined,
	});
}

const describeRegionsBody = 'Action=DescribeRegions&Version=2016-11-15';
const formType = {'content-type': 'application/x-www-form-urlencoded; charset=utf-8'};

describe('EC2 Query API', () => {
	test('a correctly signed request (hand-signed with @smithy/signature-v4) is accepted', async () => {
		const signed = await signer('ec2').sign(requestFor('/', 'POST', formType, describeRegionsBody));
		const response = await send(signed);
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('<DescribeRegionsResponse');
	});

	test('a signed GET with the parameters in the query string is accepted too', async () => {
		const signed = await signer('ec2').sign({
			...requestFor('/', 'GET', {}),
			query: {Action: 'DescribeRegions', Version: '2016-11-15'},
		});
		const response = await fetch(`${sandbox.endpoint}/?Action=DescribeRegions&Version=2016-11-15`, {
			headers: Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host')),
		});
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('<regionName>us-east-1</regionName>');
	});

	test('wrong secret -> AuthFailure (401)', async () => {
		const error = await rejection(
			ec2Client(sandbox, 'us-east-1', {credentials: wrongSecret, maxAttempts: 1}).send(new DescribeRegionsCommand({})),
			EC2ServiceException,
		);
		expect([error.name, error.$metadata.httpStatusCode]).toEqual(['AuthFailure', 401]);
	});

	test('unknown access key -> AuthFailure naming the key, never the secret', async () => {
		const error = await rejection(
			ec2Client(sandbox, 'us-east-1', {credentials: unknownKey, maxAttempts: 1}).send(new DescribeRegionsCommand({})),
			EC2ServiceException,
		);
		expect(error.name).toBe('AuthFailure');
		expect(error.message).toContain('AKIAUNKNOWNKEY000000');
		expect(error.message).not.toContain(defaultAccount.secretAccessKey);
	});

	test('unsigned request (plain fetch) -> 401 AuthFailure EC2 error XML', async () => {
		const response = await fetch(sandbox.endpoint, {method: 'POST', headers: formType, body: describeRegionsBody});
		expect(response.status).toBe(401);
		const text = await response.text();
		expect(text).toMatch(
			/<Response><Errors><Error><Code>AuthFailure<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[\da-f-]{36}<\/RequestID><\/Response>/,
		);
	});

	test('tampered signature, and a body changed after signing -> AuthFailure', async () => {
		const signed = await signer('ec2').sign(requestFor('/', 'POST', formType, describeRegionsBody));
		const authorization = signed.headers['authorization']!;
		const last = authorization.at(-1) === '0' ? '1' : '0';
		const tampered = {...signed, headers: {...signed.headers, authorization: `${authorization.slice(0, -1)}${last}`}};
		expect((await send(tampered)).status).toBe(401);
		const changedBody = {...signed, body: 'Action=DescribeInstances&Version=2016-11-15'};
		const response = await send(changedBody);
		expect(response.status).toBe(401);
		expect(await response.text()).toContain('<Code>AuthFailure</Code>');
	});

	test('a region outside the sandbox -> AuthFailure that lists the sandbox regions', async () => {
		const error = await rejection(
			ec2Client(sandbox, 'eu-central-1', {maxAttempts: 1}).send(new DescribeRegionsCommand({})),
			EC2ServiceException,
		);
		expect(error.name).toBe('AuthFailure');
		expect(error.message).toContain("'eu-central-1'");
		expect(error.message).toContain('ap-southeast-2');
	});

	test('a request signed 20 minutes ago -> RequestExpired', async () => {
		const signed = await signer('ec2').sign(requestFor('/', 'POST', formType, describeRegionsBody), {
			signingDate: new Date(Date.now() - 20 * 60 * 1000),
		});
		const response = await send(signed);
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('<Code>RequestExpired</Code>');
	});
});

describe('S3', () => {
	test('wrong secret -> SignatureDoesNotMatch (403)', async () => {
		const error = await rejection(
			s3Client(sandbox, 'us-east-1', {credentials: wrongSecret, maxAttempts: 1}).send(new ListBucketsCommand({})),
			S3ServiceException,
		);
		expect([error.name, error.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
	});

	test('unknown access key -> InvalidAccessKeyId (403)', async () => {
		const error = await rejection(
			s3Client(sandbox, 'us-east-1', {credentials: unknownKey, maxAttempts: 1}).send(new ListBucketsCommand({})),
			S3ServiceException,
		);
		expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidAccessKeyId', 403]);
	});

	test('unsigned request (plain fetch) -> 403 AccessDenied S3 error XML', async () => {
		const response = await fetch(`${sandbox.endpoint}/${bucket}/k`);
		expect(response.status).toBe(403);
		const text = await response.text();
		expect(text).toMatch(
			/<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message><RequestId>[\dA-F]{16}<\/RequestId><HostId>[^<]+<\/HostId><\/Error>/,
		);
		expect(response.headers.get('x-amz-request-id')).toMatch(/^[\dA-F]{16}$/);
	});

	test('tampered signature -> SignatureDoesNotMatch; the untampered request works', async () => {
		const signed = await signer('s3').sign(
			requestFor(`/${bucket}/k`, 'GET', {'x-amz-content-sha256': createHash('sha256').digest('hex')}),
		);
		expect((await send(signed)).status).toBe(200);
		const authorization = signed.headers['authorization']!;
		const tampered = {
			...signed,
			headers: {
				...signed.headers,
				authorization: `${authorization.slice(0, -1)}${authorization.at(-1) === 'a' ? 'b' : 'a'}`,
			},
		};
		const response = await send(tampered);
		expect(response.status).toBe(403);
		expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
	});

	test('a body that does not match its signed x-amz-content-sha256 -> XAmzContentSHA256Mismatch, nothing stored', async () => {
		const signed = await signer('s3').sign(
			requestFor(
				`/${bucket}/mismatch`,
				'PUT',
				{'x-amz-content-sha256': createHash('sha256').update('good').digest('hex')},
				'good',
			),
		);
		const response = await send({...signed, body: 'evil'});
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
		const missing = await rejection(
			s3Client(sandbox).send(new GetObjectCommand({Bucket: bucket, Key: 'mismatch'})),
			S3ServiceException,
		);
		expect(missing.name).toBe('NoSuchKey');
	});

	test('presigned GET URL works; expired or tampered presigned URLs are refused', async () => {
		const url = new URL(sandbox.endpoint);
		const base = {
			method: 'GET',
			protocol: 'http:',
			hostname: url.hostname,
			port: Number(url.port),
			path: `/${bucket}/k`,
			query: {},
			// As the S3 presigner does: presigned URLs carry UNSIGNED-PAYLOAD (the header itself is not sent).
			headers: {host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD'},
		};
		const unsignableHeaders = new Set(['x-amz-content-sha256']);
		const toUrl = (request: {path: string; query?: Record<string, unknown>}) =>
			`${sandbox.endpoint}${request.path}?${new URLSearchParams(request.query as Record<string, string>).toString()}`;
		const good = await signer('s3').presign(base, {expiresIn: 300, unsignableHeaders});
		const ok = await fetch(toUrl(good));
		expect(ok.status).toBe(200);
		expect(await ok.text()).toBe('v');
		const expired = await signer('s3').presign(base, {
			expiresIn: 60,
			signingDate: new Date(Date.now() - 5 * 60 * 1000),
			unsignableHeaders,
		});
		const expiredResponse = await fetch(toUrl(expired));
		expect(expiredResponse.status).toBe(403);
		expect(await expiredResponse.text()).toContain('Request has expired');
		const tampered = {...good, query: {...good.query, 'X-Amz-Signature': '0'.repeat(64)}};
		const tamperedResponse = await fetch(toUrl(tampered));
		expect(tamperedResponse.status).toBe(403);
		expect(await tamperedResponse.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
	});

	test('a region outside the sandbox -> AuthorizationHeaderMalformed', async () => {
		const error = await rejection(
			s3Client(sandbox, 'sa-east-1', {maxAttempts: 1}).send(new ListBucketsCommand({})),
			S3ServiceException,
		);
		expect([error.name, error.$metadata.httpStatusCode]).toEqual(['AuthorizationHeaderMalformed', 400]);
	});
});

describe('routing', () => {
	test('a credential scope for a service the sandbox does not serve -> 400 naming it', async () => {
		const signed = await signer('iam').sign(requestFor('/', 'POST', formType, 'Action=ListUsers&Version=2010-05-08'));
		const response = await send(signed);
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('does not serve the service &apos;iam&apos;');
	});

	test('an unsigned STS call -> 403 MissingAuthenticationToken', async () => {
		const response = await fetch(sandbox.endpoint, {
			method: 'POST',
			headers: formType,
			body: 'Action=GetCallerIdentity&Version=2011-06-15',
		});
		expect(response.status).toBe(403);
		expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
	});
});

describe('STS', () => {
	test('GetCallerIdentity reports the account; a wrong secret is SignatureDoesNotMatch', async () => {
		const identity = await stsClient(sandbox).send(new GetCallerIdentityCommand({}));
		expect(identity.Account).toBe(defaultAccount.id);
		expect(identity.Arn).toBe(`arn:aws:iam::${defaultAccount.id}:user/${defaultAccount.name}`);
		const error = await rejection(
			stsClient(sandbox, 'us-east-1', {credentials: wrongSecret, maxAttempts: 1}).send(
				new GetCallerIdentityCommand({}),
			),
			STSServiceException,
		);
		expect([error.name, error.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
	});
});
