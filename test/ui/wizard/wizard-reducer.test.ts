import {describe, expect, test} from 'vitest';
import type {Instance} from '../../../source/core/types.js';
import {newBucketKey} from '../../../source/ui/state/new-bucket.js';
import type {WizardAction, WizardKey} from '../../../source/ui/state/wizard-actions.js';
import {prefixPatternOf, proposePrefix} from '../../../source/ui/state/wizard-prefix.js';
import {
	bucketRows,
	bucketsElsewhere,
	imageCursorIndex,
	imagesPending,
	initialWizardState,
	instanceCursorIndex,
	visibleImages,
	visibleInstances,
	type WizardState,
	wizardPath,
	wizardReducer,
	wizardSteps,
} from '../../../source/ui/state/wizard-reducer.js';
import {none} from '../dialogs/keys.js';

const now = new Date(2026, 10, 23, 14, 2).getTime();

function key(input: string, flags: Partial<WizardKey> = {}): WizardAction {
	return {type: 'key', input, key: {...none, ...flags}, now};
}

function instance(name: string, eligible: boolean): Instance {
	return {
		id: `i-${Buffer.from(name).toString('hex').padEnd(17, '0').slice(0, 17)}`,
		region: 'us-east-1',
		name,
		type: 'm1.small',
		availabilityZone: 'us-east-1a',
		state: eligible ? 'running' : 'stopped',
		launchTime: undefined,
		platform: 'windows',
		rootDeviceType: 'instance-store',
		eligible,
		ineligibleReason: eligible ? undefined : 'Not running (stopped)',
	};
}

function run(state: WizardState, ...actions: WizardAction[]): WizardState {
	return actions.reduce(wizardReducer, state);
}

function loaded(instances: Instance[]): WizardState {
	const state = initialWizardState({region: 'us-east-1'});
	return run(state, {type: 'instances-loaded', seq: 1, instances});
}

const highlighted = (state: WizardState) => visibleInstances(state)[instanceCursorIndex(state)]?.name;

