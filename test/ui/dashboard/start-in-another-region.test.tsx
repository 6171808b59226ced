/**
 * Issue 15 defect 1: starting a bundle in a second region from the dashboard (n -> g -> another region -> start)
 * adds that region to the watched set; the first region's running task stays on screen.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {openHistory} from '../../../source/store/history.js';
import {memorySettings} from '../../../source/store/settings.js';
import {keys} from '../../helpers/keys.js';
import type {Rendered} from '../../helpers/render.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {startBundleInWizard} from '../../helpers/wizard-walk.js';
import {renderApp} from './render-dashboard.js';

let env: TestServices | undefined;
let rendered: Rendered | undefined;
let dir: string | undefined;
afterEach(async () => {
	rendered?.unmount();
	await env?.close();
	if (dir) {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('a bundle started in another region joins the watched set; the running one stays listed', async () => {
	env = await startTestServices({sandbox: {pace: {bytesPerSecond: 128 * 1024, stepDelayMs: 200}}});
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-other-region-'));
	const history = openHistory({cwd: dir, name: 'history'});
	const instance = (await env.services.listInstances('us-east-1')).find((item) => item.eligible);
	if (!instance) {
		throw new Error('no eligible instance');
	}

	const {task} = await env.services.startBundle({
		region: 'us-east-1',
		instanceId: instance.id,
		bucket: 'east-bucket',
		prefix: 'east-run',
	});
	history.recordBundle(task, instance.name);
	const settings = memorySettings();
	rendered = renderApp({services: env.services, history, initialScreen: 'dashboard', settings, columns: 120, rows: 30});
	const ui = rendered;
	await ui.waitForFrame(task.bundleId);
	await ui.press('n');
	await ui.waitForFrame('us-east-1a');
	await ui.press('g');
	await ui.waitForFrame('us-west-2');
	await ui.press(keys.down);
	await ui.waitForFrame(/› +us-west-2/);
	await ui.press(keys.enter);
	await ui.waitForFrame('us-west-2a');
	await startBundleInWizard(ui, {instance: 'sql01', bucket: 'west-bucket'});

	const frame = await ui.waitForFrame(/bundledeck · tasks[\s\S]*› \S* *bun-\w+ .*sql01/, 30_000);
	const started = /› \S* *(bun-\w+)/.exec(frame)?.[1] ?? '';
	expect(started).not.toBe(task.bundleId);
	// Both regions are watched: the first region's running task is still a row (with its ETA column).
	await ui.waitForFrame((current) => current.includes(task.bundleId) && current.includes(started));
	// ...and stays live (not a history snapshot: no '*' after its state), and the set is saved for the next runs.
	await ui.waitForFrame(new RegExp(`${task.bundleId}.*(Pending|Shutdown|Bundling|Storing) `));
	await waitFor(() => settings.get('watchedRegions')?.includes('us-east-1') && settings.get('watchedRegions'));
	expect(settings.get('watchedRegions')).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2']));
});
