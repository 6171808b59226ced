/**
 * Issue 15 (the image -> S3 walk): after the wizard starts an image -> S3 task, the dashboard opens with its row
 * selected, as it does for a bundle, even when a newer task (started from the CLI meanwhile) sorts above it; and the
 * region a task was started in is always watched.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import type {Services} from '../../../source/core/services.js';
import {openHistory} from '../../../source/store/history.js';
import {watchedOnMount} from '../../../source/ui/state/dashboard-memory.js';
import {findInstance} from '../../aws/support.js';
import {keys} from '../../helpers/keys.js';
import type {Rendered} from '../../helpers/render.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {renderApp} from './render-dashboard.js';

let env: TestServices | undefined;
let rendered: Rendered | undefined;
let dir: string | undefined;
afterEach(async () => {
	rendered?.unmount();
	rendered = undefined;
	await env?.close();
	env = undefined;
	if (dir) {
		rmSync(dir, {recursive: true, force: true});
		dir = undefined;
	}
});

test('wizard -> dashboard on the image -> S3 path: the new store row is selected, not the newest row', async () => {
	env = await startTestServices({sandbox: {pace: {stepDelayMs: 10}}});
	const {services} = env;
	await services.createBucket('started-store', 'us-east-1');
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-store-started-'));
	rendered = renderApp({services, history: openHistory({cwd: dir, name: 'history'}), initialScreen: 'wizard'});
	const ui = rendered;
	await ui.waitForFrame('erp01');
	await ui.press('/');
	await ui.type('erp01');
	await ui.press(keys.enter);
	await ui.waitForFrame((frame) => /› erp01/.test(frame) && !frame.includes('▏'));
	await ui.press(keys.enter);
	await ui.waitForFrame('  started-store');
	await ui.press(keys.down);
	await ui.waitForFrame('› started-store');
	await ui.press(keys.enter);
	await ui.waitForFrame('CreateImage makes an AMI');
	await ui.press(keys.enter);
	await ui.waitForFrame('✓ CreateImage DryRun passed');
	await ui.press(keys.enter);
	const accepted = await ui.waitForFrame(/CreateImage accepted: (ami-[0-9a-f]+)/);
	const imageId = /CreateImage accepted: (ami-[0-9a-f]+)/.exec(accepted)?.[1] ?? '';
	// Meanwhile a bundle is started from the CLI: newer, it sorts first (start time, newest first)
	const web01 = await findInstance(services, 'us-east-1', 'web01');
	const {task} = await services.startBundle({
		region: 'us-east-1',
		instanceId: web01.id,
		bucket: 'started-store',
		prefix: 'cli',
	});
	await ui.press(keys.enter);
	// Both rows listed: the selection is on the store row (the newer bundle sorts above it)
	const frame = await ui.waitForFrame(
		(current) =>
			current.includes(task.bundleId) && /store +ami-/.test(current) && current.includes('bundledeck · tasks'),
		30_000,
	);
	expect(frame.indexOf(task.bundleId)).toBeLessThan(frame.indexOf('store   ami-'));
	expect(frame).toMatch(/› store +ami-/);
	expect(frame).toContain(`${imageId} · us-east-1 ·`);
	expect(frame).not.toMatch(/› bundle/);
});

test('the region a task was started in is watched with the ones watched before', () => {
	// A session of its own: the services object only keys the session's memory
	const session = {} as Services;
	expect(watchedOnMount(session, 'us-east-1', 'us-west-2')).toEqual(['us-east-1', 'us-west-2']);
	expect(watchedOnMount(session, 'us-east-1', 'us-east-1')).toEqual(['us-east-1']);
	expect(watchedOnMount(session, 'us-east-1')).toEqual(['us-east-1']);
});
