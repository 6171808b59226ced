/**
 * The dashboard's poll cycle and its AbortSignal, against the sandbox with a latency fault holding
 * DescribeBundleTasks: unmounting aborts the cycle in flight (the call rejects with Aborted at once instead of
 * keeping its socket until the answer), changing the watched regions aborts it too, and R during a slow cycle
 * never runs a second DescribeBundleTasks for the region at the same time. A thin wrapper around the real
 * services records each call's signal and outcome.
 */
import {afterEach, describe, expect, test} from 'vitest';
import {isAppError} from '../../../source/core/app-error.js';
import type {Services} from '../../../source/core/services.js';
import {keys} from '../../helpers/keys.js';
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

type Call = {region: string; signal: AbortSignal | undefined; outcome: string};

type Recorder = {services: Services; calls: Call[]; maxInFlight(region: string): number};

/**
 * Records every describeBundleTasks call. In flight = started, not settled and not aborted (an abort destroys the
 * request at once; only its rejection is still on its way).
 */
function recording(real: Services): Recorder {
	const calls: Call[] = [];
	const most = new Map<string, number>();
	const services: Services = Object.create(real, {
		describeBundleTasks: {
			async value(region: string, ids?: string[], signal?: AbortSignal) {
				const call: Call = {region, signal, outcome: 'pending'};
				calls.push(call);
				const live = calls.filter(
					(other) => other.region === region && other.outcome === 'pending' && !other.signal?.aborted,
				).length;
				most.set(region, Math.max(most.get(region) ?? 0, live));
				try {
					const tasks = await real.describeBundleTasks(region, ids, signal);
					call.outcome = 'ok';
					return tasks;
				} catch (error) {
					call.outcome = isAppError(error) ? error.code : 'thrown';
					throw error;
				}
			},
		},
	}) as Services;
	return {services, calls, maxInFlight: (region) => most.get(region) ?? 0};
}

/** The held sandbox makes DescribeBundleTasks wait this long: only an abort ends such a call within a test. */
const held = 60_000;

async function start(): Promise<{recorder: Recorder; dashboard: DashboardHarness; sandbox: TestServices}> {
	const sandbox = await startTestServices({maxAttempts: 1});
	env = sandbox;
	const recorder = recording(sandbox.services);
	const dashboard = renderDashboard({services: recorder.services});
	harness = dashboard;
	await dashboard.waitForFrame('0 tasks');
	await waitFor(() => recorder.calls.length > 0 && recorder.calls.every((call) => call.outcome === 'ok'));
	return {recorder, dashboard, sandbox};
}

async function pendingCall(recorder: Recorder, after: number, region = 'us-east-1'): Promise<Call> {
	return waitFor(() =>
		recorder.calls.slice(after).find((call) => call.region === region && call.outcome === 'pending'),
	);
}

describe('dashboard poll cycle and its AbortSignal', () => {
	test('unmounting during a slow poll aborts it: the call rejects with Aborted, no later call', async () => {
		const {recorder, dashboard, sandbox} = await start();
		sandbox.sandbox.setFaults({latencyMs: held, actions: ['DescribeBundleTasks']});
		const before = recorder.calls.length;
		await dashboard.press('R');
		const call = await pendingCall(recorder, before);
		expect(call.signal?.aborted).toBe(false);
		dashboard.cleanup();
		harness = undefined;
		await waitFor(() => call.outcome !== 'pending', {message: () => `outcome: ${call.outcome}`});
		expect(call.outcome).toBe('Aborted');
		expect(call.signal?.aborted).toBe(true);
		const after = recorder.calls.length;
		sandbox.sandbox.setFaults({});
		// A poll after the unmount would show up here (the fast config polls every 40-150 ms).
		await sandbox.services.describeBundleTasks('us-east-1');
		expect(recorder.calls).toHaveLength(after);
	});

	test('changing the watched regions aborts the cycle in flight', async () => {
		const {recorder, dashboard, sandbox} = await start();
		sandbox.sandbox.setFaults({latencyMs: held, actions: ['DescribeBundleTasks']});
		const before = recorder.calls.length;
		await dashboard.press('R');
		const east = await pendingCall(recorder, before);
		await dashboard.press('g');
		await dashboard.waitForFrame('[x] us-east-1 (current)');
		await dashboard.press(keys.down, keys.space, keys.enter);
		await waitFor(() => east.outcome !== 'pending', {message: () => `outcome: ${east.outcome}`});
		expect(east.outcome).toBe('Aborted');
		// The new cycle watches both regions, one call each.
		const west = await pendingCall(recorder, before, 'us-west-2');
		expect(west.signal?.aborted).toBe(false);
		expect(recorder.maxInFlight('us-east-1')).toBe(1);
		expect(recorder.maxInFlight('us-west-2')).toBe(1);
	});

	test('R during a slow cycle queues one more cycle instead of a second call at the same time', async () => {
		const {recorder, dashboard, sandbox} = await start();
		sandbox.sandbox.setFaults({latencyMs: 400, actions: ['DescribeBundleTasks']});
		const before = recorder.calls.length;
		await dashboard.press('R');
		const slow = await pendingCall(recorder, before);
		await dashboard.press('R', 'R', 'R');
		expect(slow.outcome).toBe('pending');
		// The slow call answers, then the queued cycle runs and answers too.
		await waitFor(() => {
			const since = recorder.calls.slice(before);
			return since.length >= 2 && since.slice(0, 2).every((call) => call.outcome === 'ok');
		});
		expect(recorder.maxInFlight('us-east-1')).toBe(1);
		expect(recorder.calls.slice(before).every((call) => call.outcome === 'ok' || call.outcome === 'pending')).toBe(
			true,
		);
	});
});