describe('wizard reducer', () => {
	test('eligible instances come first and the cursor skips ineligible ones', () => {
		const state = loaded([instance('a-stopped', false), instance('web02', true), instance('web01', true)]);
		expect(visibleInstances(state).map((item) => item.name)).toEqual(['web01', 'web02', 'a-stopped']);
		expect(highlighted(state)).toBe('web01');
		const moved = run(state, key('j'), key('j'), key('', {downArrow: true}));
		expect(highlighted(moved)).toBe('web02');
		expect(highlighted(run(moved, key('k')))).toBe('web01');
	});

	test('PgDn / PgUp move by the page the screen reports, within the eligible rows', () => {
		const names = Array.from({length: 30}, (_, index) => `srv${String(index).padStart(2, '0')}`);
		const state = run(loaded([...names.map((name) => instance(name, true)), instance('zz-off', false)]), {
			type: 'layout',
			page: 12,
		});
		const down = run(state, key('', {pageDown: true}));
		expect(highlighted(down)).toBe('srv12');
		expect(highlighted(run(down, key('', {pageDown: true}), key('', {pageDown: true})))).toBe('srv29');
		expect(highlighted(run(down, key('', {pageUp: true}), key('', {pageUp: true})))).toBe('srv00');
	});

	test('Enter on a list with no eligible instance stays on step 1', () => {
		const state = run(loaded([instance('off', false)]), key('', {return: true}));
		expect(state.step).toBe('instance');
		expect(instanceCursorIndex(state)).toBe(-1);
	});

	test('/ filters as you type (q and j are typed), Enter keeps it, Esc clears it', () => {
		const state = loaded([instance('web01', true), instance('qj-box', true)]);
		const typing = run(state, key('/'), key('q'), key('j'));
		expect(typing.filter).toBe('qj');
		expect(typing.intent).toBeUndefined();
		expect(visibleInstances(typing).map((item) => item.name)).toEqual(['qj-box']);
		const kept = run(typing, key('', {return: true}));
		expect(kept).toMatchObject({filtering: false, filter: 'qj', step: 'instance'});
		const cleared = run(kept, key('', {escape: true}));
		expect(cleared.filter).toBe('');
		expect(run(cleared, key('', {escape: true})).intent).toEqual({type: 'cancel'});
	});

	test('q quits outside text fields; ? toggles help, which swallows other keys', () => {
		const state = loaded([instance('web01', true)]);
		expect(run(state, key('q')).intent).toEqual({type: 'quit'});
		const help = run(state, key('?'));
		expect(help.help).toBe(true);
		expect(run(help, key('', {return: true})).step).toBe('instance');
		expect(run(help, key('', {escape: true})).help).toBe(false);
	});

	test('answers to an older request are ignored', () => {
		const state = run(loaded([instance('web01', true)]), {type: 'region', region: 'eu-west-1'});
		expect(state.instances.status).toBe('loading');
		const stale = run(state, {type: 'instances-loaded', seq: 1, instances: [instance('old', true)]});
		expect(stale.instances.status).toBe('loading');
	});

	test('probe answers: foreign is refused, missing goes on to the prefix with the proposed name', () => {
		const chosen = run(loaded([instance('web01', true)]), key('', {return: true}));
		expect(chosen.step).toBe('bucket');
		const typing = run(chosen, key('', {return: true}), key('new-bucket'));
		expect(typing.newBucketName).toBe('new-bucket');
		const probing = run(typing, key('', {return: true}));
		expect(probing.probe?.status).toBe('checking');
		const seq = probing.probe?.status === 'checking' ? probing.probe.seq : -1;
		const refused = run(probing, {type: 'probe-done', seq, probe: {status: 'foreign'}, now});
		expect(refused.step).toBe('bucket');
		expect(refused.probe).toMatchObject({status: 'refused', reason: expect.stringContaining('another AWS account')});
		const created = run(probing, {type: 'probe-done', seq, probe: {status: 'missing'}, now});
		expect(created).toMatchObject({step: 'prefix', bucket: {name: 'new-bucket', status: 'missing'}});
		expect(created.prefix).toBe('web01-20261123-1402');
	});
});

describe('prefix patterns', () => {
	const at = new Date(2026, 10, 23, 14, 2);
	test('the pattern behind a chosen prefix proposes the same shape next time', () => {
		expect(prefixPatternOf('backups/web01-20261123-1402', 'web01', 'i-0', at)).toBe('backups/{name}-{date}-{time}');
		expect(proposePrefix('backups/{name}-{date}-{time}', 'app02', 'i-0', new Date(2026, 0, 2, 3, 4))).toBe(
			'backups/app02-20260102-0304',
		);
		expect(prefixPatternOf('fixed-name', 'web01', 'i-0', at)).toBeUndefined();
		expect(proposePrefix(undefined, 'Web 01!', 'i-0', at)).toBe('web-01-20261123-1402');
	});

	test('a failure goes to the request waiting for its seq; a stale one is dropped', () => {
		const state = initialWizardState({region: 'us-east-1'});
		const failure = {line: 'UnauthorizedOperation: no', code: 'UnauthorizedOperation'};
		expect(wizardReducer(state, {type: 'failed', seq: 9, failure, aborted: false})).toBe(state);
		expect(wizardReducer(state, {type: 'failed', seq: 1, failure, aborted: false}).instances).toEqual({
			status: 'failed',
			failure,
		});
	});
});

