/**
 * The lead's walk-through defects at 80x24: detail lines wrap instead of being cut, the footer keeps "? help" and
 * "q quit", the register notice follows the AMI, the timeline uses clock times only, bursts of keys ("jjj" in one
 * read) act once per key, and the header stays on one line.
 */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import type {BundleHistoryEntry} from '../../../source/core/history.js';
import type {BundleTask} from '../../../source/core/types.js';
import {openHistory} from '../../../source/store/history.js';
import {Header, headerParts} from '../../../source/ui/components/header.js';
import {fitKeys} from '../../../source/ui/components/key-footer.js';
import {statusLines} from '../../../source/ui/components/status-line.js';
import {TaskDetail, timelineText} from '../../../source/ui/components/task-detail.js';
import {wrapText} from '../../../source/ui/components/wrapped-text.js';
import {dispatchKeys} from '../../../source/ui/hooks/use-stable-input.js';
import {footerKeys} from '../../../source/ui/screens/dashboard/dashboard-keys.js';
import type {DashboardRow} from '../../../source/ui/state/dashboard-rows.js';
import {type CycleResult, dashboardReducer, initialDashboardState} from '../../../source/ui/state/dashboard-state.js';
import {frameHeight, renderTui} from '../../helpers/render.js';
import {dashboardRow} from './dashboard-row.js';
import {manyTasksServices, syntheticTasks} from './fake-services.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

const at = (clock: string) => new Date(`2026-11-26T${clock}`);

function completeRow(history: BundleHistoryEntry | undefined): DashboardRow {
	return dashboardRow({
		startTime: at('15:00:07'),
		updateTime: at('15:01:02'),
		timeline: [
			{state: 'bundling', at: at('15:00:10')},
			{state: 'storing', at: at('15:00:41')},
			{state: 'complete', at: at('15:01:02')},
		],
		history,
	});
}

const history: BundleHistoryEntry = {
	kind: 'bundle',
	bundleId: 'bun-5a2c1f00',
	region: 'us-east-1',
	instanceId: 'i-038a1af8247b8b212',
	instanceName: 'web01',
	bucket: 'demo-bundles',
	prefix: 'web01-20261126-1500',
	startedAt: at('15:00:07').toISOString(),
	lastState: 'complete',
	lastProgress: 100,
	lastUpdate: at('15:01:02').toISOString(),
	error: undefined,
	images: [
		{imageId: 'ami-d449fa1ab6cc58a01', region: 'us-east-1', name: 'web01', kind: 'registered', at: ''},
		{imageId: 'ami-1120697a16c80b6fd', region: 'eu-west-1', name: 'web01', kind: 'migrated', at: ''},
	],
	migrations: [
		{
			destinationRegion: 'eu-west-1',
			destinationBucket: 'demo-bundles-eu-west-1',
			destinationManifestLocation: 'demo-bundles-eu-west-1/web01-20261126-1500.manifest.xml',
			at: '',
			complete: true,
		},
	],
} as BundleHistoryEntry;

let harness: DashboardHarness | undefined;
afterEach(() => {
	harness?.cleanup();
	harness = undefined;
});

describe('messages wrap instead of being cut', () => {
	test('wrapText breaks at spaces, indents continuation lines, splits words longer than a line', () => {
		const reason =
			'✗ Bucket bundledeck-other-account-bucket belongs to another AWS account: EC2 cannot write the bundle there — pick one of yours or a new name';
		const lines = wrapText(reason, 80, 2);
		expect(lines.length).toBe(2);
		expect(lines.every((line) => [...line].length <= 80)).toBe(true);
		expect(lines.map((line) => line.trim()).join(' ')).toBe(reason);
		expect(
			wrapText('copy     eu-west-1 synthetic-bucket-eu-west-1/long/prefix/web01.manifest.xml complete', 50, 9),
		).toEqual(['copy     eu-west-1 synthetic-bucket-eu-west-1/', '         long/prefix/web01.manifest.xml complete']);
		expect(wrapText(`manifest ${'x'.repeat(50)}`, 30, 9)).toEqual([
			`manifest ${'x'.repeat(21)}`,
			`         ${'x'.repeat(21)}`,
			`         ${'x'.repeat(8)}`,
		]);
	});

	test('the detail pane at 80 columns shows every manifest, AMI and copy in full, within its height', () => {
		const images = {
			'us-east-1/ami-d449fa1ab6cc58a01': {state: 'available' as const},
			'eu-west-1/ami-1120697a16c80b6fd': {state: 'pending' as const},
		};
		const view = renderTui(
			<TaskDetail row={completeRow(history)} images={images} now={Date.now()} width={80} height={14} />,
		);
		const frame = view.lastFrame();
		view.unmount();
		expect(frame).not.toContain('…');
		expect(frame).toContain('demo-bundles/web01-20261126-1500.manifest.xml');
		expect(frame).toContain('ami-d449fa1ab6cc58a01 us-east-1 registered: available');
		expect(frame).toContain('ami-1120697a16c80b6fd eu-west-1 migrated: pending');
		// Continuation lines are indented under the label: join them back to read the item.
		expect(frame.replaceAll(/\n {9}/g, ' ')).toContain(
			'copy     eu-west-1 demo-bundles-eu-west-1/web01-20261126-1500.manifest.xml complete',
		);
		expect(frameHeight(frame.replace(/\n$/, ''))).toBeLessThanOrEqual(14);
		for (const line of frame.split('\n')) {
			expect([...line].length).toBeLessThanOrEqual(80);
		}
	});
});

