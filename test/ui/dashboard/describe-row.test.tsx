/**
 * Issue 15 friction: `d` (or Enter) shows the selected row in full — bucket and prefix, instance id and name, every
 * AMI with its region, the task id, the whole error — in an overlay that scrolls at 60x20; d, Enter or esc close it.
 * It is listed in the help overlay and in `--help`.
 */
import {afterEach, describe, expect, test} from 'vitest';
import {helpText} from '../../../source/commands/index.js';
import type {BundleTask} from '../../../source/core/types.js';
import {describeRow} from '../../../source/ui/components/row-description.js';
import {dashboardHelpKeys} from '../../../source/ui/screens/dashboard/dashboard-keys.js';
import {currentRows, initialDashboardState} from '../../../source/ui/state/dashboard-state.js';
import {keys} from '../../helpers/keys.js';
import {frameHeight} from '../../helpers/render.js';
import {manyTasksServices} from './fake-services.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

const longPrefix = 'nightly/windows-2019/app01-production-20261129-1914-before-the-patch-window';
const longError =
	'Client.S3Error: Access Denied writing app01-production-20261129-1914-before-the-patch-window.part.17 to bucket team-backups-eu: the bucket policy denies s3:PutObject for the EC2 bundle role (check the policy, then retry with t)';

const task: BundleTask = {
	bundleId: 'bun-0a1b2c3d',
	instanceId: 'i-0123456789abcdef0',
	region: 'us-east-1',
	state: 'failed',
	progress: 37,
	startTime: new Date(Date.now() - 600_000),
	updateTime: new Date(Date.now() - 300_000),
	bucket: 'team-backups-us-east-1-long-bucket-name',
	prefix: longPrefix,
	error: {code: 'Client.S3Error', message: longError},
};

const amis = [
	{imageId: 'ami-0aaaaaaaaaaaaaaa1', region: 'us-east-1', kind: 'registered'},
	{imageId: 'ami-0bbbbbbbbbbbbbbb2', region: 'eu-west-1', kind: 'migrated'},
	{imageId: 'ami-0ccccccccccccccc3', region: 'ap-southeast-2', kind: 'copied'},
] as const;

let harness: DashboardHarness | undefined;
afterEach(() => {
	harness?.cleanup();
	harness = undefined;
});

function recordHistory(target: DashboardHarness): void {
	target.history.recordBundle(task, 'app01-production');
	for (const ami of amis) {
		target.history.recordImage(task.bundleId, {...ami, name: `app01-${ami.kind}`, at: new Date().toISOString()});
	}
}

describe('d: the selected task in full', () => {
	test('the description holds every fact, none cut', () => {
		const state = initialDashboardState({
			watched: ['us-east-1'],
			history: [
				{
					kind: 'bundle',
					bundleId: task.bundleId,
					region: task.region,
					instanceId: task.instanceId,
					instanceName: 'app01-production',
					bucket: task.bucket,
					prefix: task.prefix,
					startedAt: task.startTime.toISOString(),
					lastState: 'failed',
					lastProgress: 37,
					lastUpdate: task.updateTime.toISOString(),
					error: task.error,
					images: amis.map((ami) => ({...ami, name: `app01-${ami.kind}`, at: new Date().toISOString()})),
					migrations: [],
				},
			],
			selectedKey: undefined,
		});
		const [row] = currentRows(state);
		const text = describeRow(row!, state.images, undefined, Date.now())
			.map((entry) => `${entry.key}: ${entry.label}`)
			.join('\n');
		expect(text).toContain(`task: ${task.bundleId}`);
		expect(text).toContain(`prefix: ${longPrefix}`);
		expect(text).toContain(`bucket: ${task.bucket}`);
		expect(text).toContain(`instance: app01-production (${task.instanceId})`);
		expect(text).toContain(longError);
		for (const ami of amis) {
			expect(text).toContain(`AMI ${ami.kind}: ${ami.imageId} in ${ami.region}`);
		}
	});

	test('60x20: d opens it, every line is reachable by scrolling, none cut; d, enter and esc close it', async () => {
		harness = renderDashboard({services: manyTasksServices([task]), columns: 60, rows: 20});
		recordHistory(harness);
		await harness.waitForFrame(/› bun-0a1b2c3d/);
		await harness.waitForFrame(/d describe/);
		await harness.press('d');
		let frame = await harness.waitForFrame('bun-0a1b2c3d in full');
		expect(frame).toContain('↑↓ scroll');
		// The overlay's lines in order: all of the first frame, then the line each ↓ brings in at the bottom
		const content = (current: string) => {
			const lines = current.split('\n');
			const first = lines.findIndex((line) => line.includes('in full'));
			const last = lines.findIndex((line) => line.includes('↑↓ scroll'));
			return lines.slice(first + 1, last).map((line) => line.replace(/^│/, '').replace(/│$/, ''));
		};

		const read = [...content(frame)];
		for (let step = 0; step < 60 && !/lines \d+-(\d+) of \1 /.test(frame); step++) {
			expect(frameHeight(frame)).toBeLessThan(20);
			expect(frame).not.toMatch(/…\s*│/);
			await harness.press(keys.down);
			frame = harness.lastFrame();
			read.push(content(frame).at(-1) ?? '');
		}

		const squeezed = read.join('').replaceAll(/\s+/g, '');
		for (const fact of [
			`task${task.bundleId}`,
			`bucket${task.bucket}`,
			`prefix${longPrefix}`,
			`instanceapp01-production(${task.instanceId})`,
			longError,
			...amis.map((ami) => `AMI${ami.kind}${ami.imageId}in${ami.region}`),
		]) {
			expect(squeezed).toContain(fact.replaceAll(/\s+/g, ''));
		}

		await harness.press('d');
		await harness.waitForFrame((current) => !current.includes('in full'));
		await harness.press(keys.enter);
		await harness.waitForFrame('bun-0a1b2c3d in full');
		await harness.press(keys.escape);
		await harness.waitForFrame((current) => !current.includes('in full') && current.includes('› bun-0a1b2c3d'));
		await harness.press(keys.enter);
		await harness.waitForFrame('bun-0a1b2c3d in full');
		await harness.press(keys.enter);
		await harness.waitForFrame((current) => !current.includes('in full'));
	});

	test('listed in the help overlay and in --help', () => {
		const hint = dashboardHelpKeys.find((entry) => entry.key === 'd enter');
		expect(hint?.label).toMatch(/in full/);
		const text = helpText();
		expect(text).toMatch(/^ {2}d enter +describe the selected task in full/m);
	});
});
