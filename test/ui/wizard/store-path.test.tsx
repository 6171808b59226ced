/**
 * The wizard's image -> S3 path against the sandbox region: an EBS-backed instance goes through the wizard to a
 * running chain (CreateImage accepted, the chain saved for the dashboard and a rerun to continue), and an AMI of
 * yours is stored directly.
 */
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {chainStatus} from '../../../source/core/work-model.js';
import {keys} from '../../helpers/keys.js';
import {startTestServices, type TestServices} from '../../helpers/services.js';
import {waitFor} from '../../helpers/wait-for.js';
import {openWizard, type WizardHarness} from './wizard-harness.js';

let ts: TestServices;
let app: WizardHarness | undefined;

beforeEach(async () => {
	ts = await startTestServices({maxAttempts: 1});
});

afterEach(async () => {
	try {
		app?.checkFrames(ts.sandbox.credentials.secretAccessKey);
	} finally {
		app?.cleanup();
		app = undefined;
		await ts.close();
	}
});

function calls(action: string): number {
	return ts.sandbox.requestLog().filter((entry) => entry.action === action).length;
}

async function filterAndChoose(wizard: WizardHarness, text: string) {
	await wizard.press('/');
	await wizard.type(text);
	await wizard.press(keys.enter);
	await wizard.waitForFrame((frame) => wizard.highlighted().includes(text) && !frame.includes('▏'));
	await wizard.press(keys.enter);
}

async function waitAvailable(imageId: string) {
	await waitFor(async () => (await ts.services.describeImages('us-east-1', [imageId]))[0]?.state === 'available', {
		timeout: 30_000,
	});
}

describe('wizard: image -> S3', () => {
	test('an EBS-backed instance goes through the wizard to a running chain', async () => {
		const {services} = ts;
		await services.createBucket('wiz-store-east', 'us-east-1');
		await services.createBucket('wiz-store-west', 'us-west-2');
		// An AMI of yours already has this name in the region
		const hr01 = (await services.listInstances('us-east-1')).find((instance) => instance.name === 'hr01');
		await services.createImage({region: 'us-east-1', instanceId: hr01?.id ?? '', name: 'erp01 monthly'});

		const wizard = openWizard(services);
		app = wizard;
		const list = await wizard.waitForFrame('Launched');
		expect(list).toMatch(/erp01 .* running +image → S3 /);
		expect(list).toMatch(/hr01 .* stopped +image → S3 /);
		expect(list).toMatch(/web01 .* running +bundle /);
		expect(list).toMatch(/file01 .*✗ Not running \(stopped\)/);
		await filterAndChoose(wizard, 'erp01');

		// Step 2: only the buckets of the instance's region, and why
		const buckets = await wizard.waitForFrame('wiz-store-east');
		expect(buckets).toContain('Which bucket takes the image? The instance is in us-east-1.');
		expect(buckets).not.toContain('wiz-store-west');
		expect(buckets.replaceAll(/\n\s*/g, ' ')).toContain(
			"1 bucket in other regions not offered: CreateStoreImageTask writes only to a bucket in the AMI's region (us-east-1).",
		);
		// Typed by name, a bucket elsewhere is refused
		while (!wizard.highlighted().includes('create a new bucket')) {
			await wizard.press(keys.up);
		}

		await wizard.press(keys.enter);
		await wizard.type('wiz-store-west');
		await wizard.press(keys.enter);
		const refused = await wizard.waitForFrame('✗ Bucket wiz-store-west is in us-west-2');
		expect(refused.replaceAll(/\n\s*/g, ' ')).toContain('needs a bucket in us-east-1 — pick one in us-east-1');
		await wizard.press(keys.escape);
		while (!wizard.highlighted().includes('wiz-store-east')) {
			await wizard.press(keys.down);
		}

		await wizard.press(keys.enter);

		// Step 3: the AMI name, proposed, validated, unique in the region
		const named = await wizard.waitForFrame('CreateImage makes an AMI');
		expect(named).toContain('3 AMI name');
		expect(named).toMatch(/AMI name.*erp01-\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\dZ/);
		await wizard.press('\u0015');
		await wizard.type('erp01 monthly');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('is already named "erp01 monthly"');
		await wizard.press('\u0015');
		await wizard.type('erp01 <bad>');
		await wizard.waitForFrame("AMI names can't contain");
		await wizard.press(keys.enter);
		expect(wizard.lastFrame()).not.toContain('Before you start');
		await wizard.press('\u0015');
		await wizard.type('erp01 monthly 2');
		await wizard.press(keys.enter);

		// Confirm: what happens, the warnings, the DryRun of both calls; at 80x24
		const confirm = await wizard.waitForFrame('Enter starts it');
		expect(confirm).toContain('AMI name  erp01 monthly 2');
		expect(confirm).toContain('1 CreateImage, with reboot (n toggles)');
		expect(confirm).toContain('erp01 reboots for a consistent image');
		expect(confirm).toContain('Sysprep (EC2Launch)');
		expect(confirm).toContain('D: and other instance store volumes are not kept');
		expect(confirm).toContain('Administrator password');
		expect(confirm).toContain('keep the bucket private, encrypted');
		expect(confirm).toContain('5,000 GB per AMI; 1,200 GB being stored at once');
		expect(confirm).toContain('✓ CreateImage DryRun passed (with reboot)');
		expect(confirm).toContain('✓ store task: bucket wiz-store-east is yours, in us-east-1');
		expect(confirm).not.toContain('more (↑↓ scroll)');
		expect(calls('CreateImage')).toBe(2);

		// n: no reboot, and the DryRun is asked again with it
		await wizard.press('n');
		const noReboot = await wizard.waitForFrame('✓ CreateImage DryRun passed (no reboot)');
		expect(noReboot).toContain('1 CreateImage, no reboot');
		expect(noReboot).toContain('No reboot: files open while imaging may be inconsistent');
		expect(calls('CreateImage')).toBe(3);

		await wizard.press(keys.enter);
		const started = await wizard.waitForFrame(/CreateImage accepted: (ami-[0-9a-f]+)/);
		const imageId = /CreateImage accepted: (ami-[0-9a-f]+)/.exec(started)?.[1] ?? '';
		await waitFor(() => wizard.chainsStarted.length === 1);

		// One real CreateImage; the chain is saved so the dashboard (or `store` again) continues it
		expect(calls('CreateImage')).toBe(4);
		const erp01 = (await services.listInstances('us-east-1')).find((instance) => instance.name === 'erp01');
		const chain = wizard.chains.find('us-east-1', imageId);
		expect(chain).toMatchObject({
			region: 'us-east-1',
			instanceId: erp01?.id,
			instanceName: 'erp01',
			imageId,
			name: 'erp01 monthly 2',
			bucket: 'wiz-store-east',
			noReboot: true,
		});
		// The store task is not asked for yet: it follows once the AMI is available
		expect(chain?.storeStartedAt).toBeUndefined();
		expect(wizard.chainsStarted[0]).toEqual(chain);
		const [image] = await services.describeImages('us-east-1', [imageId]);
		expect(image).toMatchObject({name: 'erp01 monthly 2', rootDeviceType: 'ebs'});
		const status = chainStatus(chain ?? wizard.chainsStarted[0]!, image, [], undefined);
		expect(['wait-image', 'start-store']).toContain(status.next);
		expect(wizard.settings.get('lastBucket')).toBe('wiz-store-east');
	});

	test('an AMI of yours (a) is stored directly: no name step, the store task DryRun, then the task', async () => {
		const {services} = ts;
		await services.createBucket('wiz-store-ami', 'us-east-1');
		const dc01 = (await services.listInstances('us-east-1')).find((instance) => instance.name === 'dc01');
		const {imageId} = await services.createImage({
			region: 'us-east-1',
			instanceId: dc01?.id ?? '',
			name: 'dc01 golden',
		});
		await waitAvailable(imageId);

		const wizard = openWizard(services);
		app = wizard;
		await wizard.waitForFrame('a: your AMIs');
		await wizard.press('a');
		const images = await wizard.waitForFrame('dc01 golden');
		expect(images).toContain('Your AMIs in us-east-1');
		expect(images.replaceAll(/\n\s*/g, ' ')).toContain('1 of 1 can be stored');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('Which bucket takes the image? The AMI is in us-east-1.');
		while (!wizard.highlighted().includes('wiz-store-ami')) {
			await wizard.press(keys.down);
		}

		await wizard.press(keys.enter);
		const confirm = await wizard.waitForFrame('Enter starts it');
		expect(confirm).toContain('✓ 1 AMI');
		expect(confirm).not.toContain('AMI name');
		expect(confirm).toContain(`Object    wiz-store-ami/${imageId}.bin`);
		expect(confirm).toContain('the store task only');
		expect(confirm).toContain('✓ CreateStoreImageTask DryRun passed');
		expect(confirm).not.toContain('reboot');

		await wizard.press(keys.enter);
		await wizard.waitForFrame(`Store task of ${imageId} started`);
		await waitFor(() => wizard.chainsStarted.length === 1);
		const [task] = await services.describeStoreTasks('us-east-1', [imageId]);
		expect(task).toMatchObject({amiId: imageId, bucket: 'wiz-store-ami'});
		expect(wizard.chains.find('us-east-1', imageId)?.instanceId).toBeUndefined();
		expect(wizard.chains.find('us-east-1', imageId)).toMatchObject({
			name: 'dc01 golden',
			bucket: 'wiz-store-ami',
		});
		expect(wizard.chains.find('us-east-1', imageId)?.storeStartedAt).toBeDefined();
	});
});

