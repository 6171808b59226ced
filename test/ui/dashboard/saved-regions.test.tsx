/**
 * The watched regions persist in the settings: confirming the `g` picker saves them, and a new session's dashboard
 * starts with the saved set, minus regions DescribeRegions no longer lists, always with the current region.
 */
import {afterEach, expect, test} from 'vitest';
import {AppError} from '../../../source/core/app-error.js';
import type {Services} from '../../../source/core/services.js';
import {memorySettings} from '../../../source/store/settings.js';
import {restoredWatched} from '../../../source/ui/hooks/use-saved-watched.js';
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

function describedRegions(test: TestServices): Set<string> {
	return new Set(
		test.sandbox
			.requestLog()
			.filter((entry) => entry.action === 'DescribeBundleTasks')
			.map((entry) => entry.region),
	);
}

/** Waits for a DescribeBundleTasks answered after the DescribeRegions call (the restore has had its say by then). */
async function cycleAfterRegionList(test: TestServices): Promise<void> {
	await waitFor(() => {
		const log = test.sandbox.requestLog();
		const listed = log.findIndex((entry) => entry.action === 'DescribeRegions');
		return listed >= 0 && log.slice(listed + 1).some((entry) => entry.action === 'DescribeBundleTasks');
	});
}

test('restoredWatched: keeps listed regions in saved order, drops vanished ones, always has the current region', () => {
	const available = ['eu-west-1', 'us-east-1', 'us-west-2'];
	expect(restoredWatched(['us-west-2', 'eu-west-1'], available, 'us-east-1')).toEqual([
		'us-east-1',
		'us-west-2',
		'eu-west-1',
	]);
	expect(restoredWatched(['eu-west-1', 'us-east-1', 'gone-1', 'eu-west-1'], available, 'us-east-1')).toEqual([
		'eu-west-1',
		'us-east-1',
	]);
	expect(restoredWatched(['gone-1'], available, 'us-east-1')).toEqual(['us-east-1']);
});

test('confirming the region picker saves the watched regions in the settings', async () => {
	env = await startTestServices();
	const settings = memorySettings();
	harness = renderDashboard({services: env.services, settings});
	await harness.waitForFrame('updated ');
	expect(settings.get('watchedRegions')).toBeUndefined();
	await harness.press('g');
	const picker = await harness.waitForFrame('[x] us-east-1 (current)');
	const below = /\[ \] (\S+)/.exec(picker.slice(picker.indexOf('us-east-1 (current)')))?.[1];
	expect(below).toBeTruthy();
	await harness.press(keys.down, keys.space, keys.enter);
	await harness.waitForFrame('2 regions');
	expect([...(settings.get('watchedRegions') ?? [])].sort()).toEqual(['us-east-1', below].sort());
	// Closing the picker with esc saves nothing new.
	await harness.press('g');
	await harness.waitForFrame(`[x] ${below ?? '?'}`);
	await harness.press(keys.space, keys.escape);
	await harness.waitForFrame((frame) => frame.includes('2 regions') && !frame.includes('Watched regions'));
	expect([...(settings.get('watchedRegions') ?? [])].sort()).toEqual(['us-east-1', below].sort());
});

test('a new session starts with the saved regions that still exist, plus the current region', async () => {
	env = await startTestServices();
	const instance = (await env.services.listInstances('us-west-2')).find((item) => item.eligible);
	const {task} = await env.services.startBundle({
		region: 'us-west-2',
		instanceId: instance?.id ?? '',
		bucket: 'saved-regions',
		prefix: 'west',
	});
	const settings = memorySettings({watchedRegions: ['us-west-2', 'gone-east-9']});
	harness = renderDashboard({services: env.services, settings});
	const frame = await harness.waitForFrame((text) => text.includes('2 regions') && text.includes(task.bundleId));
	expect(frame).toContain('REGION');
	await cycleAfterRegionList(env);
	expect([...describedRegions(env)].sort()).toEqual(['us-east-1', 'us-west-2']);
	// Starting from the settings does not rewrite them.
	expect(settings.get('watchedRegions')).toEqual(['us-west-2', 'gone-east-9']);
});

test('saved regions that no longer exist: the dashboard watches the current region only', async () => {
	env = await startTestServices();
	const settings = memorySettings({watchedRegions: ['gone-east-9']});
	harness = renderDashboard({services: env.services, settings});
	await cycleAfterRegionList(env);
	expect(harness.lastFrame()).not.toContain('2 regions');
	expect([...describedRegions(env)]).toEqual(['us-east-1']);
});

test('when the regions cannot be listed the dashboard keeps the current region, and says nothing alarming', async () => {
	env = await startTestServices();
	const real = env.services;
	let listed = 0;
	const services: Services = Object.create(real, {
		listRegions: {
			async value() {
				listed++;
				throw new AppError({code: 'NetworkError', message: 'Could not reach EC2', retryable: true});
			},
		},
	}) as Services;
	const settings = memorySettings({watchedRegions: ['us-west-2']});
	harness = renderDashboard({services, settings});
	await waitFor(() => listed === 1);
	await harness.waitForFrame('updated ');
	env.sandbox.clearRequestLog();
	await harness.press('R');
	await waitFor(() => describedRegions(env as TestServices).size > 0);
	expect([...describedRegions(env)]).toEqual(['us-east-1']);
	expect(harness.lastFrame()).not.toContain('Could not reach');
	expect(settings.get('watchedRegions')).toEqual(['us-west-2']);
});
