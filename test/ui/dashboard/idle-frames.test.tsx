/**
 * Issue 16: an idle dashboard (no active task) draws nothing new while the clock ticks and nothing it shows
 * changes: the status line shows when the next refresh comes as a time of day, not a countdown. The clock is moved
 * by hand, so the test counts frames, never time.
 */
import {afterEach, expect, test} from 'vitest';
import type {Clock} from '../../../source/ui/hooks/use-now.js';
import {keys} from '../../helpers/keys.js';
import {manyTasksServices, syntheticTasks} from './fake-services.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let harness: DashboardHarness | undefined;
afterEach(() => {
	harness?.cleanup();
	harness = undefined;
});

/** A clock that moves only when `advance` is called; a tick due by then is called. */
function manualClock(start: number): Clock & {advance(ms: number): void} {
	let time = start;
	const pending = new Set<{dueAt: number; tick: () => void}>();
	return {
		now: () => time,
		after(ms, tick) {
			const entry = {dueAt: time + ms, tick};
			pending.add(entry);
			return () => {
				pending.delete(entry);
			};
		},
		advance(ms) {
			time += ms;
			for (const entry of [...pending]) {
				if (entry.dueAt <= time && pending.delete(entry)) {
					entry.tick();
				}
			}
		},
	};
}

async function settle(): Promise<void> {
	// Lets a state update that a tick may have made reach the screen (a render is synchronous after it).
	for (let turn = 0; turn < 5; turn++) {
		await new Promise((resolve) => setImmediate(resolve));
	}
}

test('an idle dashboard renders no new frame over many clock ticks, and a tick that changes a shown time does', async () => {
	const start = Date.now();
	const clock = manualClock(start);
	// Updated ten and a half hours ago: their "10h" stays for the twenty seconds ticked below.
	const finished = syntheticTasks(4, 'us-east-1', start - 10.5 * 3_600_000).map((task) => ({
		...task,
		state: 'complete' as const,
		progress: 100,
	}));
	harness = renderDashboard({
		services: manyTasksServices(finished),
		// No poll and no history check comes during the test: only the clock moves.
		config: {clock, idleIntervalMs: 3_600_000, historyCheckMs: 3_600_000},
	});
	const first = await harness.waitForFrame(/updated \d\d:\d\d:\d\d, next \d\d:\d\d:\d\d · /);
	await settle();
	const framesBefore = harness.frames.length;
	for (let second = 0; second < 20; second++) {
		clock.advance(1000);
		await settle();
	}

	expect(harness.frames.length).toBe(framesBefore);
	expect(harness.lastFrame()).toBe(first);

	// The rows say how long ago each task was updated: an hour on, they say "11h", in a new frame.
	clock.advance(3_600_000);
	await harness.waitForFrame(/ 11h/);
	expect(harness.frames.length).toBeGreaterThan(framesBefore);
});

test('the clock ticks a whole interval after the last frame, whatever drew it: never a second frame close behind', async () => {
	const start = Date.now();
	const clock = manualClock(start);
	// Bundling, started 10 s and 11 s before: their ELAPSED cells change at every whole second.
	const active = syntheticTasks(2, 'us-east-1', start - 11_000).map((task) => ({
		...task,
		state: 'bundling' as const,
		progress: 40,
	}));
	harness = renderDashboard({
		services: manyTasksServices(active),
		config: {clock, clockMs: 1000, activeIntervalMs: 3_600_000, idleIntervalMs: 3_600_000, historyCheckMs: 3_600_000},
		columns: 200,
	});
	await harness.waitForFrame(/bun-00000001/);
	await settle();
	clock.advance(600);
	await settle();
	// A frame drawn by a key 0.6 s on (as a poll's answer would be): it shows the time of then.
	await harness.press(keys.down);
	await settle();
	const afterKey = harness.frames.length;
	expect(harness.lastFrame()).toMatch(/› .*bun-00000000/);

	// At 1.2 s a clock ticking every second from the start would draw again, 0.6 s after the key's frame.
	clock.advance(600);
	await settle();
	expect(harness.frames.length).toBe(afterKey);

	// A whole second after the key's frame: the next one, with the elapsed times a second on.
	clock.advance(400);
	await settle();
	expect(harness.frames.length).toBe(afterKey + 1);
});
