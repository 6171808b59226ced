/**
 * A lost BundleInstance answer in the wizard: the SDK's retry hears "already being bundled" and bundledeck adopts the
 * task the first call started (issue 14). The wizard's start line and then the dashboard say so, as `bundle` does,
 * and there is one task, not two. The answer is lost on the network by a proxy in front of the sandbox, not faked.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import type {Services} from '../../../source/core/services.js';
import {openHistory} from '../../../source/store/history.js';
import {keys} from '../../helpers/keys.js';
import {type LossyProxy, servicesThrough, startLossyProxy} from '../../helpers/lossy-proxy.js';
import type {Rendered} from '../../helpers/render.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {startBundleInWizard} from '../../helpers/wizard-walk.js';
import {renderApp} from '../dashboard/render-dashboard.js';

let env: TestServices;
let proxy: LossyProxy;
let proxied: Services;
let rendered: Rendered | undefined;
let dir: string;

beforeAll(async () => {
	proxy = await startLossyProxy(() => env.sandbox.endpoint);
	env = await startTestServices({sandbox: {extraHostPorts: [proxy.port]}});
	proxied = await servicesThrough(proxy, env.sandbox);
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-wizard-adopted-'));
});

afterAll(async () => {
	rendered?.unmount();
	proxied?.close();
	await proxy?.close();
	await env?.close();
	rmSync(dir, {recursive: true, force: true});
});

test('the wizard and then the dashboard say the retry found the task the first call started', async () => {
	rendered = renderApp({services: proxied, history: openHistory({cwd: dir, name: 'history'}), initialScreen: 'wizard'});
	const ui = rendered;
	await ui.waitForFrame('Instances in us-east-1');
	await startBundleInWizard(ui, {
		instance: 'web02',
		bucket: 'wizard-adopted',
		beforeStart: () => {
			proxy.loseNextAnswer('Action=BundleInstance');
		},
	});

	const started = await ui.waitForFrame(/Bundle bun-\w+ started/, 30_000);
	expect(proxy.lost()).toBe(1);
	expect(started.replaceAll(/\s*\n\s*/g, ' ')).toContain(
		"BundleInstance's answer was lost: the retry found this task, which the first call started.",
	);
	const bundleId = /Bundle (bun-\w+) started/.exec(started)?.[1];
	const tasks = await env.services.describeBundleTasks('us-east-1');
	expect(tasks.map((task) => task.bundleId)).toEqual([bundleId]);

	// The dashboard opens on its row, and its notice says it too
	const dashboard = await ui.waitForFrame(
		(frame) => frame.includes('bundledeck · tasks') && /answer\s+was\s+lost/.test(frame),
		30_000,
	);
	expect(dashboard.replaceAll(/\s*\n\s*/g, ' ')).toMatch(
		new RegExp(`${bundleId}: BundleInstance's answer was lost: the retry found this task`),
	);

	// Said once: to the wizard (n) and back without starting anything (esc), the dashboard does not say it again
	await ui.press('n');
	await ui.waitForFrame('Instances in us-east-1');
	await ui.press(keys.escape);
	const back = await ui.waitForFrame(
		(frame) => frame.includes('bundledeck · tasks') && new RegExp(`${bundleId} .*web02`).test(frame),
		30_000,
	);
	expect(back).not.toMatch(/answer\s+was\s+lost/);
});
