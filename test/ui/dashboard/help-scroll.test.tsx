/** Issue 15 #14: at 60x20 the help overlay scrolls (every entry reachable, none cut or hidden) instead of hiding some. */
import {afterEach, expect, test} from 'vitest';
import {dashboardHelpKeys} from '../../../source/ui/screens/dashboard/dashboard-keys.js';
import {keys} from '../../helpers/keys.js';
import {frameHeight} from '../../helpers/render.js';
import {manyTasksServices, syntheticTasks} from './fake-services.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let harness: DashboardHarness | undefined;
afterEach(() => {
	harness?.cleanup();
	harness = undefined;
});

test('60x20: ↓ and End scroll the help to its last entry; nothing is cut with … or hidden', async () => {
	harness = renderDashboard({services: manyTasksServices(syntheticTasks(3)), columns: 60, rows: 20});
	await harness.waitForFrame('3 tasks');
	await harness.press('?');
	const first = await harness.waitForFrame('Dashboard keys');
	expect(first).not.toContain('more (enlarge');
	expect(first).toContain('↑↓ scroll');
	expect(first).not.toContain('q ctrl+c');
	const seen = new Set<string>();
	let frame = first;
	for (let step = 0; step < 40 && !frame.includes('q ctrl+c'); step++) {
		for (const line of frame.split('\n')) {
			seen.add(line);
		}

		expect(frameHeight(frame)).toBeLessThan(20);
		// Every line wraps inside the box: none is cut with "…".
		expect(frame).not.toMatch(/…\s*│/);
		await harness.press(keys.down);
		frame = harness.lastFrame();
	}

	for (const line of frame.split('\n')) {
		seen.add(line);
	}

	const text = [...seen].join('\n');
	for (const hint of dashboardHelpKeys) {
		expect(text).toContain(hint.key);
	}

	// Home goes back to the top, End to the bottom; esc closes.
	await harness.press('\u001B[H');
	await harness.waitForFrame((current) => current.includes('move the selection'));
	await harness.press('\u001B[F');
	await harness.waitForFrame((current) => current.includes('q ctrl+c') && !current.includes('move the selection'));
	await harness.press(keys.escape);
	await harness.waitForFrame((current) => !current.includes('Dashboard keys'));
});