describe('list keys and text bursts', () => {
	test('End and G go to the last eligible instance, Home to the first; G is typed in the filter', () => {
		const state = loaded([
			instance('web01', true),
			instance('web02', true),
			instance('web03', true),
			instance('off', false),
		]);
		expect(highlighted(run(state, key('', {end: true})))).toBe('web03');
		expect(highlighted(run(state, key('G')))).toBe('web03');
		expect(highlighted(run(state, key('G'), key('', {home: true})))).toBe('web01');
		const filtering = run(state, key('/'), key('G'));
		expect(filtering.filter).toBe('G');
	});

	test('End / Home in the bucket list and the region picker', () => {
		const chosen = run(loaded([instance('web01', true)]), key('', {return: true}), {
			type: 'buckets-loaded',
			seq: 2,
			buckets: [
				{name: 'a-bucket', region: 'us-east-1', creationDate: undefined},
				{name: 'b-bucket', region: 'us-east-1', creationDate: undefined},
			],
		});
		expect(run(chosen, key('', {end: true})).bucketCursor).toBe('b-bucket');
		expect(run(chosen, key('G'), key('', {home: true})).bucketCursor).toBe(newBucketKey);
		const picker = run(loaded([instance('web01', true)]), key('g'), {
			type: 'regions-loaded',
			seq: 2,
			regions: ['eu-west-1', 'us-east-1', 'us-west-2'],
		});
		expect(run(picker, key('G')).regionCursor).toBe(2);
		expect(run(picker, key('', {home: true})).regionCursor).toBe(0);
	});

	test('Ctrl+U then text in the same read clears the field and keeps the text (issue 15 #13)', () => {
		const probing = run(
			loaded([instance('web01', true)]),
			key('', {return: true}),
			key('', {return: true}),
			key('nb1'),
		);
		const seq = probing.seq;
		const prefix = run(probing, key('', {return: true}), {
			type: 'probe-done',
			seq: seq + 1,
			probe: {status: 'missing'},
			now,
		});
		expect(prefix.step).toBe('prefix');
		expect(run(prefix, key('\u0015demo')).prefix).toBe('demo');
		expect(run(prefix, key('x\u0015web02-a')).prefix).toBe('web02-a');
		// ...and an Enter in that read still acts (the walk's `send-keys C-u name Enter` needed a second Enter)
		const entered = run(prefix, key('\u0015web02-a\r'));
		expect(entered.prefix).toBe('web02-a');
		expect(entered.step).toBe('confirm');
	});
});

describe('bucket region (issue 15 #2)', () => {
	const bucketIn = (name: string, region: string) => ({name, region, creationDate: undefined});

	test('an owned bucket in another region is refused when probed; the step stays', () => {
		const chosen = run(loaded([instance('web01', true)]), key('', {return: true}));
		const probing = run(chosen, {type: 'buckets-loaded', seq: 2, buckets: [bucketIn('far', 'eu-west-1')]}, key('j'));
		expect(probing.bucketCursor).toBe('far');
		const asked = run(probing, key('', {return: true}));
		const seq = asked.probe?.status === 'checking' ? asked.probe.seq : -1;
		const refused = run(asked, {type: 'probe-done', seq, probe: {status: 'owned', region: 'eu-west-1'}, now});
		expect(refused.step).toBe('bucket');
		expect(refused.probe).toMatchObject({status: 'refused', reason: expect.stringContaining('is in eu-west-1')});
	});

	test('the confirm step never starts with a bucket in another region, even after a passed DryRun', () => {
		const base = loaded([instance('web01', true)]);
		const web01 = visibleInstances(base)[0];
		const state: WizardState = {
			...base,
			step: 'confirm',
			instance: web01,
			bucket: {name: 'far', status: 'owned', region: 'eu-west-1'},
			prefix: 'web01-x',
			preflight: {status: 'passed'},
		};
		expect(run(state, key('', {return: true})).start).toBeUndefined();
		const near: WizardState = {...state, bucket: {name: 'near', status: 'owned', region: 'us-east-1'}};
		expect(run(near, key('', {return: true})).start?.status).toBe('running');
	});

	test('a late bucket list moves the remembered cursor off a bucket in another region', () => {
		const state = run(
			{...initialWizardState({region: 'us-east-1', lastBucket: 'far'})},
			{type: 'instances-loaded', seq: 1, instances: [instance('web01', true)]},
			key('', {return: true}),
			{type: 'buckets-loaded', seq: 2, buckets: [bucketIn('far', 'eu-west-1'), bucketIn('zz-near', 'us-east-1')]},
		);
		expect(state.bucketCursor).toBe('zz-near');
		const none = run(
			{...initialWizardState({region: 'us-east-1', lastBucket: 'far'})},
			{type: 'instances-loaded', seq: 1, instances: [instance('web01', true)]},
			key('', {return: true}),
			{type: 'buckets-loaded', seq: 2, buckets: [bucketIn('far', 'eu-west-1')]},
		);
		expect(none.bucketCursor).toBe(newBucketKey);
	});
});

