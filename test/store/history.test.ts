import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import type {BundleTask, Image, StoreTask} from '../../source/core/types.js';
import type {StoreChain} from '../../source/core/work-model.js';
import {clearHistory, openHistory, sandboxHistoryName} from '../../source/store/history.js';
import {defaultSandboxDir} from '../../source/store/sandbox-dir.js';
import {openStoreChains} from '../../source/store/store-chains.js';

let dir: string;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundledeck-history-'));
});

afterEach(() => {
	vi.restoreAllMocks();
	fs.rmSync(dir, {recursive: true, force: true});
});

function task(overrides: Partial<BundleTask> = {}): BundleTask {
	return {
		bundleId: 'bun-0123abcd',
		instanceId: 'i-0abc1234',
		region: 'us-west-2',
		state: 'pending',
		progress: 0,
		startTime: new Date('2026-11-26T10:00:00Z'),
		updateTime: new Date('2026-11-26T10:00:00Z'),
		bucket: 'my-bucket',
		prefix: 'winami',
		error: undefined,
		...overrides,
	};
}

function chain(overrides: Partial<StoreChain> = {}): StoreChain {
	return {
		region: 'us-east-1',
		instanceId: 'i-0123456789abcdef0',
		imageId: 'ami-0123456789abcdef0',
		name: 'erp01',
		bucket: 'images',
		noReboot: false,
		startedAt: '2026-11-26T11:00:00.000Z',
		storeStartedAt: undefined,
		...overrides,
	};
}

function storeTask(overrides: Partial<StoreTask> = {}): StoreTask {
	return {
		amiId: 'ami-0123456789abcdef0',
		region: 'us-east-1',
		bucket: 'images',
		objectKey: 'ami-0123456789abcdef0.bin',
		state: 'InProgress',
		progress: 10,
		startTime: new Date('2026-11-26T11:05:00Z'),
		failureReason: undefined,
		...overrides,
	};
}

function image(overrides: Partial<Image> = {}): Image {
	return {
		imageId: 'ami-0123456789abcdef0',
		region: 'us-east-1',
		name: 'erp01',
		description: undefined,
		state: 'pending',
		imageLocation: undefined,
		architecture: 'x86_64',
		rootDeviceType: 'ebs',
		platform: 'windows',
		creationDate: undefined,
		...overrides,
	};
}

