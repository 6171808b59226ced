/** An instance whose bundle task is still running is listed as being bundled, not as "Not running (stopped)". */
import {afterAll, beforeAll, expect, test} from 'vitest';
import {markBeingBundled} from '../../../source/ui/state/wizard-reducer.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {openWizard, type WizardHarness} from './wizard-harness.js';

let ts: TestServices;
let wizard: WizardHarness | undefined;

beforeAll(async () => {
	// Slow enough that the task is still running while the wizard lists the instances.
	ts = await startTestServices({maxAttempts: 1, sandbox: {pace: {bytesPerSecond: 512 * 1024}}});
});

afterAll(async () => {
	wizard?.cleanup();
	await ts?.close();
});

test('the instance of a running bundle task reads "Being bundled (bun-…)" and cannot be chosen (issue 15 #16)', async () => {
	const instances = await ts.services.listInstances('us-east-1');
	const web01 = instances.find((instance) => instance.name === 'web01');
	const {task} = await ts.services.startBundle({
		region: 'us-east-1',
		instanceId: web01?.id ?? '',
		bucket: 'being-bundled',
		prefix: 'web01-busy',
	});
	wizard = openWizard(ts.services, {columns: 100});
	const frame = await wizard.waitForFrame(`✗ Being bundled (${task.bundleId})`);
	expect(frame).toMatch(/web01 .*✗ Being bundled \(bun-[0-9a-f]+\)/);
	expect(frame).not.toMatch(/web01 .*Not running/);
	expect(wizard.highlighted()).not.toContain('web01');
});

test('markBeingBundled: only tasks still running mark their instance', () => {
	const instances = [
		{id: 'i-1', eligible: false, ineligibleReason: 'Not running (stopped)'},
		{id: 'i-2', eligible: true, ineligibleReason: undefined},
	] as Parameters<typeof markBeingBundled>[0];
	const task = (instanceId: string, state: 'bundling' | 'complete', bundleId: string) =>
		({instanceId, state, bundleId}) as Parameters<typeof markBeingBundled>[1][number];
	const marked = markBeingBundled(instances, [task('i-1', 'bundling', 'bun-aa'), task('i-2', 'complete', 'bun-bb')]);
	expect(marked[0]).toMatchObject({eligible: false, ineligibleReason: 'Being bundled (bun-aa)'});
	expect(marked[1]).toBe(instances[1]);
});
