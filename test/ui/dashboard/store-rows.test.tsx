/**
 * The dashboard's rows of the image -> S3 path against the in-process sandbox: a saved chain (CreateImage done,
 * store not started: bundledeck was closed) continues by itself and moves through its phases in one row; a bundle
 * and a store task progress side by side in two regions; a poll cycle stays bounded whatever the number of rows.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import type {Services} from '../../../source/core/services.js';
import type {RestoredImage} from '../../../source/core/work-model.js';
import {openStoreChains} from '../../../source/store/store-chains.js';
import {findInstance} from '../../aws/support.js';
import {keys} from '../../helpers/keys.js';
import {frameHeight} from '../../helpers/render.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let env: TestServices | undefined;
let harness: DashboardHarness | undefined;
let dir: string | undefined;
afterEach(async () => {
	harness?.cleanup();
	harness = undefined;
	await env?.close();
	env = undefined;
	if (dir) {
		rmSync(dir, {recursive: true, force: true});
		dir = undefined;
	}
});

/** A chain as `store` leaves it when interrupted after CreateImage: saved, store task not started. */
async function interruptedChain(services: Services, historyDir: string, region: string, bucket: string) {
	const instance = await findInstance(services, region, 'erp01');
	const {imageId} = await services.createImage({region, instanceId: instance.id, name: `erp01 ${region}`});
	openStoreChains({cwd: historyDir, name: 'history'}).save({
		region,
		instanceId: instance.id,
		imageId,
		name: `erp01 ${region}`,
		bucket,
		noReboot: false,
		startedAt: new Date().toISOString(),
		storeStartedAt: undefined,
	});
	return imageId;
}

/** The table lines of a task (the notice and the detail pane mention its id too). */
function tableLines(frame: string, id: string): string[] {
	return frame
		.split('\n')
		.filter((line) => line.includes(id) && /^[› ] .*\b(bundle|image|store|restore|copy) +(ami|bun)-/.test(line));
}

/** An available AMI of erp01 in `region` (CreateImage, waited for). */
async function availableAmi(services: Services, region: string, name: string): Promise<string> {
	const instance = await findInstance(services, region, 'erp01');
	const {imageId} = await services.createImage({region, instanceId: instance.id, name, noReboot: true});
	await waitFor(async () => (await services.describeImages(region, [imageId]))[0]?.state === 'available', {
		timeout: 60_000,
	});
	return imageId;
}

/** An AMI of erp01 stored in `bucket` (the store task completed). */
async function storedAmi(services: Services, region: string, name: string, bucket: string): Promise<string> {
	const imageId = await availableAmi(services, region, name);
	await services.storeImage({region, imageId, bucket});
	await waitFor(async () => (await services.describeStoreTasks(region, [imageId]))[0]?.state === 'Completed', {
		timeout: 60_000,
	});
	return imageId;
}

async function startBundle(services: Services, region: string, bucket: string): Promise<string> {
	const instance = (await services.listInstances(region)).find((candidate) => candidate.eligible);
	const {task} = await services.startBundle({region, instanceId: instance!.id, bucket, prefix: 'side'});
	return task.bundleId;
}