test('storing an AMI that a chain of bundledeck made keeps that chain (its instance and start)', async () => {
	const {services} = ts;
	await services.createBucket('wiz-store-chain', 'us-east-1');
	const hr01 = (await services.listInstances('us-east-1')).find((instance) => instance.name === 'hr01');
	const {imageId} = await services.createImage({region: 'us-east-1', instanceId: hr01?.id ?? '', name: 'hr01 chained'});
	await waitAvailable(imageId);
	const wizard = openWizard(services);
	app = wizard;
	const startedAt = '2026-11-29T20:00:00.000Z';
	wizard.chains.save({
		region: 'us-east-1',
		instanceId: hr01?.id,
		imageId,
		name: 'hr01 chained',
		bucket: 'wiz-store-chain',
		noReboot: true,
		startedAt,
		storeStartedAt: undefined,
	});
	await wizard.waitForFrame('a: your AMIs');
	await wizard.press('a');
	await wizard.waitForFrame('hr01 chained');
	await wizard.press(keys.enter);
	await wizard.waitForFrame('wiz-store-chain');
	while (!wizard.highlighted().includes('wiz-store-chain')) {
		await wizard.press(keys.down);
	}

	await wizard.press(keys.enter);
	await wizard.waitForFrame('Enter starts it');
	await wizard.press(keys.enter);
	await waitFor(() => wizard.chainsStarted.length === 1);
	expect(wizard.chains.find('us-east-1', imageId)).toMatchObject({instanceId: hr01?.id, noReboot: true, startedAt});
	expect(wizard.chains.find('us-east-1', imageId)?.storeStartedAt).toBeDefined();
	expect(wizard.chains.list()).toHaveLength(1);
});