describe('the frame stays shorter than the terminal while the detail pane grows', () => {
	test.each([
		[80, 24],
		[80, 16],
		[60, 12],
		[120, 40],
	])('%ix%i: a task with many AMIs and copies; the table shrinks to leave the pane room', async (columns, rows) => {
		const tasks = syntheticTasks(30).map((task) => ({...task, prefix: `long/prefix/for/${task.prefix}-20261126-1500`}));
		const task = tasks.find((candidate) => candidate.state === 'complete');
		if (!task) {
			throw new Error('no complete task');
		}

		// History written before the dashboard opens: its first frame already has the whole detail.
		const dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-fit-'));
		const history = openHistory({cwd: dir, name: 'history'});
		history.recordBundle(task, 'web01');
		for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2']) {
			history.recordImage(task.bundleId, {
				imageId: `ami-${region.replaceAll('-', '')}0123456789`,
				region,
				name: 'web01',
				kind: region === 'us-east-1' ? 'registered' : 'migrated',
				at: new Date().toISOString(),
			});
			if (region !== 'us-east-1') {
				history.recordMigration(task.bundleId, {
					destinationRegion: region,
					destinationBucket: `synthetic-bucket-${region}`,
					destinationManifestLocation: `synthetic-bucket-${region}/${task.prefix}.manifest.xml`,
					at: new Date().toISOString(),
					complete: true,
				});
			}
		}

		harness = renderDashboard({
			services: manyTasksServices(tasks),
			columns,
			rows,
			selectBundleId: task.bundleId,
			historyDir: dir,
		});
		const frame = await harness.waitForFrame(
			(text) => text.includes(`› ${task.bundleId}`) && text.includes('30 tasks'),
		);
		for (const [index, raw] of harness.frames.entries()) {
			const text = raw.replaceAll(/\u001B\[[0-9;?]*[ -/]*[@-~]/g, '');
			expect(frameHeight(text.replace(/\n$/, '')), `frame ${index} at ${columns}x${rows}`).toBeLessThan(rows);
		}

		expect(frame).toContain(`› ${task.bundleId}`);
		if (rows >= 24) {
			// Room enough: every AMI and copy is there in full, and the table still shows rows around the selection.
			for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2']) {
				expect(frame).toContain(`ami-${region.replaceAll('-', '')}0123456789 ${region}`);
			}

			expect(frame.split('\n').filter((line) => /^[› ] bun-/.test(line)).length, frame).toBeGreaterThanOrEqual(3);
		}
	});
});

describe('status line', () => {
	test('a failing region with its retry countdown and the age of the data wraps at 80 columns instead of being cut', () => {
		const now = Date.now();
		const props = {
			watched: ['ap-southeast-2', 'eu-west-1', 'us-east-1'],
			regions: {
				'ap-southeast-2': {
					lastOk: now - 60_000,
					error: 'Could not connect to the AWS endpoint',
					problem: 'unreachable' as const,
				},
				'eu-west-1': {lastOk: now - 60_000, error: 'Throttling: Rate exceeded', problem: 'throttled' as const},
				'us-east-1': {lastOk: now, error: undefined, problem: undefined},
			},
			loaded: true,
			lastCycleAt: now,
			nextPollAt: now + 8000,
			now,
			summary: '3 tasks',
		};
		const lines = statusLines(props, 80, 2);
		expect(lines.length).toBe(2);
		const text = lines.map((line) => line.trim()).join(' ');
		expect(text).toContain('ap-southeast-2: Could not connect to the AWS endpoint — retrying in 8 s (+1 more region)');
		expect(text).toMatch(/showing data from \d\d:\d\d:\d\d$/);
		expect(text).not.toContain('…');
	});
});