describe('proposed prefixes stay unique (issue 15 #6)', () => {
	const at = new Date(2026, 10, 29, 19, 14);

	test('a prefix without the date and the time teaches no pattern; such a remembered pattern is not used', () => {
		expect(prefixPatternOf('app01-2026', 'app01', 'i-0', at)).toBeUndefined();
		expect(prefixPatternOf('app01-20261129', 'app01', 'i-0', at)).toBeUndefined();
		expect(prefixPatternOf('b/app01-20261129-1914', 'app01', 'i-0', at)).toBe('b/{name}-{date}-{time}');
		expect(proposePrefix('{name}-2026', 'app01', 'i-0', at)).toBe('app01-20261129-1914');
	});

	function atPrefixStep(status: 'owned' | 'missing'): WizardState {
		const chosen = run(loaded([instance('web01', true)]), key('', {return: true}), {
			type: 'buckets-loaded',
			seq: 2,
			buckets: [{name: 'mine', region: 'us-east-1', creationDate: undefined}],
		});
		const asked = run(chosen, key('j'), key('', {return: true}));
		const seq = asked.probe?.status === 'checking' ? asked.probe.seq : -1;
		const probe = status === 'owned' ? ({status, region: 'us-east-1'} as const) : ({status} as const);
		return run(asked, {type: 'probe-done', seq, probe, now});
	}

	test('a taken proposal is replaced by the next free variant, checked in turn', () => {
		const state = atPrefixStep('owned');
		expect(state.prefix).toBe('web01-20261123-1402');
		const first = state.proposalCheck;
		expect(first).toMatchObject({status: 'running', attempt: 1});
		const taken = run(state, {type: 'proposal-checked', seq: first?.seq ?? -1, taken: true});
		expect(taken.prefix).toBe('web01-20261123-1402-2');
		const again = run(taken, {type: 'proposal-checked', seq: taken.proposalCheck?.seq ?? -1, taken: true});
		expect(again.prefix).toBe('web01-20261123-1402-3');
		const free = run(again, {type: 'proposal-checked', seq: again.proposalCheck?.seq ?? -1, taken: false});
		expect(free.prefix).toBe('web01-20261123-1402-3');
		expect(free.proposalCheck).toBeUndefined();
		// A stale answer changes nothing.
		expect(run(free, {type: 'proposal-checked', seq: first?.seq ?? -1, taken: true})).toBe(free);
	});

	test('typing drops the proposal check; a new bucket is not checked', () => {
		const state = atPrefixStep('owned');
		const typed = run(state, key('x'));
		expect(typed.proposalCheck).toBeUndefined();
		expect(run(typed, {type: 'proposal-checked', seq: state.proposalCheck?.seq ?? -1, taken: true}).prefix).toBe(
			'web01-20261123-1402x',
		);
		expect(atPrefixStep('missing').proposalCheck).toBeUndefined();
	});
});

