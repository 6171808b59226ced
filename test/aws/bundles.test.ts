import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import {seededForeignBuckets} from '../../source/sandbox/accounts.js';
import {rejection} from '../helpers/rejection.js';
import {startTestServices, type TestServices} from '../helpers/services.js';
import {findInstance, waitForTask} from './support.js';

let fixture: TestServices;
const region = 'us-east-1';

beforeAll(async () => {
	fixture = await startTestServices({region, sandbox: {pace: {imageSize: 3 * 1024 * 1024, stepDelayMs: 0}}});
});

afterAll(async () => {
	await fixture?.close();
});

describe('preflightBundle (BundleInstance DryRun)', () => {
	test('resolves for an eligible instance and starts nothing', async () => {
		const web01 = await findInstance(fixture.services, region, 'web01');
		fixture.sandbox.clearRequestLog();
		await fixture.services.preflightBundle({region, instanceId: web01.id, bucket: 'bundledeck-dry', prefix: 'dry'});
		expect(fixture.sandbox.requestLog().map((entry) => entry.action)).toEqual(['BundleInstance']);
		const tasks = await fixture.services.describeBundleTasks(region);
		expect(tasks.some((task) => task.instanceId === web01.id)).toBe(false);
	});

	test('an EBS-backed instance: AppError InvalidInstanceType with a request id, no secret', async () => {
		const dc01 = await findInstance(fixture.services, region, 'dc01');
		const error = await rejection(
			fixture.services.preflightBundle({region, instanceId: dc01.id, bucket: 'bundledeck-dry', prefix: 'dry'}),
		);
		expect(error.code).toBe('InvalidInstanceType');
		expect(error.requestId).toBeTruthy();
		expect(error.toLine()).not.toContain(fixture.sandbox.credentials.secretAccessKey);
	});

	test('a stopped instance: IncorrectInstanceState', async () => {
		const file01 = await findInstance(fixture.services, region, 'file01');
		const error = await rejection(
			fixture.services.preflightBundle({region, instanceId: file01.id, bucket: 'bundledeck-dry', prefix: 'dry'}),
		);
		expect(error.code).toBe('IncorrectInstanceState');
	});

	test('a missing instance: InvalidInstanceID.NotFound', async () => {
		const error = await rejection(
			fixture.services.preflightBundle({
				region,
				instanceId: 'i-0123456789abcdef0',
				bucket: 'bundledeck-dry',
				prefix: 'dry',
			}),
		);
		expect(error.code).toBe('InvalidInstanceID.NotFound');
		expect(error.requestId).toBeTruthy();
	});
});

describe('startBundle -> describeBundleTasks -> complete', () => {
	test('bundles into a new bucket with a signed policy; the task completes with a readable manifest', async () => {
		const web02 = await findInstance(fixture.services, region, 'web02');
		const before = Date.now();
		const started = await fixture.services.startBundle({
			region,
			instanceId: web02.id,
			bucket: 'bundledeck-start',
			prefix: 'images/web02',
		});
		expect(started.task).toMatchObject({
			instanceId: web02.id,
			region,
			bucket: 'bundledeck-start',
			prefix: 'images/web02',
			error: undefined,
		});
		expect(started.task.bundleId).toMatch(/^bun-[0-9a-f]+$/);
		expect(started.temporaryCredentials).toBe(false);
		const lifetime = started.policyExpiry.getTime() - before;
		expect(lifetime).toBeGreaterThanOrEqual(24 * 3_600_000 - 60_000);
		expect(lifetime).toBeLessThanOrEqual(24 * 3_600_000 + 60_000);

		const done = await waitForTask(fixture.services, region, started.task.bundleId);
		expect(done.error).toBeUndefined();
		expect(done.state).toBe('complete');
		expect(done.progress).toBe(100);
		// The parts were uploaded with the policy we signed: a double-encoded policy would have been refused.
		const manifest = await fixture.services.readManifest(region, 'bundledeck-start/images/web02.manifest.xml');
		expect(manifest.partCount).toBeGreaterThanOrEqual(1);
		expect(manifest.architecture).toBe('x86_64');
		expect(await fixture.services.prefixTaken('bundledeck-start', 'images/web02')).toBe(true);
	});

	test('a custom policy lifetime is honoured', async () => {
		const app01 = await findInstance(fixture.services, region, 'app01');
		const before = Date.now();
		const started = await fixture.services.startBundle({
			region,
			instanceId: app01.id,
			bucket: 'bundledeck-start',
			prefix: 'app01-short',
			expiryMs: 12 * 3_600_000,
		});
		const lifetime = started.policyExpiry.getTime() - before;
		expect(lifetime).toBeGreaterThanOrEqual(12 * 3_600_000 - 60_000);
		expect(lifetime).toBeLessThanOrEqual(12 * 3_600_000 + 60_000);
		await waitForTask(fixture.services, region, started.task.bundleId);
	});

	test('describeBundleTasks makes exactly one DescribeBundleTasks call, with or without ids', async () => {
		fixture.sandbox.clearRequestLog();
		const all = await fixture.services.describeBundleTasks(region);
		expect(fixture.sandbox.requestLog().filter((entry) => entry.action === 'DescribeBundleTasks')).toHaveLength(1);
		expect(all.length).toBeGreaterThanOrEqual(2);
		fixture.sandbox.clearRequestLog();
		const some = await fixture.services.describeBundleTasks(
			region,
			all.map((task) => task.bundleId),
		);
		expect(fixture.sandbox.requestLog()).toHaveLength(1);
		expect(some.map((task) => task.bundleId).sort()).toEqual(all.map((task) => task.bundleId).sort());
		expect(await fixture.services.describeBundleTasks('eu-west-1')).toEqual([]);
	});

	test('bundling an instance that is already bundling: BundlingInProgress', async () => {
		const app02 = await findInstance(fixture.services, region, 'app02');
		const first = await fixture.services.startBundle({
			region,
			instanceId: app02.id,
			bucket: 'bundledeck-start',
			prefix: 'app02-a',
		});
		const error = await rejection(
			fixture.services.startBundle({region, instanceId: app02.id, bucket: 'bundledeck-start', prefix: 'app02-b'}),
		);
		expect(error.code).toBe('BundlingInProgress');
		await waitForTask(fixture.services, region, first.task.bundleId);
	});
});

