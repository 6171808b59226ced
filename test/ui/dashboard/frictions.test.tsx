/**
 * Issue 15 frictions on the dashboard: the sort direction is shown and S reverses it, y copies the selected id
 * (OSC 52), and the status says when the next refresh comes.
 */
import {afterEach, expect, test} from 'vitest';
import {waitFor} from '../../helpers/wait-for.js';
import {manyTasksServices, syntheticTasks} from './fake-services.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let harness: DashboardHarness | undefined;
afterEach(() => {
	harness?.cleanup();
	harness = undefined;
});

function selectedLine(frame: string): string | undefined {
	return frame.split('\n').find((line) => line.startsWith('› '));
}

test('sort direction shown; S reverses it; s starts the next key in its own direction', async () => {
	harness = renderDashboard({services: manyTasksServices(syntheticTasks(3))});
	const first = await harness.waitForFrame(/sort\s+start\s+time\s+↓/);
	// Newest first.
	expect(selectedLine(first)).toContain('bun-00000002');
	await harness.press('S');
	await harness.waitForFrame(/sort\s+start\s+time\s+↑/);
	await harness.press('g'.toUpperCase());
	await harness.waitForFrame((frame) => selectedLine(frame)?.includes('bun-00000002') === true);
	const lines = harness.lastFrame().split('\n');
	const order = ['bun-00000000', 'bun-00000001', 'bun-00000002'].map((id) =>
		lines.findIndex((line) => line.includes(id) && /^[› ] /.test(line)),
	);
	expect(order).toEqual([...order].sort((a, b) => a - b));
	await harness.press('s');
	await harness.waitForFrame(/sort\s+state\s+↑/);
});

test('y copies the selected bundle id through OSC 52 and says so', async () => {
	harness = renderDashboard({services: manyTasksServices(syntheticTasks(3))});
	await harness.waitForFrame('3 tasks');
	await harness.press('y');
	await harness.waitForFrame('Copied bun-00000002 to the clipboard');
	const osc = `\u001B]52;c;${Buffer.from('bun-00000002').toString('base64')}\u0007`;
	await waitFor(() => harness?.frames.some((frame) => frame.includes(osc)));
});

test('the status line says when the next refresh comes', async () => {
	harness = renderDashboard({services: manyTasksServices(syntheticTasks(3)), config: {idleIntervalMs: 60_000}});
	await harness.waitForFrame(/updated \d\d:\d\d:\d\d, next \d\d:\d\d:\d\d · /);
});
