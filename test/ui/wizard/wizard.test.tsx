import {PutObjectCommand} from '@aws-sdk/client-s3';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {memorySettings} from '../../../source/store/settings.js';
import {proposePrefix} from '../../../source/ui/state/wizard-prefix.js';
import {keys} from '../../helpers/keys.js';
import {s3Client} from '../../helpers/sandbox.js';
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

function open(options: Parameters<typeof openWizard>[1] = {}): WizardHarness {
	app = openWizard(ts.services, options);
	return app;
}

/** Step 1: filter down to one instance by name and choose it. */
async function chooseInstance(wizard: WizardHarness, name: string) {
	await wizard.waitForFrame('web01');
	await wizard.press('/');
	await wizard.type(name);
	await wizard.press(keys.enter);
	await wizard.waitForFrame((frame) => wizard.highlighted().includes(name) && !frame.includes('▏'));
	await wizard.press(keys.enter);
	await wizard.waitForFrame('Where should the bundle go?');
}

/** Step 2: "create a new bucket" with this name. */
async function chooseNewBucket(wizard: WizardHarness, name: string) {
	await wizard.waitForFrame(
		(frame) => frame.includes('create a new bucket') && !frame.includes('Loading your buckets'),
	);
	while (!wizard.highlighted().includes('create a new bucket')) {
		await wizard.press(keys.up);
	}

	await wizard.press(keys.enter);
	await wizard.type(name);
}

/** Step 2: an existing bucket from the list. */
async function chooseListedBucket(wizard: WizardHarness, name: string) {
	await wizard.waitForFrame(name);
	for (let i = 0; i < 20 && !wizard.highlighted().includes(name); i++) {
		await wizard.press(keys.down);
	}

	expect(wizard.highlighted()).toContain(name);
	await wizard.press(keys.enter);
	await wizard.waitForFrame('Manifest');
}

async function clearAndType(wizard: WizardHarness, text: string) {
	await wizard.press('\u0015'); // Ctrl+U
	await wizard.type(text);
}