describe('failure modes', () => {
	test("bundling into another account's bucket: probe says foreign, and the task fails", async () => {
		const foreign = seededForeignBuckets[0]!.name;
		expect(await fixture.services.probeBucket(foreign)).toEqual({status: 'foreign'});
		const sql01 = await findInstance(fixture.services, region, 'sql01');
		const started = await fixture.services.startBundle({region, instanceId: sql01.id, bucket: foreign, prefix: 'x'});
		const done = await waitForTask(fixture.services, region, started.task.bundleId);
		expect(done.state).toBe('failed');
		expect(done.error?.code).toBeTruthy();
		expect(done.error?.message).toBeTruthy();
	});

	test('cancelling an unknown bundle: InvalidBundleID.NotFound', async () => {
		const error = await rejection(fixture.services.cancelBundle(region, 'bun-0123abcd'));
		expect(error.code).toBe('InvalidBundleID.NotFound');
	});

	test('a wrong secret key: AuthFailure with a request id and no secret in the message', async () => {
		const wrongSecret = 'ThisIsNotTheSandboxSecretKeyAtAll0000000';
		// mode 'aws' with an explicit endpoint: sandbox mode would already refuse at start (its region check).
		const services = await createServices({
			mode: 'aws',
			endpointUrl: fixture.sandbox.endpoint,
			credentials: {accessKeyId: fixture.sandbox.credentials.accessKeyId, secretAccessKey: wrongSecret},
			region,
			env: {},
			maxAttempts: 1,
		});
		try {
			const error = await rejection(services.listInstances(region));
			expect(error.code).toBe('AuthFailure');
			expect(error.requestId).toBeTruthy();
			expect(`${error.toLine()} ${error.hint ?? ''}`).not.toContain(wrongSecret);
		} finally {
			services.close();
		}
	});

	test('an endpoint nobody listens on: NetworkError, retryable', async () => {
		const services = await createServices({
			mode: 'aws',
			endpointUrl: 'http://127.0.0.1:9',
			credentials: fixture.sandbox.credentials,
			region,
			env: {},
			maxAttempts: 1,
		});
		try {
			const error = await rejection(services.describeBundleTasks(region));
			expect(error.code).toBe('NetworkError');
			expect(error.retryable).toBe(true);
		} finally {
			services.close();
		}
	});
});

describe('temporary credentials', () => {
	test('a session token marks the credentials temporary, and startBundle says so', async () => {
		const services = await createServices({
			mode: 'sandbox',
			endpointUrl: fixture.sandbox.endpoint,
			credentials: {...fixture.sandbox.credentials, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN'},
			region,
			env: {},
		});
		try {
			expect(await services.usesTemporaryCredentials()).toBe(true);
			const web01 = await findInstance(services, region, 'web01');
			const started = await services.startBundle({
				region,
				instanceId: web01.id,
				bucket: 'bundledeck-temporary',
				prefix: 'temp',
			});
			expect(started.temporaryCredentials).toBe(true);
			await waitForTask(services, region, started.task.bundleId);
		} finally {
			services.close();
		}
	});
});