describe('entries of every kind', () => {
	test('a history file written before entries had a kind reads as bundles, and stays readable after a write', () => {
		const file = path.join(dir, 'history.json');
		const old = {
			bundleId: 'bun-0a0a0a0a',
			region: 'eu-west-1',
			instanceId: 'i-0abc1234',
			instanceName: null,
			bucket: 'old-bucket',
			prefix: 'old',
			startedAt: '2026-01-01T00:00:00.000Z',
			lastState: 'complete',
			lastProgress: 100,
			lastUpdate: '2026-01-01T01:00:00.000Z',
			error: null,
			images: [],
			migrations: [],
		};
		fs.writeFileSync(file, JSON.stringify({version: 1, entries: [old]}));
		const history = openHistory({cwd: dir, name: 'history'});
		expect(history.warning).toBeUndefined();
		expect(history.list()).toEqual([expect.objectContaining({kind: 'bundle', bundleId: 'bun-0a0a0a0a'})]);
		expect(history.get('bun-0a0a0a0a')?.lastState).toBe('complete');
		history.recordStore(chain());
		const again = openHistory({cwd: dir, name: 'history'});
		expect(again.list().map((entry) => entry.kind)).toEqual(['store', 'bundle']);
		expect(again.bundles().map((entry) => entry.bundleId)).toEqual(['bun-0a0a0a0a']);
	});

	test('a store entry follows its chain from CreateImage to the stored object; a restore its new AMI', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordStore(chain());
		history.recordTasks([image({state: 'pending'})]);
		history.recordStore(chain({storeStartedAt: '2026-11-26T11:05:00.000Z'}));
		history.recordTasks([storeTask({progress: 40})]);
		// Another bucket's store task of the same AMI is not this chain's
		history.recordTasks([storeTask({bucket: 'elsewhere', state: 'Failed', failureReason: 'no'})]);
		history.recordTasks([storeTask({state: 'Completed', progress: 100})]);
		history.recordRestore({
			region: 'eu-west-1',
			imageId: 'ami-0fedcba987654321f',
			name: 'erp01 restored',
			bucket: 'images-eu',
			objectKey: 'ami-0123456789abcdef0.bin',
			sourceImageId: 'ami-0123456789abcdef0',
			via: 'migrate',
			startedAt: '2026-11-26T12:00:00.000Z',
			lastState: 'pending',
		});
		history.recordTasks([image({imageId: 'ami-0fedcba987654321f', region: 'eu-west-1', state: 'available'})]);

		const [restore, store] = openHistory({cwd: dir, name: 'history'}).list();
		expect(store).toMatchObject({
			kind: 'store',
			instanceId: 'i-0123456789abcdef0',
			objectKey: 'ami-0123456789abcdef0.bin',
			storeStartedAt: '2026-11-26T11:05:00.000Z',
			lastState: 'complete',
			lastProgress: 100,
			failureReason: undefined,
		});
		expect(store?.kind === 'store' && store.phases.map((phase) => phase.state)).toEqual(['image', 'store', 'complete']);
		expect(restore).toMatchObject({kind: 'restore', imageId: 'ami-0fedcba987654321f', lastState: 'available'});
		// The chains view: the chain with the AMI restored from its object
		expect(openStoreChains({cwd: dir, name: 'history'}).list()).toEqual([
			expect.objectContaining({
				imageId: 'ami-0123456789abcdef0',
				restores: [expect.objectContaining({imageId: 'ami-0fedcba987654321f', via: 'migrate'})],
			}),
		]);
	});

	test('a failed store task keeps its reason', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordStore(chain({storeStartedAt: '2026-11-26T11:05:00.000Z'}));
		history.recordTask(storeTask({state: 'Failed', progress: 30, failureReason: 'The snapshot was deleted'}));
		expect(history.list()[0]).toMatchObject({lastState: 'failed', failureReason: 'The snapshot was deleted'});
	});

	test('one poll of bundles, store tasks and AMIs is one read and one write, with one flush', () => {
		const file = path.join(dir, 'history.json');
		const writer = openHistory({cwd: dir, name: 'history'});
		writer.recordBundle(task());
		writer.recordStore(chain());
		const opens = vi.spyOn(fs, 'openSync');
		const renames = vi.spyOn(fs, 'renameSync');
		const flushes = vi.spyOn(fs, 'fsyncSync');
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordTasks([task({state: 'bundling', progress: 50}), storeTask(), image({state: 'available'})]);
		expect(history.list()).toHaveLength(2);
		expect(opens.mock.calls.filter(([name, flags]) => name === file && flags === 'r')).toHaveLength(1);
		expect(renames.mock.calls.filter(([, to]) => to === file)).toHaveLength(1);
		expect(flushes.mock.calls.length).toBeLessThanOrEqual(1);
	});

	test('chains kept in their own file by an earlier version are taken into the history once, restores too', () => {
		const chainsFile = path.join(dir, 'history-chains.json');
		fs.writeFileSync(
			chainsFile,
			JSON.stringify({
				version: 1,
				chains: [
					{
						...chain(),
						restores: [
							{
								region: 'us-east-1',
								imageId: 'ami-0aaaaaaaaaaaaaaaa',
								name: 'erp01 again',
								at: '2026-11-26T13:00:00.000Z',
								via: 'restore',
								bucket: 'images',
							},
						],
					},
				],
			}),
		);
		const chains = openStoreChains({cwd: dir, name: 'history'});
		expect(fs.existsSync(chainsFile)).toBe(false);
		expect(chains.find('us-east-1', 'ami-0123456789abcdef0')).toMatchObject({
			instanceId: 'i-0123456789abcdef0',
			restores: [expect.objectContaining({imageId: 'ami-0aaaaaaaaaaaaaaaa'})],
		});
		expect(
			openHistory({cwd: dir, name: 'history'})
				.list()
				.map((entry) => entry.kind),
		).toEqual(['restore', 'store']);
	});
});

