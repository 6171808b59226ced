import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {eligibilityProblem, listInstances} from '../../source/aws/instances.js';
import {sandboxRegions} from '../../source/sandbox/contracts.js';
import {startTestServices, type TestServices} from '../helpers/services.js';
import {sandboxContext} from './support.js';

let fixture: TestServices;

beforeAll(async () => {
	fixture = await startTestServices({region: 'us-west-2'});
});

afterAll(async () => {
	await fixture?.close();
});

describe('account and regions', () => {
	test('whoami reports the sandbox account through STS GetCallerIdentity', async () => {
		const account = await fixture.services.whoami();
		expect(account.accountId).toBe(fixture.sandbox.accounts[0]!.id);
		expect(account.mode).toBe('sandbox');
		expect(fixture.sandbox.requestLog().some((entry) => entry.action === 'GetCallerIdentity')).toBe(true);
	});

	test('the sandbox keys are not temporary credentials', async () => {
		expect(await fixture.services.usesTemporaryCredentials()).toBe(false);
	});

	test('listRegions lists the sandbox regions, sorted', async () => {
		expect(await fixture.services.listRegions()).toEqual([...sandboxRegions].sort());
	});

	test('defaultRegion is the region asked for', () => {
		expect(fixture.services.defaultRegion).toBe('us-west-2');
	});
});

describe('listInstances', () => {
	test('every seeded instance with eligibility and the reason when ineligible', async () => {
		const instances = await fixture.services.listInstances('eu-west-1');
		const byName = new Map(instances.map((instance) => [instance.name, instance]));
		expect(instances.every((instance) => instance.region === 'eu-west-1')).toBe(true);
		expect(byName.get('web01')).toMatchObject({
			eligible: true,
			ineligibleReason: undefined,
			platform: 'windows',
			rootDeviceType: 'instance-store',
			state: 'running',
		});
		expect(byName.get('web01')?.availabilityZone).toMatch(/^eu-west-1[a-c]$/);
		expect(byName.get('web01')?.launchTime).toBeInstanceOf(Date);
		expect(byName.get('dc01')).toMatchObject({
			eligible: false,
			ineligibleReason: 'EBS-backed: use CreateImage instead',
		});
		expect(byName.get('build01')).toMatchObject({eligible: false, ineligibleReason: 'Not Windows', platform: 'linux'});
		expect(byName.get('file01')).toMatchObject({eligible: false, ineligibleReason: 'Not running (stopped)'});
		expect(instances.filter((instance) => instance.eligible).length).toBeGreaterThanOrEqual(3);
	});

	test('follows NextToken across pages', async () => {
		const all = await fixture.services.listInstances('us-east-1');
		fixture.sandbox.clearRequestLog();
		// Services keeps its page size at 1000; call the same operation with a tiny one.
		const context = sandboxContext(fixture.sandbox);
		const paged = await listInstances(context, 'us-east-1', undefined, 5).finally(() => context.clients.close());
		const calls = fixture.sandbox.requestLog().filter((entry) => entry.action === 'DescribeInstances');
		expect(calls.length).toBe(Math.ceil(all.length / 5));
		expect(paged.map((instance) => instance.id).sort()).toEqual(all.map((instance) => instance.id).sort());
	});

	test('an aborted listing rejects with AppError Aborted', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(fixture.services.listInstances('us-east-1', controller.signal)).rejects.toMatchObject({
			name: 'AppError',
			code: 'Aborted',
		});
	});
});

describe('eligibilityProblem', () => {
	test.each([
		['windows', 'instance-store', 'running', undefined],
		['linux', 'instance-store', 'running', 'Not Windows'],
		['windows', 'ebs', 'running', 'EBS-backed: use CreateImage instead'],
		['windows', 'instance-store', 'stopped', 'Not running (stopped)'],
		['windows', 'instance-store', 'pending', 'Not running (pending)'],
	] as const)('%s %s %s -> %s', (platform, root, state, reason) => {
		expect(eligibilityProblem(platform, root, state)).toBe(reason);
	});
});
