import {describe, expect, test} from 'vitest';
import type {Bucket} from '../../../source/core/types.js';
import {
	initialMigrateState,
	type MigrateAction,
	type MigrateState,
	migrateBucketRows,
	migrateReducer,
} from '../../../source/ui/state/migrate-dialog-state.js';
import {newBucketKey} from '../../../source/ui/state/new-bucket.js';
import {down, enter, esc, key, run} from './keys.js';

const failure = {line: 'AccessDenied: no', code: 'AccessDenied'};
const source = {region: 'us-east-1', bucket: 'my-bundles', prefix: 'web01'};
const regions: MigrateAction = {type: 'regions-loaded', seq: 1, regions: ['us-west-2', 'us-east-1', 'eu-west-1']};
const bucket = (name: string, region: string) => ({name, region}) as Bucket;
const migrate = (state: MigrateState, ...actions: MigrateAction[]) => run(migrateReducer, state, ...actions);

describe('migrate dialog reducer', () => {
	test('regions leave out the source, sorted; choosing one asks for its buckets and proposes a bucket name', () => {
		const state = migrate(initialMigrateState(source), regions, down, enter);
		expect(state.regions).toEqual({status: 'ready', data: ['eu-west-1', 'us-west-2']});
		expect(state.destination).toBe('us-west-2');
		expect(state.step).toBe('bucket');
		expect(state.buckets).toEqual({status: 'loading', seq: 2});
		expect(state.newBucket).toBe('my-bundles-us-west-2');
	});

	test('bucket list: only the destination region, then the new-bucket row; a late list is dropped', () => {
		const chosen = migrate(initialMigrateState(source), regions, enter);
		const listed = migrate(chosen, {
			type: 'buckets-loaded',
			seq: 2,
			buckets: [bucket('here', 'eu-west-1'), bucket('there', 'us-west-2')],
		});
		expect(migrateBucketRows(listed)).toEqual(['here', newBucketKey]);
		const back = migrate(chosen, esc, down, enter);
		expect(back.destination).toBe('us-west-2');
		expect(migrate(back, {type: 'buckets-loaded', seq: 2, buckets: []})).toBe(back);
	});

	test('a new bucket is probed; one in another region is refused; a missing one is created at the copy', () => {
		const listed = migrate(initialMigrateState(source), regions, enter, {type: 'buckets-loaded', seq: 2, buckets: []});
		const typing = migrate(listed, enter);
		expect(typing.step).toBe('new-bucket');
		const probing = migrate(typing, enter);
		expect(probing.probe).toEqual({status: 'checking', seq: 3, name: 'my-bundles-eu-west-1'});
		const refused = migrate(probing, {type: 'probe-done', seq: 3, probe: {status: 'owned', region: 'us-east-1'}});
		expect(refused.probe).toEqual({
			status: 'refused',
			reason: 'my-bundles-eu-west-1 is in us-east-1, not eu-west-1: pick another name.',
		});
		const named = migrate(probing, {type: 'probe-done', seq: 3, probe: {status: 'missing'}});
		expect(named.step).toBe('name');
		expect(named.bucket).toEqual({name: 'my-bundles-eu-west-1', create: true});
	});

	test('with an AMI, the method step offers CopyImage; esc goes back one step at a time', () => {
		const start = initialMigrateState({...source, imageId: 'ami-1', imageName: 'web01 image'});
		const method = migrate(start, regions, enter);
		expect(method.step).toBe('method');
		const named = migrate(method, enter);
		expect(named.method).toBe('copy-image');
		expect(named.step).toBe('name');
		expect(named.name).toBe('web01 image');
		expect(migrate(named, esc).step).toBe('method');
		expect(migrate(named, esc, esc).step).toBe('region');
		expect(migrate(named, esc, esc, esc).intent).toEqual({type: 'close'});
	});

	test('the copy: progress, esc stops it (shown as stopped), and a finished copy says what it did', () => {
		const start = initialMigrateState({...source, imageId: 'ami-1'});
		const running = migrate(start, regions, enter, enter, enter);
		expect(running.step).toBe('running');
		const seq = running.run?.seq ?? 0;
		const progress = {phase: 'copying' as const, copied: 2, skipped: 1, total: 9};
		const moving = migrate(running, {type: 'progress', seq, progress}, key('q'));
		expect(moving.progress).toEqual(progress);
		expect(moving.intent).toBeUndefined();
		const stopping = migrate(moving, esc);
		expect(stopping.stopping).toBe(true);
		expect(migrate(stopping, {type: 'failed', seq, failure, aborted: true}).step).toBe('stopped');
		const done = migrate(running, {type: 'copied', seq, answer: {kind: 'image', imageId: 'ami-2'}});
		expect(done.message).toBe('CopyImage started ami-2 in eu-west-1; its state shows in the detail pane.');
		expect(migrate(done, enter).intent).toEqual({type: 'close'});
	});

	test('a failed copy shows its line; a failed region list offers r with a new request', () => {
		const start = initialMigrateState({...source, imageId: 'ami-1'});
		const running = migrate(start, regions, enter, enter, enter);
		const failed = migrate(running, {type: 'failed', seq: running.run?.seq ?? 0, failure, aborted: false});
		expect(failed.step).toBe('failed');
		expect(failed.failure).toEqual(failure);
		const noRegions = migrate(start, {type: 'failed', seq: 1, failure, aborted: false});
		expect(noRegions.regions).toEqual({status: 'failed', failure});
		expect(migrate(noRegions, key('r')).regions).toEqual({status: 'loading', seq: 2});
	});

	test('esc lands on the row chosen in that step, so the first arrow after it moves from there (issue 15 #7)', () => {
		const up = key('', {upArrow: true});
		const chosen = migrate(initialMigrateState(source), regions, down, enter);
		expect(chosen.destination).toBe('us-west-2');
		const back = migrate(chosen, esc);
		expect(back.step).toBe('region');
		expect(back.cursor).toBe(1);
		expect(migrate(back, up).cursor).toBe(0);
		const listed = migrate(chosen, {
			type: 'buckets-loaded',
			seq: 2,
			buckets: [bucket('west-a', 'us-west-2'), bucket('west-b', 'us-west-2')],
		});
		// The new-bucket row (last), then esc from its text field: the cursor stays on that row.
		const typing = migrate(listed, down, down, enter);
		expect(typing.step).toBe('new-bucket');
		const fromField = migrate(typing, esc);
		expect(migrateBucketRows(fromField)[fromField.cursor]).toBe(newBucketKey);
		expect(migrateBucketRows(migrate(fromField, up))[migrate(fromField, up).cursor]).toBe('west-b');
		// An existing bucket, then esc from the name step.
		const named = migrate(listed, down, enter);
		expect(named.step).toBe('name');
		expect(migrateBucketRows(migrate(named, esc))[migrate(named, esc).cursor]).toBe('west-b');
		// The method step (a registered AMI) keeps the method chosen.
		const withImage = migrate(initialMigrateState({...source, imageId: 'ami-1'}), regions, enter, down, enter);
		expect(withImage.method).toBe('copy-bundle');
		expect(migrate(withImage, esc)).toMatchObject({step: 'method', cursor: 1});
	});
});
