/**
 * The dashboard with 500 bundle tasks at 80x24: time to the first full table, time per selection move
 * (key press to the new frame), and time per poll cycle (500 rows re-sorted, merged and rendered).
 * Prints its figures; run with `npm run bench`.
 */
import {bench, describe} from 'vitest';
import {keys} from '../helpers/keys.js';
import {frameHeight} from '../helpers/render.js';
import {manyTasksServices, syntheticTasks} from '../ui/dashboard/fake-services.js';
import {renderDashboard} from '../ui/dashboard/render-dashboard.js';

const taskCount = 500;
const moves = 100;

function mean(values: number[]): number {
	return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

async function measure(): Promise<void> {
	const services = manyTasksServices(syntheticTasks(taskCount));
	const started = performance.now();
	const app = renderDashboard({services, config: {activeIntervalMs: 60_000, idleIntervalMs: 60_000}});
	try {
		await app.waitForFrame(`${taskCount} tasks`, 30_000);
		const firstTable = performance.now() - started;
		const moveTimes: number[] = [];
		let tallest = frameHeight(app.lastFrame());
		for (let index = 0; index < moves; index++) {
			const before = app.frames.length;
			const sent = performance.now();
			await app.press(keys.down);
			await app.waitForFrame(() => app.frames.length > before);
			moveTimes.push(performance.now() - sent);
			tallest = Math.max(tallest, frameHeight(app.lastFrame()));
		}

		const pollTimes: number[] = [];
		for (let index = 0; index < 10; index++) {
			const calls = services.calls;
			const before = app.frames.length;
			const sent = performance.now();
			await app.press('R');
			await app.waitForFrame(() => services.calls > calls && app.frames.length > before);
			pollTimes.push(performance.now() - sent);
		}

		console.log(
			`dashboard, ${taskCount} tasks at 80x24: first table ${firstTable.toFixed(0)} ms; ` +
				`selection move ${mean(moveTimes).toFixed(1)} ms mean, ${Math.max(...moveTimes).toFixed(1)} ms max (${moves} moves); ` +
				`refresh cycle ${mean(pollTimes).toFixed(1)} ms mean; tallest frame ${tallest} of 24 rows`,
		);
	} finally {
		app.cleanup();
	}
}

describe('dashboard', () => {
	bench('500 tasks: first table, selection moves, refresh cycles', measure, {iterations: 1, warmupIterations: 0});
});
