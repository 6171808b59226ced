import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import {AppError} from '../../source/core/app-error.js';
import type {Services} from '../../source/core/services.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {startTestSandbox} from '../helpers/sandbox.js';
import {waitFor} from '../helpers/wait-for.js';
import {putSyntheticBundle, sandboxS3} from './support.js';

let sandbox: Sandbox;
const region = 'us-east-1';

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox?.close();
});

/** Fresh Services per test: the adaptive rate limiter remembers throttling, which must not slow other tests. */
async function servicesWith(maxAttempts: number): Promise<Services> {
	return createServices({
		mode: 'sandbox',
		endpointUrl: sandbox.endpoint,
		credentials: sandbox.credentials,
		region,
		env: {},
		maxAttempts,
	});
}

const logged = (action: string, status: number) =>
	sandbox.requestLog().filter((entry) => entry.action === action && entry.status === status);

describe('throttling', () => {
	test('EC2 RequestLimitExceeded is retried (adaptive mode) and the call succeeds once it stops', async () => {
		const services = await servicesWith(10);
		try {
			sandbox.clearRequestLog();
			sandbox.setFaults({throttleRate: 1, actions: ['DescribeBundleTasks']});
			const call = services.describeBundleTasks(region);
			await waitFor(() => logged('DescribeBundleTasks', 503).length >= 2);
			sandbox.setFaults({throttleRate: 0});
			await expect(call).resolves.toEqual([]);
			expect(logged('DescribeBundleTasks', 503).length).toBeGreaterThanOrEqual(2);
			expect(logged('DescribeBundleTasks', 200)).toHaveLength(1);
		} finally {
			sandbox.setFaults({throttleRate: 0});
			services.close();
		}
	});

	test('throttled on every attempt: AppError RequestLimitExceeded, retryable, with a request id', async () => {
		const services = await servicesWith(3);
		try {
			sandbox.clearRequestLog();
			sandbox.setFaults({throttleRate: 1, actions: ['DescribeInstances']});
			const error = await services.listInstances(region).catch((error: unknown) => error);
			expect(error).toBeInstanceOf(AppError);
			expect(error).toMatchObject({code: 'RequestLimitExceeded', retryable: true});
			expect((error as AppError).requestId).toBeTruthy();
			expect((error as AppError).toLine()).toMatch(/throttl/i);
			// maxAttempts 3: the first try and two retries.
			expect(logged('DescribeInstances', 503)).toHaveLength(3);
		} finally {
			sandbox.setFaults({throttleRate: 0});
			services.close();
		}
	});

	test('S3 SlowDown on CopyObject during a migration is retried and the migration completes', async () => {
		const services = await servicesWith(10);
		const s3 = sandboxS3(sandbox, region);
		try {
			await services.createBucket('bundledeck-throttled-source', region);
			const bundle = await putSyntheticBundle(s3, {
				bucket: 'bundledeck-throttled-source',
				prefix: 'slow',
				parts: 4,
				accountId: sandbox.accounts[0]!.id,
			});
			sandbox.clearRequestLog();
			sandbox.setFaults({throttleRate: 1, actions: ['CopyObject']});
			const migration = services.migrateBundle({
				sourceRegion: region,
				manifestLocation: bundle.manifestLocation,
				destinationRegion: 'eu-west-1',
				destinationBucket: 'bundledeck-throttled-destination',
			});
			await waitFor(() => logged('CopyObject', 503).length >= 4);
			sandbox.setFaults({throttleRate: 0});
			const result = await migration;
			expect(result).toMatchObject({copied: 5, skipped: 0});
			expect(logged('CopyObject', 200)).toHaveLength(5);
		} finally {
			sandbox.setFaults({throttleRate: 0});
			s3.destroy();
			services.close();
		}
	});
});