describe('dashboard: the image -> S3 rows', () => {
	test('a saved chain continues by itself after a restart: one row, image → store → complete', async () => {
		env = await startTestServices({sandbox: {pace: {stepDelayMs: 10}}});
		dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-chain-'));
		await env.services.createBucket('chain-east', 'us-east-1');
		const imageId = await interruptedChain(env.services, dir, 'us-east-1', 'chain-east');
		harness = renderDashboard({services: env.services, historyDir: dir, columns: 120});
		const first = await harness.waitForFrame((frame) => tableLines(frame, imageId).length > 0);
		expect(first).toContain('KIND');
		expect(first).toMatch(/store\s+ami-/);
		const phases = new Set<string>();
		await harness.waitForFrame((frame) => {
			const line = tableLines(frame, imageId)[0] ?? '';
			const phase = /(image|store) \d+%|Complete/.exec(line)?.[0]?.split(' ')[0];
			if (phase) {
				phases.add(phase);
			}

			return phase === 'Complete';
		});
		expect([...phases]).toContain('Complete');
		expect(phases.has('image') || phases.has('store')).toBe(true);
		// The dashboard started the store task itself and recorded it in the chain
		const [task] = await env.services.describeStoreTasks('us-east-1', [imageId]);
		expect(task).toMatchObject({state: 'Completed', bucket: 'chain-east', objectKey: `${imageId}.bin`});
		expect(harness.chains.find('us-east-1', imageId)?.storeStartedAt).toBeDefined();
		// Still one row for the chain (no separate store-task row)
		const frame = harness.lastFrame() ?? '';
		expect(tableLines(frame, imageId)).toHaveLength(1);
	});

	test('a bundle and a store task progress side by side in two regions', async () => {
		env = await startTestServices({sandbox: {pace: {stepDelayMs: 10}}});
		await env.services.createBucket('side-east', 'us-east-1');
		await env.services.createBucket('side-west', 'us-west-2');
		const imageId = await availableAmi(env.services, 'us-east-1', 'side by side');
		const bundleId = await startBundle(env.services, 'us-west-2', 'side-west');
		await env.services.storeImage({region: 'us-east-1', imageId, bucket: 'side-east'});
		harness = renderDashboard({services: env.services, columns: 120});
		await harness.waitForFrame('1 task');
		await harness.press('g');
		await harness.waitForFrame('[x] us-east-1 (current)');
		await harness.press(keys.down, keys.space, keys.enter);
		const both = await harness.waitForFrame(
			(frame) => tableLines(frame, bundleId).length > 0 && tableLines(frame, imageId).length > 0,
		);
		expect(frameHeight(both)).toBeLessThan(24);
		const storeLine = tableLines(both, imageId)[0] ?? '';
		const bundleLine = tableLines(both, bundleId)[0] ?? '';
		expect(storeLine).toMatch(/us-east-1\s+store/);
		expect(bundleLine).toMatch(/us-west-2\s+bundle/);
		const done = await harness.waitForFrame((frame) =>
			[...tableLines(frame, bundleId), ...tableLines(frame, imageId)].every((line) => line.includes('Complete')),
		);
		expect(done).toContain('side-east');
		expect(done).toContain('side-west');
	});
});

describe('dashboard: r on a complete store task', () => {
	test('restores it (name prefilled from the stored AMI, checked free) and follows the new AMI to available', async () => {
		env = await startTestServices({sandbox: {pace: {stepDelayMs: 0}}});
		await env.services.createBucket('restore-east', 'us-east-1');
		const imageId = await storedAmi(env.services, 'us-east-1', 'erp01 nightly', 'restore-east');
		harness = renderDashboard({services: env.services, columns: 120});
		await harness.waitForFrame((frame) => tableLines(frame, imageId).some((line) => line.includes('Complete')));
		expect(harness.lastFrame()).toContain('r restore');
		// The user's own choice of row (a key, not the first-row default) must not hide the new restore row
		await harness.press('j');
		await harness.press('r');
		// The stored AMI's own name is taken (the source AMI still exists): the next free one is offered
		const dialog = await harness.waitForFrame('erp01 nightly-restored');
		expect(dialog).toContain('ctrl+u clear');
		expect(dialog).toContain(`restore-east/${imageId}.bin`);
		await harness.press(keys.backspace.repeat(9));
		await harness.waitForFrame('already has this name');
		await harness.press(' copy');
		await harness.waitForFrame((frame) => frame.includes('erp01 nightly copy') && !frame.includes('already has'));
		await harness.press(keys.enter);
		const followed = await harness.waitForFrame(/ami-\w+ \(erp01 nightly copy\) is available in us-east-1/);
		const restoredId = /(ami-\w+) \(erp01 nightly copy\)/.exec(followed)?.[1];
		expect(restoredId).toBeDefined();
		const [image] = await env.services.describeImages('us-east-1', [restoredId!]);
		expect(image).toMatchObject({state: 'available', name: 'erp01 nightly copy'});
		expect(tableLines(harness.lastFrame() ?? '', restoredId!).join('\n')).toMatch(/restore .*Complete/);
		expect(harness.chains.find('us-east-1', imageId)?.restores?.[0]).toMatchObject({
			imageId: restoredId,
			via: 'restore',
		});
		// The new restore row is selected (as a started bundle is); D on it asks first, then DeregisterImage; the row goes
		await harness.waitForFrame(new RegExp(`› restore +${restoredId}`));
		await harness.press('D');
		await harness.waitForFrame(`Deregister ${restoredId}`);
		await harness.press('y');
		await harness.waitForFrame(`Deregistered ${restoredId}`);
		const gone = await env.services.describeImages('us-east-1', [restoredId!]).catch(() => []);
		expect(gone.filter((image) => image.state === 'available')).toEqual([]);
		expect(tableLines(harness.lastFrame() ?? '', restoredId!)).toEqual([]);
	});
});