describe('timeline', () => {
	test('clock times only, the total at the end', () => {
		const text = timelineText(completeRow(undefined)).replaceAll('\u00A0', ' ');
		const clock = (date: Date) => date.toTimeString().slice(0, 8);
		expect(text).toBe(
			`started ${clock(at('15:00:07'))} › Bundling ${clock(at('15:00:10'))} › Storing ${clock(at('15:00:41'))} › Complete ${clock(at('15:01:02'))} (55s in all)`,
		);
		expect(text).not.toMatch(/\+\d/);
	});
});

describe('a trip to the wizard and back', () => {
	test('the dashboard remounts with the timeline it observed (not "Storing" at the time it came back)', async () => {
		const tasks: BundleTask[] = syntheticTasks(1).map((task) => ({...task, state: 'bundling', error: undefined}));
		const task = tasks[0];
		if (!task) {
			throw new Error('no task');
		}

		const services = manyTasksServices(tasks);
		harness = renderDashboard({services, columns: 100, rows: 30});
		await harness.waitForFrame((frame) => /timeline +started \S+ › Bundling/.test(frame));
		// The next DescribeBundleTasks answers storing, a minute later.
		const storingAt = new Date(task.updateTime.getTime() + 60_000);
		tasks[0] = {...task, state: 'storing', updateTime: storingAt};
		const clock = (date: Date) => date.toTimeString().slice(0, 8);
		const storing = await harness.waitForFrame('› Storing');
		expect(storing.replaceAll('\u00A0', ' ')).toContain(`Storing ${clock(storingAt)}`);
		harness.cleanup();
		harness = renderDashboard({services, columns: 100, rows: 30});
		// The very first frame of the new mount already has both transitions, with their times.
		const first = harness.lastFrame().replaceAll('\u00A0', ' ');
		expect(first).toMatch(/timeline +started \S+ › Bundling \S+ › Storing/);
		expect(first).toContain(`Storing ${clock(storingAt)}`);
	});
});

describe('footer and header fit one line', () => {
	test('at 80 columns the footer drops the least important hints and keeps ? help and q quit', () => {
		for (const row of [completeRow(undefined), {...completeRow(undefined), state: 'bundling' as const}]) {
			const keys = fitKeys(footerKeys(row, false), 80);
			const text = keys.map((hint) => `${hint.key} ${hint.label}`).join('  ');
			expect([...text].length).toBeLessThanOrEqual(80);
			expect(text).toMatch(/\? help {2}q quit$/);
			expect(text).toContain(row.state === 'complete' ? 'r register  m migrate' : 'c cancel');
		}
	});

	test('a task already cancelling, or whose cancel was asked, offers no c cancel', () => {
		const running: DashboardRow = {...completeRow(undefined), state: 'bundling'};
		const hints = (row: DashboardRow) => footerKeys(row, false).map((hint) => hint.key);
		expect(hints(running)).toContain('c');
		expect(hints({...running, state: 'cancelling'})).not.toContain('c');
		expect(hints({...running, cancelRequested: true})).not.toContain('c');
	});

	test('the header leaves out the profile, then the account, and stays one line', () => {
		const account = {
			accountId: '210987654321',
			arn: undefined,
			profile: 'a-rather-long-sso-profile',
			mode: 'aws' as const,
		};
		const props = {title: 'bundle tasks', account, region: 'ap-southeast-2', mode: 'aws' as const};
		expect(headerParts({...props, width: 120}).who).toContain('profile a-rather-long-sso-profile');
		expect(headerParts({...props, width: 80}).who).toBe('account 210987654321 · ap-southeast-2');
		expect(headerParts({...props, width: 50}).who).toBe('ap-southeast-2');
		const view = renderTui(<Header {...props} width={50} />, {columns: 50});
		const frame = view.lastFrame();
		view.unmount();
		expect(frameHeight(frame.replace(/\n$/, ''))).toBe(1);
		expect(frame).toContain('ap-southeast-2 · AWS');
	});
});

describe('register notice', () => {
	test('"Registered …; following its state…" becomes "… is available" when a poll sees the AMI available', () => {
		let state = initialDashboardState({watched: ['us-east-1'], history: [], selectedKey: undefined});
		state = dashboardReducer(state, {
			type: 'notice',
			notice: {
				text: 'Registered ami-d449fa1ab6cc58a01 (web01); following its state…',
				tone: 'success',
				image: {region: 'us-east-1', imageId: 'ami-d449fa1ab6cc58a01', name: 'web01'},
			},
		});
		const cycle = (imageState: 'pending' | 'available'): CycleResult => ({
			at: Date.now(),
			outcomes: [{region: 'us-east-1', ok: true, tasks: []}],
			images: [
				{
					imageId: 'ami-d449fa1ab6cc58a01',
					region: 'us-east-1',
					name: 'web01',
					state: imageState,
					imageLocation: undefined,
					architecture: undefined,
				} as never,
			],
			missingImages: [],
			history: [],
			nextPollAt: Date.now() + 1000,
			failures: 0,
		});
		state = dashboardReducer(state, {type: 'cycle', result: cycle('pending')});
		expect(state.notice?.text).toContain('following its state');
		state = dashboardReducer(state, {type: 'cycle', result: cycle('available')});
		expect(state.notice?.text).toBe('ami-d449fa1ab6cc58a01 (web01) is available in us-east-1.');
		expect(state.notice?.tone).toBe('success');
	});
});