describe('wizard against the sandbox region', () => {
	test('full path: instance, new bucket, default prefix, DryRun, start -> DescribeBundleTasks lists it', async () => {
		const settings = memorySettings();
		const wizard = open({settings});
		await wizard.waitForFrame('Launched');
		const list = wizard.lastFrame();
		// Eligible first, ineligible dimmed with the reason.
		expect(list).toMatch(/dc01 .* image → S3 /);
		expect(list).toMatch(/web01 .* bundle /);
		expect(list).toMatch(/build01 .*✗ Not Windows/);
		expect(list).toMatch(/file01 .*✗ Not running \(stopped\)/);
		expect(list.indexOf('web02')).toBeLessThan(list.indexOf('build01'));
		expect(list.replaceAll(/\n\s+/g, ' ')).toContain('9 of 11 can go: 5 bundle, 4 image → S3');

		await chooseInstance(wizard, 'web01');
		await chooseNewBucket(wizard, 'wizard-full-path');
		await wizard.waitForFrame('✓ valid name');
		await wizard.press(keys.enter);
		const prefixFrame = await wizard.waitForFrame('Prefix');
		expect(prefixFrame).toContain('wizard-full-path — new: will be created in us-east-1');
		const prefix = /Prefix (web01-\d{8}-\d{4})/.exec(prefixFrame)?.[1];
		expect(prefix).toBeDefined();
		expect(prefixFrame).toContain(`Manifest wizard-full-path/${prefix}.manifest.xml`);

		await wizard.press(keys.enter);
		const confirm = await wizard.waitForFrame('DryRun passed');
		expect(confirm).toContain(`Manifest  wizard-full-path/${prefix}.manifest.xml`);
		expect(confirm).toMatch(/valid until \d{4}-\d\d-\d\d \d\d:\d\d \(24 h\)/);
		expect(confirm).toContain('shut down, bundled, and restarted');
		expect(confirm).toContain('Only C: is bundled: D: and other instance store drives');
		expect(confirm).toContain('Administrator password');
		expect(confirm).toContain('sdelete -c C:\\');
		expect(confirm).not.toContain('Temporary credentials');

		await wizard.press(keys.enter);
		const done = await wizard.waitForFrame(/Bundle (bun-[0-9a-f]+) started/);
		const bundleId = /Bundle (bun-[0-9a-f]+) started/.exec(done)?.[1] ?? '';
		await waitFor(() => wizard.started.length === 1);
		expect(wizard.started[0]?.bundleId).toBe(bundleId);

		// One DryRun and one real BundleInstance, nothing more.
		expect(ts.sandbox.requestLog().filter((entry) => entry.action === 'BundleInstance')).toHaveLength(2);
		const [task] = await ts.services.describeBundleTasks('us-east-1', [bundleId]);
		expect(task).toMatchObject({bundleId, bucket: 'wizard-full-path', prefix});
		expect(wizard.history.get(bundleId)).toMatchObject({instanceName: 'web01', bucket: 'wizard-full-path', prefix});
		expect(settings.get('lastRegion')).toBe('us-east-1');
		expect(settings.get('lastBucket')).toBe('wizard-full-path');
		// The proposal was taken as is: it teaches no pattern (the default stays the default).
		expect(settings.get('prefixPattern')).toBeUndefined();
		// The wizard created the bucket in the instance's region.
		expect(await ts.services.probeBucket('wizard-full-path')).toEqual({status: 'owned', region: 'us-east-1'});
	});

	test('an ineligible instance is never highlighted and Enter on it does nothing', async () => {
		const wizard = open();
		await wizard.waitForFrame('Launched');
		for (let i = 0; i < 10; i++) {
			await wizard.press('j');
			expect(wizard.highlighted()).not.toContain('✗');
		}

		await wizard.press('/');
		await wizard.type('build01');
		await wizard.press(keys.enter);
		const frame = await wizard.waitForFrame((text) => text.includes('build01') && !text.includes('web01'));
		expect(frame).toContain('None of these can go');
		expect(wizard.highlighted()).toBe('');
		await wizard.press(keys.enter);
		expect(wizard.lastFrame()).toContain('0 of 1 can go');
	});

	test('a bucket of another account is refused with the reason', async () => {
		const wizard = open();
		await chooseInstance(wizard, 'web02');
		await chooseNewBucket(wizard, 'bundledeck-other-account-bucket');
		await wizard.press(keys.enter);
		const frame = await wizard.waitForFrame('belongs to another AWS account');
		expect(frame).toContain('Where should the bundle go?');
		expect(frame).toContain('✗ Bucket bundledeck-other-account-bucket belongs to another AWS account');
	});

	test('at 80x24 the refusal and the name hint wrap: the whole reason is readable, nothing is cut', async () => {
		const wizard = open({columns: 80, rows: 24});
		await chooseInstance(wizard, 'web02');
		await chooseNewBucket(wizard, 'bundledeck-other-account-bucket');
		const hint = await wizard.waitForFrame('valid name');
		expect(hint.replaceAll(/\n +/g, ' ')).toContain(
			'✓ valid name — enter checks it; a bucket that does not exist is created in us-east-1',
		);
		await wizard.press(keys.enter);
		const frame = await wizard.waitForFrame('belongs to another AWS account');
		expect(frame).not.toContain('…');
		expect(frame.replaceAll(/\n +/g, ' ')).toContain(
			'✗ Bucket bundledeck-other-account-bucket belongs to another AWS account: EC2 cannot write the bundle there — pick one of yours or a new name',
		);
	});

	test('at 80x24 the title with the filter and the counts wraps rather than cutting the counts', async () => {
		const wizard = open({columns: 80, rows: 24});
		await wizard.waitForFrame('web01');
		await wizard.press('/');
		await wizard.type('web01');
		const frame = await wizard.waitForFrame('filter: web01');
		expect(frame.replaceAll(/\n\s+/g, ' ')).toContain('1 of 1 can go: 1 bundle, 0 image → S3 (11 in all)');
		expect(frame).not.toContain('…');
	});

	test.each([
		[80, 24],
		[60, 20],
	])('at %ix%i the title is one line of whole phrases (it wrapped mid-phrase at 80)', async (columns, rows) => {
		const wizard = open({columns, rows});
		const frame = await wizard.waitForFrame('can go');
		const lines = frame.split('\n');
		const title = lines.findIndex((line) => line.includes('can go'));
		expect(lines[title]).toContain('9 of 11 can go: 5 bundle, 4 image → S3');
		// The line above is the breadcrumb: nothing of the title went there.
		expect(lines[title - 1]).toContain('1 instance');
		expect(lines[title + 1]).toMatch(/^ +Name +Instance/);
		expect(lines[title]!.length).toBeLessThanOrEqual(columns);
		expect(lines[title]).not.toContain('…');
	});

	test('keys that arrive in one read act once each: "jj" moves two rows, "jj\\r" moves and chooses', async () => {
		const wizard = open();
		await wizard.waitForFrame('web01');
		const rows = wizard
			.lastFrame()
			.split('\n')
			.filter((line) => /^[› ] \S+ +i-/.test(line) && !line.includes('✗'))
			.map((line) => line.slice(2).split(/\s+/)[0] ?? '');
		expect(wizard.highlighted()).toContain(rows[0]);
		await wizard.press('jj');
		await wizard.waitForFrame(() => wizard.highlighted().includes(rows[2] ?? '?'));
		await wizard.press('kjj\r');
		await wizard.waitForFrame(`✓ 1 instance ${rows[3]}`);
	});

	test('a bad bucket name is refused as you type and Enter does not check it', async () => {
		const wizard = open();
		await chooseInstance(wizard, 'web02');
		await chooseNewBucket(wizard, 'My_Bucket');
		expect(await wizard.waitForFrame("Bucket names can't contain uppercase letters")).toContain(
			'New bucket name: My_Bucket',
		);
		ts.sandbox.clearRequestLog();
		await wizard.press(keys.enter);
		expect(wizard.lastFrame()).toContain('Where should the bundle go?');
		expect(ts.sandbox.requestLog()).toEqual([]);
		await clearAndType(wizard, 'ab');
		await wizard.waitForFrame('Bucket names need at least 3 characters');
	});

	test('backspaces that arrive in one read (key held down) each erase a character', async () => {
		const wizard = open();
		await chooseInstance(wizard, 'web02');
		await chooseNewBucket(wizard, 'My_Bucket');
		await wizard.waitForFrame('New bucket name: My_Bucket');
		await wizard.press(keys.backspace.repeat(7));
		await wizard.waitForFrame((frame) => /New bucket name: My▏$/m.test(frame));
		await wizard.press(keys.backspace.repeat(5));
		await wizard.waitForFrame((frame) => /New bucket name: ▏$/m.test(frame));
	});

	test('a bucket in another region than the instance is refused with the reason (issue 15 #2)', async () => {
		await ts.services.createBucket('wizard-far-away', 'eu-west-1');
		const wizard = open({columns: 120});
		await chooseInstance(wizard, 'web02');
		const list = await wizard.waitForFrame('wizard-far-away');
		expect(list).toMatch(/wizard-far-away +eu-west-1 ✗ not the instance region/);
		await wizard.waitForFrame('wizard-far-away');
		for (let i = 0; i < 20 && !wizard.highlighted().includes('wizard-far-away'); i++) {
			await wizard.press(keys.down);
		}

		await wizard.press(keys.enter);
		const refused = await wizard.waitForFrame('✗ Bucket wizard-far-away is in eu-west-1');
		// The step stays: no prefix, no confirm, no start that would fail at once (PermanentRedirect).
		expect(refused).toContain('Where should the bundle go?');
		expect(refused.replaceAll(/\n/g, ' ')).toContain('PermanentRedirect) — pick a bucket in us-east-1 or a new name');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('✗ Bucket wizard-far-away is in eu-west-1');
		expect(wizard.lastFrame()).not.toContain('Manifest');
	});

	test('the remembered bucket in another region is passed over for one in the instance region (issue 15 #2)', async () => {
		await ts.services.createBucket('wizard-far-away', 'eu-west-1');
		await ts.services.createBucket('wizard-zz-near', 'us-east-1');
		const wizard = open({settings: memorySettings({lastBucket: 'wizard-far-away'})});
		await chooseInstance(wizard, 'web02');
		await wizard.waitForFrame('wizard-zz-near');
		expect(wizard.highlighted()).toContain('wizard-zz-near');
	});

	test('remembered bucket and prefix pattern are offered first', async () => {
		await ts.services.createBucket('wizard-remembered', 'us-east-1');
		await ts.services.createBucket('wizard-aaa', 'us-east-1');
		const settings = memorySettings({lastBucket: 'wizard-remembered', prefixPattern: 'bundles/{name}-{date}-{time}'});
		const wizard = open({settings});
		await chooseInstance(wizard, 'web02');
		await wizard.waitForFrame('wizard-remembered');
		expect(wizard.highlighted()).toContain('wizard-remembered');
		await wizard.press(keys.enter);
		expect(await wizard.waitForFrame('Manifest')).toMatch(/Prefix bundles\/web02-\d{8}-\d{4}▏\n/);
	});

	test('a taken prefix (the manifest exists) is refused with the reason', async () => {
		await ts.services.createBucket('wizard-taken', 'us-east-1');
		const s3 = s3Client(ts.sandbox, 'us-east-1', {forcePathStyle: true});
		await s3.send(new PutObjectCommand({Bucket: 'wizard-taken', Key: 'used/web02.manifest.xml', Body: '<manifest/>'}));
		s3.destroy();

		const wizard = open();
		await chooseInstance(wizard, 'web02');
		await chooseListedBucket(wizard, 'wizard-taken');
		await clearAndType(wizard, 'used/web02');
		await wizard.press(keys.enter);
		const frame = await wizard.waitForFrame('already exists');
		expect(frame).toContain('✗ wizard-taken/used/web02.manifest.xml already exists');
		expect(frame).toContain('Prefix used/web02');
		// Another prefix in the same folder is free.
		await wizard.type('-b');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('DryRun passed');
	});

	test('a proposed prefix that is taken is never proposed: the next free variant is (issue 15 #6)', async () => {
		await ts.services.createBucket('wizard-busy', 'us-east-1');
		const web02 = (await ts.services.listInstances('us-east-1')).find((item) => item.name === 'web02');
		const s3 = s3Client(ts.sandbox, 'us-east-1', {forcePathStyle: true});
		// The default for this minute and the next two (the test may cross a minute): all taken.
		for (const minutes of [0, 1, 2]) {
			const prefix = proposePrefix(undefined, 'web02', web02?.id ?? '', new Date(Date.now() + minutes * 60_000));
			await s3.send(new PutObjectCommand({Bucket: 'wizard-busy', Key: `${prefix}.manifest.xml`, Body: '<m/>'}));
		}

		s3.destroy();
		const wizard = open();
		await chooseInstance(wizard, 'web02');
		await chooseListedBucket(wizard, 'wizard-busy');
		const frame = await wizard.waitForFrame(/Prefix web02-\d{8}-\d{4}-2▏/);
		expect(frame).not.toContain('already exists');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('DryRun passed');
	});

	test('Ctrl+U and text in one read (typing fast): the field is cleared and keeps the text (issue 15 #13)', async () => {
		const wizard = open();
		await chooseInstance(wizard, 'web02');
		await chooseNewBucket(wizard, 'wizard-ctrl-u');
		await wizard.press(keys.enter);
		await wizard.waitForFrame(/Prefix web02-\d{8}-\d{4}▏/);
		await wizard.press('\u0015demo-13');
		await wizard.waitForFrame('Prefix demo-13▏');
	});

	test('a bad prefix is refused as you type and Enter stays on the step', async () => {
		await ts.services.createBucket('wizard-prefix', 'us-east-1');
		const wizard = open();
		await chooseInstance(wizard, 'web02');
		await chooseListedBucket(wizard, 'wizard-prefix');
		await clearAndType(wizard, 'my bundle');
		const frame = await wizard.waitForFrame("Prefixes can't contain spaces");
		expect(frame).toContain('Manifest —');
		await wizard.press(keys.enter);
		expect(wizard.lastFrame()).toContain("Prefixes can't contain spaces");
		await clearAndType(wizard, 'folder/');
		await wizard.waitForFrame("Prefixes can't end with '/'");
		await wizard.press(keys.enter);
		expect(wizard.lastFrame()).toContain('Prefix folder/');
		expect(wizard.lastFrame()).not.toContain('DryRun');
	});

	test('Esc goes back one step at a time and every step keeps what was entered', async () => {
		const wizard = open();
		await chooseInstance(wizard, 'app02');
		await chooseNewBucket(wizard, 'wizard-back-nav');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('Prefix');
		await clearAndType(wizard, 'kept/app02-custom');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('DryRun passed');

		await wizard.press(keys.escape);
		expect(await wizard.waitForFrame('Prefix kept/app02-custom')).toContain('wizard-back-nav — new');
		await wizard.press(keys.escape);
		await wizard.waitForFrame('Where should the bundle go?');
		expect(wizard.highlighted()).toContain('create a new bucket');
		expect(wizard.lastFrame()).toContain('New bucket name: wizard-back-nav');
		await wizard.press(keys.escape);
		await wizard.waitForFrame('can go');
		expect(wizard.lastFrame()).toContain('filter: app02');
		expect(wizard.highlighted()).toContain('app02');

		// Forward again: everything is still there.
		await wizard.press(keys.enter);
		await wizard.waitForFrame('Where should the bundle go?');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('New bucket name: wizard-back-nav');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('Prefix kept/app02-custom');
		await wizard.press(keys.enter);
		expect(await wizard.waitForFrame('DryRun passed')).toContain(
			'Manifest  wizard-back-nav/kept/app02-custom.manifest.xml',
		);

		// Esc on step 1 (with the filter cleared first) leaves the wizard.
		await wizard.press(keys.escape, keys.escape, keys.escape);
		await wizard.waitForFrame('can go');
		await wizard.press(keys.escape);
		await wizard.waitForFrame((frame) => !frame.includes('filter:'));
		await wizard.press(keys.escape);
		await waitFor(() => wizard.counts.cancels === 1);
	});

	test('a failing DryRun is shown as one line and Enter does not start', async () => {
		await ts.services.createBucket('wizard-dryrun', 'us-east-1');
		const wizard = open({columns: 160});
		await chooseInstance(wizard, 'sql01');
		await chooseListedBucket(wizard, 'wizard-dryrun');
		// Meanwhile someone else starts bundling the same instance.
		const instance = (await ts.services.listInstances('us-east-1')).find((item) => item.name === 'sql01');
		await ts.services.startBundle({
			region: 'us-east-1',
			instanceId: instance?.id ?? '',
			bucket: 'wizard-dryrun',
			prefix: 'other',
		});
		await wizard.press(keys.enter);
		const frame = await wizard.waitForFrame('DryRun failed');
		expect(frame).toMatch(/✗ DryRun failed \(r re-runs it\): the instance i-[0-9a-f]+ is already being bundled/);
		expect(frame).not.toContain('enter start bundle');
		const tasks = await ts.services.describeBundleTasks('us-east-1');
		await wizard.press(keys.enter);
		expect(wizard.lastFrame()).not.toContain('Starting the bundle');
		expect(await ts.services.describeBundleTasks('us-east-1')).toHaveLength(tasks.length);
	});

	test('a failed start is one line, the step stays, and Enter tries again', async () => {
		await ts.services.createBucket('wizard-start-fails', 'us-east-1');
		const wizard = open({columns: 160});
		await chooseInstance(wizard, 'app01');
		await chooseListedBucket(wizard, 'wizard-start-fails');
		await wizard.press(keys.enter);
		await wizard.waitForFrame('DryRun passed');
		ts.sandbox.setFaults({serverErrorRate: 1, actions: ['BundleInstance']});
		await wizard.press(keys.enter);
		const failed = await wizard.waitForFrame('Could not start the bundle');
		expect(failed.split('\n').filter((line) => line.includes('✗'))).toHaveLength(1);
		expect(failed).toContain('Before you start');
		expect(wizard.started).toEqual([]);
		expect(await ts.services.describeBundleTasks('us-east-1')).toEqual([]);

		ts.sandbox.setFaults({});
		await wizard.press(keys.enter);
		const done = await wizard.waitForFrame(/Bundle bun-[0-9a-f]+ started/);
		expect(done).not.toContain('Could not start');
		expect(await ts.services.describeBundleTasks('us-east-1')).toHaveLength(1);
	});

	test('temporary credentials are warned about on the confirm step', async () => {
		// The sandbox only issues long-term keys: this one answer is faked, every call still goes to the sandbox.
		const services = new Proxy(ts.services, {
			get(target, property, receiver) {
				if (property === 'usesTemporaryCredentials') {
					return async () => true;
				}

				const value: unknown = Reflect.get(target, property, receiver);
				return typeof value === 'function' ? value.bind(target) : value;
			},
		});
		await ts.services.createBucket('wizard-temporary', 'us-east-1');
		app = openWizard(services);
		const wizard = app;
		await chooseInstance(wizard, 'web02');
		await chooseListedBucket(wizard, 'wizard-temporary');
		await wizard.press(keys.enter);
		expect(await wizard.waitForFrame('DryRun passed')).toContain('Temporary credentials');
	});

	test('region picker switches the region and lists its instances', async () => {
		// Wide enough for the AZ column
		const wizard = open({columns: 100});
		await wizard.waitForFrame('us-east-1a');
		await wizard.press('g');
		await wizard.waitForFrame('us-west-2');
		for (let i = 0; i < 10 && !wizard.highlighted().includes('us-west-2'); i++) {
			await wizard.press(keys.down);
		}

		await wizard.press(keys.enter);
		const frame = await wizard.waitForFrame('us-west-2a');
		expect(frame).toContain('Instances in us-west-2');
		expect(frame).not.toContain('us-east-1a');
	});

	test('a failed load explains what to do and r retries', async () => {
		ts.sandbox.setFaults({serverErrorRate: 1, actions: ['DescribeInstances']});
		const wizard = open();
		const frame = await wizard.waitForFrame('Could not list the instances');
		expect(frame).toMatch(/credentials|region|permission/i);
		expect(frame).toContain('r retries');
		ts.sandbox.setFaults({});
		await wizard.press('r');
		await wizard.waitForFrame('web01');
	});

	test('q quits, but types a q into a text field; ? opens the help', async () => {
		const wizard = open();
		await wizard.waitForFrame('web01');
		await wizard.press('?');
		await wizard.waitForFrame('Bundle wizard — keys');
		await wizard.press(keys.escape);
		await wizard.waitForFrame('Launched');
		await wizard.press('/');
		await wizard.type('q');
		await wizard.waitForFrame('filter: q');
		expect(wizard.quits).toBe(0);
		await wizard.press(keys.escape);
		await wizard.waitForFrame((frame) => !frame.includes('filter:'));
		await wizard.press('q');
		await waitFor(() => wizard.quits === 1);
	});

	test('frames stay shorter than the terminal at 80x24 and after resizes', async () => {
		const wizard = open({columns: 80, rows: 24});
		await wizard.waitForFrame('Launched');
		wizard.resize(100, 10);
		const small = await wizard.waitForFrame((frame) => frame.includes('more'));
		expect(small.split('\n').length).toBeLessThan(10);
		wizard.resize(60, 14);
		await wizard.waitForFrame((frame) => frame.split('\n').length < 14 && frame.includes('more'));
		wizard.resize(40, 8);
		await wizard.waitForFrame((frame) => frame.split('\n').length < 8 && frame.includes('more'));
		await wizard.press('?');
		await wizard.waitForFrame('Bundle wizard');
		await wizard.press(keys.escape);
		wizard.resize(80, 24);
		await wizard.waitForFrame((frame) => frame.includes('web01') && frame.includes('file01'));
		wizard.checkFrames(ts.sandbox.credentials.secretAccessKey);
	});
});
