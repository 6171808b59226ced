/**
 * The product path through the real App: the wizard starts a bundle, the dashboard opens with it selected, shows
 * the progress rising to complete, and the App's notifier rings once (bell + OSC 9).
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {openHistory} from '../../../source/store/history.js';
import {keys} from '../../helpers/keys.js';
import {frameHeight, type Rendered, stripAnsi} from '../../helpers/render.js';
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

test('wizard -> dashboard: the new task is selected, rises to complete, one bell + OSC 9', async () => {
	env = await startTestServices({sandbox: {pace: {bytesPerSecond: 12 * 1024 * 1024}}});
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-app-flow-'));
	const history = openHistory({cwd: dir, name: 'history'});
	rendered = renderApp({services: env.services, history, initialScreen: 'wizard'});
	const ui = rendered;
	await ui.waitForFrame('web01');
	await startBundleInWizard(ui, {instance: 'sql01', bucket: 'app-flow-bucket'});

	const first = await ui.waitForFrame(/bundledeck · tasks[\s\S]*› bun-\w+ +sql01/, 30_000);
	const bundleId = /› (bun-\w+) +sql01/.exec(first)?.[1] ?? '';
	expect(bundleId).toMatch(/^bun-/);
	await ui.waitForFrame(`${bundleId} · us-east-1 · Complete`, 30_000);
	const progress = ui.frames
		.map((frame) => new RegExp(`${bundleId} · us-east-1 · [A-Za-z ]+ (\\d+)%`).exec(stripAnsi(frame))?.[1])
		.filter((value) => value !== undefined)
		.map(Number);
	expect(progress.some((value, index) => progress.slice(index + 1).some((later) => later > value))).toBe(true);
	expect(frameHeight(ui.lastFrame())).toBeLessThan(24);
	await waitFor(() => history.get(bundleId)?.lastState === 'complete');
	const osc = ui.frames.filter((frame) => frame.includes('\u001B]9;bundledeck:'));
	expect(osc).toHaveLength(1);
	expect(osc[0]).toContain('\u0007');
	expect(osc[0]).toContain(`${bundleId} complete`);
	for (const frame of ui.frames) {
		expect(frame).not.toContain(env.sandbox.credentials.secretAccessKey);
	}

	// To the wizard and back without starting anything: the sort as it was left (the walk found it reset)
	await ui.press('S');
	await ui.waitForFrame(/sort\s+start\s+time\s+↑/);
	await ui.press('n');
	await ui.waitForFrame('Instances in us-east-1');
	await ui.press(keys.escape);
	const back = await ui.waitForFrame((frame) => /sort\s+start\s+time/.test(frame) && frame.includes(bundleId));
	expect(back).toMatch(/sort\s+start\s+time\s+↑/);
	expect(back).toMatch(new RegExp(`› ${bundleId}`));
});
