import {afterEach, describe, expect, test} from 'vitest';
import {keys} from '../../helpers/keys.js';
import {frameHeight} from '../../helpers/render.js';
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

describe('dashboard with 500 tasks (fake Services: the sandbox cannot run 500 bundles)', () => {
	test('fits 80x24, windows around the selection, and moving the selection works', async () => {
		const tasks = syntheticTasks(500);
		const services = manyTasksServices(tasks);
		harness = renderDashboard({services});
		const first = await harness.waitForFrame('500 tasks');
		expect(frameHeight(first)).toBeLessThan(24);
		// Newest first: the last synthetic task is at the top and selected.
		expect(selectedLine(first)).toContain('bun-000001f3');
		expect(first).toContain('BUNDLE');

		await harness.press(keys.down, keys.down, 'j');
		const moved = await harness.waitForFrame((frame) => selectedLine(frame)?.includes('bun-000001f0') === true);
		expect(frameHeight(moved)).toBeLessThan(24);
		// The detail pane follows the selection.
		expect(moved).toMatch(/bun-000001f0 · us-east-1/);

		await harness.press(keys.pageDown, keys.pageDown);
		const paged = await harness.waitForFrame((frame) => !selectedLine(frame)?.includes('bun-000001f0'));
		expect(frameHeight(paged)).toBeLessThan(24);

		await harness.press('G');
		const last = await harness.waitForFrame((frame) => selectedLine(frame)?.includes('bun-00000000') === true);
		expect(frameHeight(last)).toBeLessThan(24);
		expect(last).not.toContain('bun-000001f3');

		await harness.press('k');
		await harness.waitForFrame((frame) => selectedLine(frame)?.includes('bun-00000001') === true);
	});

	test('stays shorter than the terminal through resizes', async () => {
		const services = manyTasksServices(syntheticTasks(500));
		harness = renderDashboard({services});
		await harness.waitForFrame('500 tasks');
		for (const [columns, rows] of [
			[120, 40],
			[60, 15],
			[80, 12],
			[200, 60],
			[80, 24],
		] as const) {
			harness.resize(columns, rows);
			const frame = await harness.waitForFrame(
				(text) => frameHeight(text) < rows && text.split('\n').every((line) => line.length <= columns),
			);
			expect(frameHeight(frame)).toBeLessThan(rows);
		}
	});

	test('filter narrows the table and esc clears it; sort cycles', async () => {
		const services = manyTasksServices(syntheticTasks(500));
		harness = renderDashboard({services});
		await harness.waitForFrame('500 tasks');
		await harness.press('/');
		await harness.type('win-42');
		// win-42 and win-420..429
		const filtered = await harness.waitForFrame('11 of 500 tasks');
		expect(frameHeight(filtered)).toBeLessThan(24);
		// A filter nothing matches says so where the table was, and how to get the rows back
		await harness.type('x');
		await harness.waitForFrame('No task matches win-42x (of 500). esc clears the filter.');
		await harness.press(keys.backspace);
		await harness.waitForFrame('11 of 500 tasks');
		await harness.press(keys.enter);
		await harness.press(keys.escape);
		await harness.waitForFrame('500 tasks · ');
		await harness.press('s');
		// The sort is one unbreakable phrase (no-break spaces): it wraps as a whole.
		await harness.waitForFrame(/sort\s+state/);
		await harness.press('s');
		await harness.waitForFrame(/sort\s+region/);
	});

	test('keys: n asks for the wizard, ? shows every key, q quits through quit()', async () => {
		const services = manyTasksServices(syntheticTasks(3));
		harness = renderDashboard({services});
		await harness.waitForFrame('3 tasks');
		await harness.press('?');
		const top = await harness.waitForFrame('Dashboard keys');
		// The overlay scrolls (issue 15): what is below its first page is one End away
		await harness.press('\u001B[F');
		const bottom = await harness.waitForFrame((frame) => frame.includes('q ctrl+c'));
		const help = `${top}\n${bottom}`;
		for (const key of ['register', 'migrate', 'cancel', 'filter', 'sort', 'regions', 'refresh', 'new bundle', 'quit']) {
			expect(help).toContain(key);
		}

		expect(frameHeight(top)).toBeLessThan(24);
		expect(frameHeight(bottom)).toBeLessThan(24);
		await harness.press(keys.escape);
		await harness.waitForFrame('3 tasks');
		await harness.press('n');
		await waitFor(() => harness?.newBundleRequests === 1);
		await harness.press('q');
		await waitFor(() => harness?.quits === 1);
		await harness.press(keys.ctrlC);
		await waitFor(() => harness?.quits === 2);
	});
});