describe('wizard reducer: image -> S3', () => {
	const ebs = (name: string): Instance => ({
		...instance(name, false),
		state: 'running',
		rootDeviceType: 'ebs',
		ineligibleReason: 'EBS-backed: use CreateImage instead',
	});
	const buckets = [
		{name: 'east', region: 'us-east-1', creationDate: undefined},
		{name: 'west', region: 'us-west-2', creationDate: undefined},
	];

	function atBucketStep(): WizardState {
		const chosen = run(loaded([ebs('erp01')]), key('', {return: true}));
		const seq = chosen.buckets?.status === 'loading' ? chosen.buckets.seq : -1;
		return run(chosen, {type: 'buckets-loaded', seq, buckets});
	}

	test('an EBS-backed instance is chosen for image -> S3; only the buckets of its region are offered', () => {
		const state = atBucketStep();
		expect(wizardPath(state)).toBe('store');
		expect(bucketRows(state).map((row) => row.key)).toEqual([newBucketKey, 'east']);
		expect(bucketsElsewhere(state).map((bucket) => bucket.name)).toEqual(['west']);
	});

	test('a bucket elsewhere typed by name is refused; one in the region opens the AMI name step', () => {
		const state = run(atBucketStep(), key('', {return: true}), key('w'), key('e'), key('s'), key('t'));
		const probing = run(state, key('', {return: true}));
		const seq = probing.probe?.status === 'checking' ? probing.probe.seq : -1;
		const refused = run(probing, {type: 'probe-done', seq, probe: {status: 'owned', region: 'us-west-2'}, now});
		expect(refused.probe).toMatchObject({status: 'refused'});
		expect(refused.step).toBe('bucket');
		const accepted = run(probing, {type: 'probe-done', seq, probe: {status: 'owned', region: 'us-east-1'}, now});
		expect(accepted.step).toBe('prefix');
		expect(accepted.amiName).toMatch(/^erp01-2026-11-23T\d\d\.02\.00Z$/);
	});

	test('a taken AMI name stays on step 3; a free one opens confirm; n toggles the reboot and asks the DryRun again', () => {
		const named = run(atBucketStep(), key('', {downArrow: true}), key('', {return: true}));
		const probeSeq = named.probe?.status === 'checking' ? named.probe.seq : -1;
		const step3 = run(named, {type: 'probe-done', seq: probeSeq, probe: {status: 'owned', region: 'us-east-1'}, now});
		const checking = run(step3, key('', {return: true}));
		const seq = checking.amiNameCheck?.status === 'running' ? checking.amiNameCheck.seq : -1;
		expect(run(checking, {type: 'ami-name-checked', seq, taken: true, now}).amiNameCheck).toEqual({status: 'taken'});
		const confirm = run(checking, {type: 'ami-name-checked', seq, taken: false, now});
		expect(confirm.step).toBe('confirm');
		expect(confirm.noReboot).toBe(false);
		const toggled = run(confirm, key('n'));
		expect(toggled.noReboot).toBe(true);
		expect(toggled.preflight?.status).toBe('running');
		expect(toggled.preflight).not.toEqual(confirm.preflight);
	});

	test('a: your AMIs; an available EBS-backed one skips the name step', () => {
		const listing = run(loaded([ebs('erp01')]), key('a'));
		expect(listing.source).toBe('images');
		const seq = listing.images?.status === 'loading' ? listing.images.seq : -1;
		const ami = {
			imageId: 'ami-0123456789abcdef0',
			region: 'us-east-1',
			name: 'golden',
			description: undefined,
			state: 'available' as const,
			imageLocation: undefined,
			architecture: 'x86_64',
			rootDeviceType: 'ebs',
			platform: 'windows',
			creationDate: undefined,
		};
		const chosen = run(
			listing,
			{
				type: 'images-loaded',
				seq,
				images: [{...ami, imageId: 'ami-1111111111111111f', rootDeviceType: 'instance-store'}, ami],
			},
			key('', {return: true}),
		);
		expect(chosen.image?.imageId).toBe('ami-0123456789abcdef0');
		expect(chosen.instance).toBeUndefined();
		expect(wizardSteps(chosen)).toEqual(['instance', 'bucket', 'confirm']);
		const bucketsSeq = chosen.buckets?.status === 'loading' ? chosen.buckets.seq : -1;
		const probing = run(
			chosen,
			{type: 'buckets-loaded', seq: bucketsSeq, buckets},
			key('', {downArrow: true}),
			key('', {return: true}),
		);
		const probeSeq = probing.probe?.status === 'checking' ? probing.probe.seq : -1;
		const confirm = run(probing, {
			type: 'probe-done',
			seq: probeSeq,
			probe: {status: 'owned', region: 'us-east-1'},
			now,
		});
		expect(confirm.step).toBe('confirm');
		expect(run(confirm, key('', {escape: true})).step).toBe('bucket');
		// No reboot toggle without an instance
		expect(run(confirm, key('n')).noReboot).toBe(false);
	});
});