function callCounts(test: TestServices): Map<string, number> {
	const counts = new Map<string, number>();
	for (const entry of test.sandbox.requestLog()) {
		if (entry.service === 'ec2') {
			const key = `${entry.region} ${entry.action}`;
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
	}

	return counts;
}

describe('dashboard polling with both kinds', () => {
	test('per watched region and cycle: one DescribeBundleTasks, one DescribeStoreImageTasks, at most one DescribeImages and one DescribeSnapshots, whatever the number of rows', async () => {
		env = await startTestServices({maxAttempts: 1, sandbox: {pace: {stepDelayMs: 150}}});
		dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-counts-'));
		const services = env.services;
		for (const region of ['us-east-1', 'us-west-2']) {
			await services.createBucket(`counts-${region}`, region);
			await startBundle(services, region, `counts-${region}`);
		}

		// A stored AMI in us-east-1, then three restores of it still pending: three AMIs to follow in one region
		const instance = await findInstance(services, 'us-east-1', 'erp01');
		const {imageId} = await services.createImage({
			region: 'us-east-1',
			instanceId: instance.id,
			name: 'counts',
			noReboot: true,
		});
		await waitFor(async () => (await services.describeImages('us-east-1', [imageId]))[0]?.state === 'available', {
			timeout: 60_000,
		});
		await services.storeImage({region: 'us-east-1', imageId, bucket: 'counts-us-east-1'});
		await waitFor(async () => (await services.describeStoreTasks('us-east-1', [imageId]))[0]?.state === 'Completed', {
			timeout: 60_000,
		});
		const west = await findInstance(services, 'us-west-2', 'erp01');
		const {imageId: westImage} = await services.createImage({
			region: 'us-west-2',
			instanceId: west.id,
			name: 'counts west',
			noReboot: true,
		});
		const restores: RestoredImage[] = [];
		for (const name of ['counts a', 'counts b', 'counts c']) {
			const restored = await services.restoreImage({
				region: 'us-east-1',
				bucket: 'counts-us-east-1',
				objectKey: `${imageId}.bin`,
				name,
			});
			restores.push({
				region: 'us-east-1',
				imageId: restored.imageId,
				name,
				at: new Date().toISOString(),
				via: 'restore' as const,
				bucket: 'counts-us-east-1',
			});
		}

		const chains = openStoreChains({cwd: dir, name: 'history'});
		const base = {noReboot: true, startedAt: new Date().toISOString(), storeStartedAt: new Date().toISOString()};
		chains.save({
			...base,
			region: 'us-east-1',
			instanceId: instance.id,
			imageId,
			name: 'counts',
			bucket: 'counts-us-east-1',
			restores,
		});
		// A chain in the image phase in us-west-2 (its AMI and snapshots are followed too)
		chains.save({
			...base,
			storeStartedAt: undefined,
			region: 'us-west-2',
			instanceId: west.id,
			imageId: westImage,
			name: 'counts west',
			bucket: 'counts-us-west-2',
		});
		const cycles = new Map<string, number>();
		env.sandbox.clearRequestLog();
		harness = renderDashboard({
			services,
			historyDir: dir,
			columns: 120,
			settings: undefined,
			config: {
				onCycle(regions) {
					for (const region of regions) {
						cycles.set(region, (cycles.get(region) ?? 0) + 1);
					}
				},
			},
		});
		await harness.press('g');
		await harness.waitForFrame('[x] us-east-1 (current)');
		await harness.press(keys.down, keys.space, keys.enter);
		const frame = await harness.waitForFrame(
			(current) =>
				restores.every((restore) => tableLines(current, restore.imageId).length === 1) &&
				tableLines(current, westImage).length === 1,
		);
		expect(tableLines(frame, westImage)[0]).toMatch(/store +ami-\S+ .*image/);
		await waitFor(() => (cycles.get('us-west-2') ?? 0) >= 4);
		harness.cleanup();
		harness = undefined;
		// In-flight requests finish after unmount; then the counts are final
		await waitFor(() => {
			const counts = callCounts(env!);
			return ['us-east-1', 'us-west-2'].every(
				(region) => counts.get(`${region} DescribeBundleTasks`) === cycles.get(region),
			);
		});
		await new Promise((resolve) => {
			setTimeout(resolve, 500);
		});
		const counts = callCounts(env);
		for (const region of ['us-east-1', 'us-west-2']) {
			const cycleCount = cycles.get(region) ?? 0;
			expect(counts.get(`${region} DescribeBundleTasks`)).toBe(cycleCount);
			expect(counts.get(`${region} DescribeStoreImageTasks`)).toBe(cycleCount);
			// storeImage checks the AMI once before CreateStoreImageTask: one more for each chain the dashboard continued
			const continued = counts.get(`${region} CreateStoreImageTask`) ?? 0;
			expect(continued).toBeLessThanOrEqual(1);
			expect(counts.get(`${region} DescribeImages`) ?? 0).toBeLessThanOrEqual(cycleCount + continued);
			expect(counts.get(`${region} DescribeSnapshots`) ?? 0).toBeLessThanOrEqual(cycleCount);
		}

		// The followed AMIs were described: three restores in one region, in one call per cycle
		expect(counts.get('us-east-1 DescribeImages') ?? 0).toBeGreaterThan(0);
		expect(counts.get('us-west-2 DescribeImages') ?? 0).toBeGreaterThan(0);
		expect(counts.get('us-east-1 DescribeSnapshots') ?? 0).toBeGreaterThan(0);
		const other = [...counts.keys()].filter(
			(key) =>
				!/ (DescribeBundleTasks|DescribeStoreImageTasks|DescribeImages|DescribeSnapshots|DescribeRegions|CreateStoreImageTask)$/.test(
					key,
				),
		);
		expect(other).toEqual([]);
	});
});

describe('dashboard: m on a complete store task', () => {
	test('copies the stored object to a bucket in another region (bytes bar) and restores it there: an available AMI', async () => {
		env = await startTestServices({sandbox: {pace: {stepDelayMs: 0}}});
		const services = env.services;
		await services.createBucket('move-east', 'us-east-1');
		const imageId = await storedAmi(services, 'us-east-1', 'erp01 to west', 'move-east');
		harness = renderDashboard({services, columns: 120});
		// Selecting the complete store task reads its object (size, stored AMI name) for the detail pane
		await harness.waitForFrame(/size +\d+(\.\d+)? MiB/);
		await harness.press('m');
		await harness.waitForFrame('› ap-southeast-2');
		await harness.press(keys.down, keys.down);
		const regions = await harness.waitForFrame('› us-west-2');
		expect(regions).not.toMatch(/^\s*. us-east-1$/m);
		await harness.press(keys.enter);
		// No bucket in us-west-2 yet: the new-bucket row, prefilled with a name in that region
		await harness.waitForFrame('› + create a new bucket');
		await harness.press(keys.enter);
		await harness.waitForFrame('move-east-us-west-2');
		await harness.press(keys.enter);
		const name = await harness.waitForFrame('then restore it there');
		expect(name).toContain('erp01 to west');
		await harness.press(keys.enter);
		const done = await harness.waitForFrame(/restoring\s+(ami-\w+)\s+in us-west-2/);
		const restoredId = /restoring\s+(ami-\w+)\s+in us-west-2/.exec(done)?.[1] ?? '';
		await waitFor(async () => (await services.describeImages('us-west-2', [restoredId]))[0]?.state === 'available');
		const [image] = await services.describeImages('us-west-2', [restoredId]);
		expect(image).toMatchObject({state: 'available', name: 'erp01 to west'});
		await harness.press(keys.escape);
		// The detail pane lists the AMI restored in the other region, followed to available
		await harness.waitForFrame(
			new RegExp(`restored ${restoredId} us-west-2 "erp01 to west" \\(copied to move-east-us-west-2\\): available`),
		);
		expect(harness.chains.find('us-east-1', imageId)?.restores?.[0]).toMatchObject({
			region: 'us-west-2',
			imageId: restoredId,
			via: 'migrate',
		});
	});
});
