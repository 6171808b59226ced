import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {DescribeBundleTasksCommand, DescribeRegionsCommand, EC2ServiceException} from '@aws-sdk/client-ec2';
import {ListBucketsCommand, S3ServiceException} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {FaultInjector, faultsFromEnv, mergeFaults} from '../../source/sandbox/faults.js';
import {startSandbox} from '../../source/sandbox/index.js';
import {ec2Client, s3Client, startTestSandbox} from '../helpers/sandbox.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.setFaults({});
	sandbox.clearRequestLog();
});

async function rejection<T>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
	const error = await promise.then(
		() => undefined,
		(error_: unknown) => error_,
	);
	expect(error, 'the request should have failed').toBeInstanceOf(type);
	return error as T;
}

describe('injected faults', () => {
	test('throttle rate 1: EC2 RequestLimitExceeded (503) and S3 SlowDown (503); cleared at runtime', async () => {
		sandbox.setFaults({throttleRate: 1});
		const ec2 = ec2Client(sandbox, 'us-west-2', {maxAttempts: 1});
		const s3 = s3Client(sandbox, 'us-west-2', {maxAttempts: 1});
		const throttled = await rejection(ec2.send(new DescribeRegionsCommand({})), EC2ServiceException);
		expect([throttled.name, throttled.$metadata.httpStatusCode]).toEqual(['RequestLimitExceeded', 503]);
		const slow = await rejection(s3.send(new ListBucketsCommand({})), S3ServiceException);
		expect([slow.name, slow.$metadata.httpStatusCode]).toEqual(['SlowDown', 503]);
		sandbox.setFaults({});
		expect((await ec2.send(new DescribeRegionsCommand({}))).Regions?.length).toBe(4);
		ec2.destroy();
		s3.destroy();
	});

	test('server error rate 1 -> InternalError 500', async () => {
		sandbox.setFaults({serverErrorRate: 1});
		const ec2 = ec2Client(sandbox, 'us-east-1', {maxAttempts: 1});
		const error = await rejection(ec2.send(new DescribeRegionsCommand({})), EC2ServiceException);
		expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InternalError', 500]);
		ec2.destroy();
	});

	test('faults limited to one action; the request log counts every attempt of the SDK retries', async () => {
		sandbox.setFaults({throttleRate: 1, actions: ['DescribeBundleTasks']});
		const ec2 = ec2Client(sandbox, 'eu-west-1', {maxAttempts: 3});
		expect((await ec2.send(new DescribeRegionsCommand({}))).Regions?.length).toBe(4);
		const error = await rejection(ec2.send(new DescribeBundleTasksCommand({})), EC2ServiceException);
		expect(error.name).toBe('RequestLimitExceeded');
		expect(error.$metadata.attempts).toBe(3);
		const log = sandbox.requestLog();
		const bundleCalls = log.filter((entry) => entry.action === 'DescribeBundleTasks');
		expect(bundleCalls).toHaveLength(3);
		expect(
			bundleCalls.every((entry) => entry.status === 503 && entry.region === 'eu-west-1' && entry.service === 'ec2'),
		).toBe(true);
		expect(log.filter((entry) => entry.action === 'DescribeRegions')).toMatchObject([
			{service: 'ec2', region: 'eu-west-1', status: 200, accountId: sandbox.accounts[0]!.id},
		]);
		ec2.destroy();
	});

	test('latency still answers correctly', async () => {
		sandbox.setFaults({latencyMs: 20});
		const s3 = s3Client(sandbox);
		expect((await s3.send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
		expect(sandbox.requestLog()).toHaveLength(1);
		s3.destroy();
	});

	test('BUNDLEDECK_SANDBOX_THROTTLE_RATE from the environment throttles; options win over it', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-faults-env-'));
		const env = {BUNDLEDECK_SANDBOX_THROTTLE_RATE: '1'};
		const fromEnv = await startSandbox(
			{dir, pace: {bytesPerSecond: undefined, imageSize: 1024 * 1024, stepDelayMs: 0}},
			env,
		);
		try {
			const ec2 = ec2Client(fromEnv, 'us-east-1', {maxAttempts: 1});
			const error = await rejection(ec2.send(new DescribeRegionsCommand({})), EC2ServiceException);
			expect(error.name).toBe('RequestLimitExceeded');
			fromEnv.setFaults({throttleRate: 0});
			expect((await ec2.send(new DescribeRegionsCommand({}))).Regions?.length).toBe(4);
			ec2.destroy();
		} finally {
			await fromEnv.close();
			await rm(dir, {recursive: true, force: true});
		}
	});
});

describe('fault configuration', () => {
	test('env parsing and merging', () => {
		expect(
			faultsFromEnv({
				BUNDLEDECK_SANDBOX_THROTTLE_RATE: '0.25',
				BUNDLEDECK_SANDBOX_ERROR_RATE: 'x',
				BUNDLEDECK_SANDBOX_LATENCY_MS: '40',
			}),
		).toEqual({throttleRate: 0.25, serverErrorRate: undefined, latencyMs: 40, actions: undefined});
		expect(mergeFaults({throttleRate: 0.5, latencyMs: 10}, {throttleRate: 0})).toMatchObject({
			throttleRate: 0,
			latencyMs: 10,
		});
	});

	test('rates decide with the random source', () => {
		const values = [0.1, 0.9, 0.3, 0.9, 0.9];
		const injector = new FaultInjector({throttleRate: 0.5, serverErrorRate: 0.5}, () => values.shift() ?? 0.99);
		expect(injector.decide('A').failure).toBe('throttle');
		expect(injector.decide('A').failure).toBe('server-error');
		expect(injector.decide('A').failure).toBeUndefined();
	});
});
