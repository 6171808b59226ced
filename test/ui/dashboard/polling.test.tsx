/**
 * Polling against the sandbox: exactly one DescribeBundleTasks per watched region per cycle (proved with the
 * sandbox's request log), throttling shown with its retry countdown while the last good data stays, recovery.
 */
import {afterEach, describe, expect, test} from 'vitest';
import {AppError} from '../../../source/core/app-error.js';
import type {Services} from '../../../source/core/services.js';
import {keys} from '../../helpers/keys.js';
import {frameHeight} from '../../helpers/render.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let env: TestServices | undefined;
let harness: DashboardHarness | undefined;
afterEach(async () => {
	harness?.cleanup();
	harness = undefined;
	await env?.close();
	env = undefined;
});

async function startBundles(services: Services, region: string, names: string[]): Promise<string[]> {
	const instances = await services.listInstances(region);
	const ids: string[] = [];
	for (const name of names) {
		const instance = instances.find((candidate) => candidate.eligible && candidate.name === name);
		if (!instance) {
			throw new Error(`no eligible ${name} in ${region}`);
		}

		const {task} = await services.startBundle({
			region,
			instanceId: instance.id,
			bucket: `poll-${region}`,
			prefix: name,
		});
		ids.push(task.bundleId);
	}

	return ids;
}

function describeCalls(test: TestServices): Map<string, number> {
	const counts = new Map<string, number>();
	for (const entry of test.sandbox.requestLog()) {
		if (entry.service === 'ec2' && entry.action === 'DescribeBundleTasks') {
			counts.set(entry.region, (counts.get(entry.region) ?? 0) + 1);
		}
	}

	return counts;
}

describe('dashboard polling', () => {
	test('one DescribeBundleTasks per watched region per cycle, whatever the number of tasks', async () => {
		env = await startTestServices({maxAttempts: 1});
		const east = await startBundles(env.services, 'us-east-1', ['web01', 'web02', 'app01']);
		const west = await startBundles(env.services, 'us-west-2', ['web01', 'app02']);
		const expected = new Map<string, number>();
		env.sandbox.clearRequestLog();
		harness = renderDashboard({
			services: env.services,
			config: {
				onCycle(regions) {
					for (const region of regions) {
						expected.set(region, (expected.get(region) ?? 0) + 1);
					}
				},
			},
		});
		await harness.waitForFrame('3 tasks');
		await harness.press('g');
		const picker = await harness.waitForFrame('[x] us-east-1 (current)');
		expect(frameHeight(picker)).toBeLessThan(24);
		await harness.press(keys.down, keys.space);
		await harness.waitForFrame('[x] us-west-2');
		await harness.press(keys.enter);
		const frame = await harness.waitForFrame('2 regions · 5 tasks');
		expect(frame).toContain('REGION');
		for (const id of [...east, ...west]) {
			expect(frame).toContain(id);
		}

		await waitFor(() => (expected.get('us-west-2') ?? 0) >= 5);
		harness.cleanup();
		harness = undefined;
		// In-flight requests finish after unmount; then the counts are final and must match the cycles exactly.
		await waitFor(() => {
			const counts = describeCalls(env!);
			return (
				counts.get('us-east-1') === expected.get('us-east-1') && counts.get('us-west-2') === expected.get('us-west-2')
			);
		});
		await new Promise((resolve) => {
			setTimeout(resolve, 500);
		});
		const counts = describeCalls(env);
		expect(counts.get('us-east-1')).toBe(expected.get('us-east-1'));
		expect(counts.get('us-west-2')).toBe(expected.get('us-west-2'));
		expect([...counts.keys()].sort()).toEqual(['us-east-1', 'us-west-2']);
		// us-east-1 was watched from the start, us-west-2 joined later: more cycles for the first, never 3 per cycle.
		expect(counts.get('us-east-1')).toBeGreaterThan(counts.get('us-west-2') ?? 0);
	});

	test('throttling: status line shows the backoff while the last good data stays; the table recovers', async () => {
		env = await startTestServices({maxAttempts: 1});
		const [bundleId] = await startBundles(env.services, 'us-east-1', ['sql01']);
		harness = renderDashboard({services: env.services, config: {backoff: {baseMs: 1500, maxMs: 3000}}});
		await harness.waitForFrame(`${bundleId ?? '?'} · us-east-1 · Complete`);
		env.sandbox.setFaults({throttleRate: 1, actions: ['DescribeBundleTasks']});
		await harness.press('R');
		const throttled = await harness.waitForFrame(/us-east-1: throttled — retrying in \d+ s/);
		expect(throttled).toContain(bundleId);
		expect(throttled).toContain('Complete');
		expect(throttled).toMatch(/showing data from \d\d:\d\d:\d\d/);
		expect(frameHeight(throttled)).toBeLessThan(24);
		env.sandbox.setFaults({throttleRate: 0});
		const recovered = await harness.waitForFrame((frame) => frame.includes('updated ') && !frame.includes('throttled'));
		expect(recovered).toContain(bundleId);
	});

	test("one region's failure does not blank the others", async () => {
		env = await startTestServices({maxAttempts: 1});
		const [eastId] = await startBundles(env.services, 'us-east-1', ['app02']);
		const [westId] = await startBundles(env.services, 'us-west-2', ['sql01']);
		// The sandbox's faults apply to every region: a wrapper makes one region unreachable (state it cannot produce).
		const broken = {west: false};
		const real = env.services;
		const services: Services = Object.create(real, {
			describeBundleTasks: {
				value: async (region: string, ids?: string[]) => {
					if (broken.west && region === 'us-west-2') {
						throw new AppError({code: 'NetworkError', message: 'Could not reach EC2 in us-west-2', retryable: true});
					}

					return real.describeBundleTasks(region, ids);
				},
			},
		}) as Services;
		harness = renderDashboard({services, config: {backoff: {baseMs: 1500, maxMs: 3000}}});
		await harness.waitForFrame('1 task ·');
		await harness.press('g');
		await harness.waitForFrame('[x] us-east-1 (current)');
		await harness.press(keys.down, keys.space, keys.enter);
		await harness.waitForFrame('2 regions · 2 tasks');
		broken.west = true;
		await harness.press('R');
		const frame = await harness.waitForFrame(/us-west-2: Could not reach EC2 in us-west-2 — retrying in \d+ s/);
		expect(frame).toContain(eastId);
		expect(frame).toContain(westId);
		broken.west = false;
		await harness.waitForFrame((text) => text.includes('2 regions · 2 tasks') && !text.includes('Could not reach'));
	});
});