describe('cancel notice', () => {
	test('"Cancel requested …" becomes "… is cancelled" when a poll sees the task end cancelled', () => {
		const [task] = syntheticTasks(1);
		if (!task) {
			throw new Error('no task');
		}

		let state = initialDashboardState({watched: ['us-east-1'], history: [], selectedKey: undefined});
		const cycle = (update: Partial<typeof task>): CycleResult => ({
			at: Date.now(),
			outcomes: [{region: 'us-east-1', ok: true, tasks: [{...task, ...update}]}],
			images: [],
			missingImages: [],
			history: [],
			nextPollAt: Date.now() + 1000,
			failures: 0,
		});
		state = dashboardReducer(state, {type: 'cycle', result: cycle({state: 'bundling', error: undefined})});
		state = dashboardReducer(state, {
			type: 'notice',
			notice: {
				text: `Cancel requested for ${task.bundleId}: Cancelling…`,
				tone: 'info',
				task: `us-east-1/${task.bundleId}`,
			},
		});
		state = dashboardReducer(state, {type: 'cycle', result: cycle({state: 'cancelling', error: undefined})});
		expect(state.notice?.text).toContain('Cancel requested');
		state = dashboardReducer(state, {
			type: 'cycle',
			result: cycle({state: 'failed', error: {code: 'Client.Cancelled', message: 'cancelled'}}),
		});
		expect(state.notice?.text).toBe(`${task.bundleId} is cancelled: the instance is restarted and no bundle is kept.`);
	});
});

describe('bursts of keys in one input', () => {
	test('outside a text field each character is handled; a text field gets the rest whole', () => {
		const seen: string[] = [];
		let typing = false;
		const key = {ctrl: false, meta: false, shift: false} as never;
		dispatchKeys(
			(input) => {
				seen.push(input);
				if (input === '/') {
					typing = true;
				}
			},
			'jk/web',
			key,
			() => typing,
		);
		expect(seen).toEqual(['j', 'k', '/', 'web']);
		seen.length = 0;
		dispatchKeys((input) => (seen.push(input) === 1 ? 'stop' : undefined), 'rjj', key, undefined);
		expect(seen).toEqual(['r']);
	});

	test('the dashboard moves three rows for "jjj" in one read, and back two for "kk"', async () => {
		const tasks = syntheticTasks(12);
		harness = renderDashboard({services: manyTasksServices(tasks), columns: 80, rows: 24});
		await harness.waitForFrame('12 tasks');
		const selected = () =>
			harness
				?.lastFrame()
				.split('\n')
				.find((line) => line.startsWith('› '))
				?.split(/\s+/)[1];
		const first = selected();
		expect(first).toMatch(/^bun-/);
		await harness.press('jjj');
		const order = harness
			.lastFrame()
			.split('\n')
			.filter((line) => /^[› ] bun-/.test(line))
			.map((line) => line.slice(2).split(/\s+/)[0]);
		const third = order[order.indexOf(first ?? '') + 3];
		await harness.waitForFrame((frame) => frame.includes(`› ${third}`));
		await harness.press('kk');
		const back = order[order.indexOf(first ?? '') + 1];
		await harness.waitForFrame((frame) => frame.includes(`› ${back}`));
		const footer = harness.lastFrame().trimEnd().split('\n').at(-1) ?? '';
		expect(footer).toMatch(/\? help {2}q quit$/);
	});

	test('rows out of view are marked on the heading: ↓ more below, ↕ both ways, ↑ more above', async () => {
		const tasks = syntheticTasks(30);
		harness = renderDashboard({services: manyTasksServices(tasks), columns: 80, rows: 24});
		await harness.waitForFrame('30 tasks');
		const heading = () =>
			harness
				?.lastFrame()
				.split('\n')
				.find((line) => /TASK|BUNDLE/.test(line)) ?? '';
		expect(heading()).toMatch(/^↓ /);
		await harness.press('G');
		await harness.waitForFrame((frame) => /^↑ /m.test(frame));
		await harness.press('k'.repeat(15));
		await harness.waitForFrame((frame) => /^↕ /m.test(frame));
		expect(heading()).toMatch(/^↕ /);
	});
});