describe('openHistory', () => {
	test('revision: the same until the history changes, in this process or another (the dashboard skips list())', () => {
		const dashboard = openHistory({cwd: dir, name: 'history'});
		const cli = openHistory({cwd: dir, name: 'history'});
		const empty = dashboard.revision();
		expect(dashboard.revision()).toBe(empty);
		cli.recordBundle(task(), 'web-1');
		const one = dashboard.revision();
		expect(one).not.toBe(empty);
		// A snapshot it already holds writes nothing: the revision stays.
		cli.recordTask(task());
		expect(dashboard.revision()).toBe(one);
		dashboard.recordTask(task({state: 'bundling', progress: 42}));
		expect(cli.revision()).not.toBe(one);
		expect(cli.revision()).toBe(dashboard.revision());
	});

	test('records a bundle, its snapshots, images and migrations, and reads them back from disk', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		expect(history.warning).toBeUndefined();
		expect(history.list()).toEqual([]);

		history.recordBundle(task(), 'web-1');
		history.recordTask(task({state: 'bundling', progress: 42, updateTime: new Date('2026-11-26T10:05:00Z')}));
		history.recordTask(task({bundleId: 'bun-unknown', state: 'complete'}));
		history.recordImage('bun-0123abcd', {
			imageId: 'ami-11112222',
			region: 'us-west-2',
			name: 'win',
			kind: 'registered',
			at: '2026-11-26T11:00:00.000Z',
		});
		history.recordMigration('bun-0123abcd', {
			destinationRegion: 'eu-west-1',
			destinationBucket: 'eu-bucket',
			destinationManifestLocation: 'eu-bucket/winami.manifest.xml',
			at: '2026-11-26T12:00:00.000Z',
			complete: false,
		});
		history.recordMigration('bun-0123abcd', {
			destinationRegion: 'eu-west-1',
			destinationBucket: 'eu-bucket',
			destinationManifestLocation: 'eu-bucket/winami.manifest.xml',
			at: '2026-11-26T12:10:00.000Z',
			complete: true,
		});

		const reopened = openHistory({cwd: dir, name: 'history'});
		expect(reopened.warning).toBeUndefined();
		expect(reopened.list()).toHaveLength(1);
		expect(reopened.get('bun-unknown')).toBeUndefined();
		const entry = reopened.get('bun-0123abcd');
		expect(entry).toEqual({
			kind: 'bundle',
			bundleId: 'bun-0123abcd',
			region: 'us-west-2',
			instanceId: 'i-0abc1234',
			instanceName: 'web-1',
			bucket: 'my-bucket',
			prefix: 'winami',
			startedAt: '2026-11-26T10:00:00.000Z',
			lastState: 'bundling',
			lastProgress: 42,
			lastUpdate: '2026-11-26T10:05:00.000Z',
			error: undefined,
			images: [
				{
					imageId: 'ami-11112222',
					region: 'us-west-2',
					name: 'win',
					kind: 'registered',
					at: '2026-11-26T11:00:00.000Z',
					sourceImageId: undefined,
				},
			],
			migrations: [
				{
					destinationRegion: 'eu-west-1',
					destinationBucket: 'eu-bucket',
					destinationManifestLocation: 'eu-bucket/winami.manifest.xml',
					at: '2026-11-26T12:10:00.000Z',
					complete: true,
				},
			],
			// Each state change seen, so a restart can still draw the timeline.
			phases: [
				{state: 'pending', at: '2026-11-26T10:00:00.000Z'},
				{state: 'bundling', at: '2026-11-26T10:05:00.000Z'},
			],
		});
	});

	test('keeps the task error of a failed bundle', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordBundle(task());
		history.recordTask(task({state: 'failed', error: {code: 'Client.Error', message: 'disk full'}}));
		expect(history.get('bun-0123abcd')?.error).toEqual({code: 'Client.Error', message: 'disk full'});
		expect(history.get('bun-0123abcd')?.lastState).toBe('failed');
	});

	test('an unchanged snapshot or an unknown id does not rewrite the file', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordBundle(task());
		const file = path.join(dir, 'history.json');
		const past = new Date('2020-01-01T00:00:00Z');
		fs.utimesSync(file, past, past);
		history.recordTask(task());
		history.recordTask(task({bundleId: 'bun-unknown', state: 'complete'}));
		expect(fs.statSync(file).mtime.getTime()).toBe(past.getTime());
		history.recordTask(task({state: 'bundling', progress: 5}));
		expect(fs.statSync(file).mtime.getTime()).not.toBe(past.getTime());
	});

	test('a poll of 200 changed tasks reads the file once and writes it once, with one flush, not one per task', () => {
		const file = path.join(dir, 'history.json');
		const tasks = Array.from({length: 200}, (_, index) => task({bundleId: `bun-${String(index).padStart(8, '0')}`}));
		const writer = openHistory({cwd: dir, name: 'history'});
		for (const each of tasks) {
			writer.recordBundle(each);
		}

		const opens = vi.spyOn(fs, 'openSync');
		const renames = vi.spyOn(fs, 'renameSync');
		const flushes = vi.spyOn(fs, 'fsyncSync');
		// Opening the history, recording the poll and showing the result: the file is read once in all.
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordTasks(tasks.map((each) => ({...each, state: 'bundling', progress: 50})));
		expect(history.list()).toHaveLength(200);
		expect(history.get('bun-00000007')?.lastProgress).toBe(50);
		expect(opens.mock.calls.filter(([name, flags]) => name === file && flags === 'r')).toHaveLength(1);
		expect(renames.mock.calls.filter(([, to]) => to === file)).toHaveLength(1);
		expect(flushes.mock.calls.length).toBeLessThanOrEqual(1);
		expect(fs.readdirSync(dir)).toEqual(['history.json']);
	});

	test('a change made by another process is read at the next look', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordBundle(task());
		expect(history.list()).toHaveLength(1);
		const other = openHistory({cwd: dir, name: 'history'});
		other.recordBundle(task({bundleId: 'bun-other'}));
		expect(
			history
				.bundles()
				.map((entry) => entry.bundleId)
				.sort(),
		).toEqual(['bun-0123abcd', 'bun-other']);
	});

	test('every write replaces the file whole (a new file renamed over it), never in place', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordBundle(task());
		const file = path.join(dir, 'history.json');
		const before = fs.statSync(file).ino;
		history.recordTask(task({state: 'bundling', progress: 10}));
		expect(fs.statSync(file).ino).not.toBe(before);
		expect(fs.readdirSync(dir)).toEqual(['history.json']);
		expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
			version: 2,
			entries: [{kind: 'bundle', lastProgress: 10}],
		});
	});

	test('lists the newest bundle first', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordBundle(task({bundleId: 'bun-old', startTime: new Date('2026-01-01T00:00:00Z')}));
		history.recordBundle(task({bundleId: 'bun-new', startTime: new Date('2026-06-01T00:00:00Z')}));
		expect(history.bundles().map((entry) => entry.bundleId)).toEqual(['bun-new', 'bun-old']);
	});

	test('the file is mode 0600 and holds no secret-looking field', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordBundle(task());
		const file = path.join(dir, 'history.json');
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		history.recordTask(task({state: 'complete', progress: 100}));
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		const text = fs.readFileSync(file, 'utf8');
		expect(text).not.toMatch(/secret|signature|token|policy/i);
	});

	test('fixes the mode of an existing history file that others can read', () => {
		const file = path.join(dir, 'history.json');
		fs.writeFileSync(file, JSON.stringify({version: 1, entries: []}), {mode: 0o644});
		fs.chmodSync(file, 0o644);
		openHistory({cwd: dir, name: 'history'});
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
	});

	test.each([
		['invalid JSON', '{"entries": [', 'not valid JSON'],
		['wrong shape', JSON.stringify({entries: [{bundleId: 42}]}), 'wrong shape'],
		['not an object', '[1, 2, 3]', 'not a JSON object'],
	])('a corrupt file (%s) is moved aside with a one-line warning', (_name, content, reason) => {
		const file = path.join(dir, 'history.json');
		fs.writeFileSync(file, content);
		const history = openHistory({cwd: dir, name: 'history'});
		expect(history.list()).toEqual([]);
		const warning = history.warning ?? '';
		expect(warning).toContain(file);
		expect(warning).toContain(reason);
		expect(warning).not.toContain('\n');
		const aside = fs.readdirSync(dir).filter((name) => name.startsWith('history.json.corrupt-'));
		expect(aside).toHaveLength(1);
		expect(warning).toContain(path.join(dir, aside[0]!));
		expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(content);

		// The tool carries on: new records land in a fresh, valid file.
		history.recordBundle(task());
		expect(openHistory({cwd: dir, name: 'history'}).get('bun-0123abcd')?.bucket).toBe('my-bucket');
	});

	test('a file corrupted while running is set aside instead of crashing', () => {
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordBundle(task());
		fs.writeFileSync(path.join(dir, 'history.json'), 'garbage');
		expect(history.list()).toEqual([]);
		expect(history.warning).toContain('moved it to');
		history.recordBundle(task({bundleId: 'bun-after'}));
		expect(history.bundles().map((entry) => entry.bundleId)).toEqual(['bun-after']);
	});
});

