/** A poll over many tasks writes the local history once, not once per task (issue 16). */
import fs from 'node:fs';
import {afterAll, beforeAll, expect, test, vi} from 'vitest';
import {type Harness, slowPace, startHarness} from './harness.js';

let harness: Harness;

beforeAll(async () => {
	harness = await startHarness(slowPace);
	const instances = await harness.eligibleInstances('us-east-1');
	expect(instances.length).toBeGreaterThan(2);
	for (const [index, instance] of instances.entries()) {
		const started = await harness.run(['bundle', instance.id, '--bucket', 'cmd-writes', '--prefix', `p${index}`]);
		expect(started.code).toBe(0);
	}
});

afterAll(async () => {
	vi.restoreAllMocks();
	await harness.close();
});

test('tasks over several changed tasks replaces the history file once', async () => {
	// Every remembered snapshot is older than what the sandbox reports now: each task has changed.
	const saved = JSON.parse(fs.readFileSync(harness.historyFile, 'utf8')) as {entries: Array<{lastUpdate?: string}>};
	expect(saved.entries.length).toBeGreaterThan(2);
	for (const entry of saved.entries) {
		entry.lastUpdate = '2000-01-01T00:00:00.000Z';
	}

	fs.writeFileSync(harness.historyFile, JSON.stringify(saved));
	const renames = vi.spyOn(fs, 'renameSync');
	const result = await harness.run(['tasks', '--json']);
	expect(result.code).toBe(0);
	expect(renames.mock.calls.filter(([, to]) => to === harness.historyFile)).toHaveLength(1);
	const after = JSON.parse(fs.readFileSync(harness.historyFile, 'utf8')) as {entries: Array<{lastUpdate?: string}>};
	expect(after.entries.every((entry) => entry.lastUpdate !== '2000-01-01T00:00:00.000Z')).toBe(true);
});
