/**
 * A finished bundle task that the region stopped listing (EC2 drops finished tasks after a while; the sandbox after
 * finishedTaskRetentionMs) is found in local history: `register <bundle-id>` and `wait` use it, `tasks` no longer
 * shows it. The task really aged out of a restarted sandbox region, it is not made up in history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {fastPace, type Harness, startHarness} from './harness.js';

const harnesses: Harness[] = [];
const sandboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundledeck-dropped-task-'));

afterAll(async () => {
	for (const harness of harnesses) {
		await harness.close();
	}

	fs.rmSync(sandboxDir, {recursive: true, force: true});
});

test('a bundle task the region no longer lists: tasks leaves it out, register and wait find it in history', async () => {
	const first = await startHarness({...fastPace, dir: sandboxDir});
	harnesses.push(first);
	const task = await first.completedBundle('us-east-1', 'dropped-task-bucket', 'win');
	const listed = await first.run(['tasks', '--json']);
	expect(listed.stdout).toContain(task.bundleId);
	expect(first.history().get(task.bundleId)?.lastState).toBe('complete');
	await first.test.close();

	// The region again, now dropping finished tasks at once; the same local history
	const second = await startHarness({...fastPace, dir: sandboxDir, finishedTaskRetentionMs: 0});
	harnesses.push(second);
	fs.copyFileSync(first.historyFile, second.historyFile);

	const tasks = await second.run(['tasks', '--json']);
	expect(tasks.code).toBe(0);
	expect(tasks.stdout).not.toContain(task.bundleId);

	const waited = await second.run(['wait', task.bundleId, '--json']);
	expect(waited.code).toBe(0);
	expect((JSON.parse(waited.stdout) as {outcome: string}).outcome).toBe('complete');

	const registered = await second.run(['register', task.bundleId, '--name', 'aged out of the list']);
	expect(registered.code).toBe(0);
	expect(registered.stdout.trim()).toMatch(/^ami-[\da-f]+$/);
	expect(registered.stderr).toContain(`${task.bundleId} is no longer listed by AWS`);
	expect(registered.stderr).toContain('dropped-task-bucket/win.manifest.xml');
	expect(
		second
			.history()
			.get(task.bundleId)
			?.images.map((image) => image.name),
	).toEqual(['aged out of the list']);
});