describe('sandboxHistoryName', () => {
	test('the OS default sandbox directory keeps the name it always had', () => {
		expect(sandboxHistoryName(defaultSandboxDir({}))).toBe('history-sandbox');
		expect(sandboxHistoryName(`${defaultSandboxDir({})}${path.sep}`)).toBe('history-sandbox');
	});

	test('any other directory gets its own name, the same however the path is spelt', () => {
		const first = sandboxHistoryName(path.join(dir, 'a'));
		const second = sandboxHistoryName(path.join(dir, 'b'));
		expect(first).toMatch(/^history-sandbox-[\da-f]{12}$/);
		expect(second).toMatch(/^history-sandbox-[\da-f]{12}$/);
		expect(first).not.toBe(second);
		expect(sandboxHistoryName(path.join(dir, 'x', '..', 'a'))).toBe(first);
		expect(sandboxHistoryName(path.relative(process.cwd(), path.join(dir, 'a')))).toBe(first);
	});
});

describe('clearHistory', () => {
	test('removes the history file; a missing file is fine', () => {
		const history = openHistory({cwd: dir, name: 'history-sandbox-0123456789ab'});
		history.recordBundle(task());
		expect(fs.existsSync(path.join(dir, 'history-sandbox-0123456789ab.json'))).toBe(true);
		clearHistory({cwd: dir, name: 'history-sandbox-0123456789ab'});
		expect(fs.existsSync(path.join(dir, 'history-sandbox-0123456789ab.json'))).toBe(false);
		expect(openHistory({cwd: dir, name: 'history-sandbox-0123456789ab'}).list()).toEqual([]);
		expect(() => {
			clearHistory({cwd: dir, name: 'history-sandbox-0123456789ab'});
		}).not.toThrow();
	});

	test('removes the image -> store chains kept beside it too', () => {
		const location = {cwd: dir, name: 'history-sandbox-abcdef012345'};
		openStoreChains(location).save({
			region: 'us-east-1',
			instanceId: 'i-0123456789abcdef0',
			imageId: 'ami-0123456789abcdef0',
			name: 'erp01',
			bucket: 'images',
			noReboot: false,
			startedAt: new Date(0).toISOString(),
			storeStartedAt: undefined,
		});
		expect(openStoreChains(location).list()).toHaveLength(1);
		clearHistory(location);
		expect(openStoreChains(location).list()).toEqual([]);
	});
});