describe('the AMI list while an AMI is pending (issue 13)', () => {
	const ami = {
		imageId: 'ami-0123456789abcdef0',
		region: 'us-east-1',
		name: 'golden',
		description: undefined,
		state: 'pending' as const,
		imageLocation: undefined,
		architecture: 'x86_64',
		rootDeviceType: 'ebs',
		platform: 'windows',
		creationDate: undefined,
	};

	test('it is read again in the background until the AMI is available, which can then be chosen', () => {
		const listing = run(loaded([instance('web01', true)]), key('a'));
		const seq = listing.images?.status === 'loading' ? listing.images.seq : -1;
		const shown = run(listing, {type: 'images-loaded', seq, images: [ami]});
		expect(imagesPending(shown)).toBe(true);
		// Enter does nothing on a pending AMI
		expect(run(shown, key('', {return: true})).step).toBe('instance');
		const polled = run(shown, {type: 'images-poll'});
		expect(polled.imagesRefresh?.status).toBe('running');
		// The list shown stays while the background read runs
		expect(polled.images?.status).toBe('ready');
		// A second tick does not start a second read
		expect(run(polled, {type: 'images-poll'}).seq).toBe(polled.seq);
		const refreshed = run(polled, {
			type: 'images-loaded',
			seq: polled.imagesRefresh?.seq ?? -1,
			images: [{...ami, state: 'available'}],
		});
		expect(refreshed.imagesRefresh).toBeUndefined();
		expect(imagesPending(refreshed)).toBe(false);
		expect(run(refreshed, {type: 'images-poll'})).toBe(refreshed);
		expect(run(refreshed, key('', {return: true})).step).toBe('bucket');
	});

	test('the highlighted AMI stays highlighted when a newer one becomes available', () => {
		const listing = run(loaded([instance('web01', true)]), key('a'));
		const seq = listing.images?.status === 'loading' ? listing.images.seq : -1;
		const older = {...ami, imageId: 'ami-0000000000000old1', state: 'available' as const, creationDate: new Date(1000)};
		const newer = {...ami, creationDate: new Date(2000)};
		const polled = run(listing, {type: 'images-loaded', seq, images: [older, newer]}, {type: 'images-poll'});
		expect(visibleImages(polled)[imageCursorIndex(polled)]?.imageId).toBe(older.imageId);
		const refreshed = run(polled, {
			type: 'images-loaded',
			seq: polled.imagesRefresh?.seq ?? -1,
			images: [older, {...newer, state: 'available'}],
		});
		expect(visibleImages(refreshed)[0]?.imageId).toBe(newer.imageId);
		expect(visibleImages(refreshed)[imageCursorIndex(refreshed)]?.imageId).toBe(older.imageId);
	});

	test('a failed background read keeps the list; R reads it at once', () => {
		const listing = run(loaded([instance('web01', true)]), key('a'));
		const seq = listing.images?.status === 'loading' ? listing.images.seq : -1;
		const polled = run(listing, {type: 'images-loaded', seq, images: [ami]}, {type: 'images-poll'});
		const failure = {line: 'throttled', code: 'Throttling'};
		const failed = run(polled, {type: 'failed', seq: polled.imagesRefresh?.seq ?? -1, failure, aborted: false});
		expect(failed.images?.status).toBe('ready');
		expect(failed.imagesRefresh).toBeUndefined();
		expect(run(failed, key('R')).images?.status).toBe('loading');
	});
});
