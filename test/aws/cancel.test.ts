import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startTestServices, type TestServices} from '../helpers/services.js';
import {findInstance, waitForTask} from './support.js';

let fixture: TestServices;
const region = 'eu-west-1';

beforeAll(async () => {
	// Slow enough that the task is still bundling when the cancel arrives.
	fixture = await startTestServices({region, sandbox: {pace: {bytesPerSecond: 256 * 1024, stepDelayMs: 0}}});
});

afterAll(async () => {
	await fixture?.close();
});

describe('cancelBundle', () => {
	test('an active task goes to cancelling, then fails with an error saying it was cancelled', async () => {
		const web01 = await findInstance(fixture.services, region, 'web01');
		const started = await fixture.services.startBundle({
			region,
			instanceId: web01.id,
			bucket: 'bundledeck-cancel',
			prefix: 'cancel-me',
		});
		await waitForTask(fixture.services, region, started.task.bundleId, (task) => task.state === 'bundling');
		const cancelling = await fixture.services.cancelBundle(region, started.task.bundleId);
		expect(cancelling).toMatchObject({bundleId: started.task.bundleId, instanceId: web01.id, state: 'cancelling'});
		const done = await waitForTask(fixture.services, region, started.task.bundleId);
		expect(done.state).toBe('failed');
		expect(done.error?.message).toMatch(/cancel/i);
		expect(await fixture.services.prefixTaken('bundledeck-cancel', 'cancel-me')).toBe(false);
	});
});
