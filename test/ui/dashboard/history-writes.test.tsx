/** The dashboard records a poll cycle's changed tasks in history with one write, however many changed (issue 16). */
import fs, {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, expect, test, vi} from 'vitest';
import {openHistory} from '../../../source/store/history.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {type DashboardHarness, renderDashboard} from './render-dashboard.js';

let env: TestServices | undefined;
let harness: DashboardHarness | undefined;
afterEach(async () => {
	vi.restoreAllMocks();
	harness?.cleanup();
	harness = undefined;
	await env?.close();
	env = undefined;
});

test('each poll cycle writes the history at most once, even when every task changed', async () => {
	env = await startTestServices({maxAttempts: 1});
	const historyDir = mkdtempSync(path.join(tmpdir(), 'bundledeck-ui-writes-'));
	const history = openHistory({cwd: historyDir, name: 'history'});
	const instances = (await env.services.listInstances('us-east-1')).filter((instance) => instance.eligible);
	expect(instances.length).toBeGreaterThan(2);
	for (const [index, instance] of instances.entries()) {
		const {task} = await env.services.startBundle({
			region: 'us-east-1',
			instanceId: instance.id,
			bucket: 'ui-writes',
			prefix: `p${index}`,
		});
		// An old snapshot: the first cycle sees every task as changed.
		history.recordBundle({...task, updateTime: new Date('2000-01-01T00:00:00Z')});
	}

	const file = path.join(historyDir, 'history.json');
	const renames = vi.spyOn(fs, 'renameSync');
	const writes = () => renames.mock.calls.filter(([, to]) => to === file).length;
	const perCycle: number[] = [];
	let last = 0;
	harness = renderDashboard({
		services: env.services,
		historyDir,
		config: {
			onCycle() {
				perCycle.push(writes() - last);
				last = writes();
			},
		},
	});
	await harness.waitForFrame(`${instances.length} tasks`);
	await waitFor(() => perCycle.length >= 4);
	harness.cleanup();
	harness = undefined;
	expect(writes()).toBeGreaterThan(0);
	expect(Math.max(...perCycle)).toBeLessThanOrEqual(1);
	const saved = openHistory({cwd: historyDir, name: 'history'}).list();
	expect(saved.every((entry) => entry.lastUpdate !== '2000-01-01T00:00:00.000Z')).toBe(true);
});
