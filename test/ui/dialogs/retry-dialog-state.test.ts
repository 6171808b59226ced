/** The retry dialog's reducer (`t`): what can be retried, the new prefix (never a taken one), check, start. */
import {describe, expect, test} from 'vitest';
import {helpText} from '../../../source/commands/index.js';
import {defaultPrefix} from '../../../source/core/format.js';
import {dashboardHelpKeys} from '../../../source/ui/screens/dashboard/dashboard-keys.js';
import {
	initialRetryState,
	type RetryAction,
	type RetryState,
	type RetryTarget,
	retryReducer,
	retryTarget,
} from '../../../source/ui/state/retry-dialog-state.js';
import {dashboardRow} from '../dashboard/dashboard-row.js';
import {enter, esc, key, run} from './keys.js';

const now = new Date(2026, 10, 29, 19, 14).getTime();
const failed = dashboardRow({
	state: 'failed',
	progress: 37,
	prefix: defaultPrefix('web01', 'i-038a1af8247b8b212', new Date(now)),
	error: {code: 'Client.S3Error', message: 'Access Denied'},
});
const target = retryTarget(failed) as RetryTarget;
const retry = (state: RetryState, ...actions: RetryAction[]) => run(retryReducer, state, ...actions);

describe('what t retries', () => {
	test('a failed or a cancelled bundle: the same instance, region and bucket', () => {
		expect(target).toEqual({
			kind: 'bundle',
			taskId: 'bun-5a2c1f00',
			region: 'us-east-1',
			instanceId: 'i-038a1af8247b8b212',
			instanceName: 'web01',
			bucket: 'demo-bundles',
		});
		const cancelled = dashboardRow({state: 'failed', error: {code: 'Client.Cancelled', message: 'cancelled'}});
		expect(retryTarget(cancelled)).toMatchObject({kind: 'bundle'});
	});

	test('not a running, cancelling or complete task: one line says why', () => {
		expect(retryTarget(dashboardRow({state: 'bundling'}))).toMatch(
			/bun-5a2c1f00 is bundling: only a failed or cancelled/,
		);
		expect(retryTarget(dashboardRow({state: 'complete'}))).toMatch(/is complete: only a failed or cancelled/);
		expect(retryTarget(dashboardRow({state: 'failed', cancelRequested: true}))).toEqual(expect.any(String));
	});

	test('a failed store task: the same AMI into the same bucket; a failed AMI or a restore row: why not', () => {
		const store = dashboardRow({
			key: 'store:us-east-1/ami-0123456789abcdef0',
			kind: 'store',
			bundleId: 'ami-0123456789abcdef0',
			state: 'failed',
			bucket: 'stored',
			prefix: 'ami-0123456789abcdef0.bin',
		});
		expect(retryTarget(store)).toEqual({
			kind: 'store',
			taskId: 'ami-0123456789abcdef0',
			region: 'us-east-1',
			imageId: 'ami-0123456789abcdef0',
			name: undefined,
			bucket: 'stored',
		});
		expect(retryTarget({...store, state: 'storing'})).toMatch(/still running: only a failed store task/);
		const status = {
			phase: 'failed',
			failedIn: 'image',
			progress: undefined,
			label: 'failed in image',
			next: 'none',
			error: 'AMI ami-0123456789abcdef0 is failed',
		} as const;
		const work = {item: {} as never, chain: undefined, task: undefined, image: undefined, status, restore: undefined};
		expect(retryTarget({...store, work})).toMatch(/itself failed .*n starts image → S3 anew/);
		expect(retryTarget({...store, kind: 'restore', state: 'failed'})).toMatch(/is a restore row/);
	});
});

describe('retry dialog reducer', () => {
	test('the proposal skips the prefixes of listed tasks (the failed one made this minute) and taken ones', () => {
		const state = initialRetryState({target, pattern: undefined, now, known: [failed.prefix]});
		expect(state.prefix).toBe(`${failed.prefix}-2`);
		expect(state.check).toEqual({status: 'checking', seq: 1});
		// Objects under -2 already: -3 is asked about next
		const next = retry(state, {type: 'checked', seq: 1, taken: true, bucketMissing: false});
		expect(next.prefix).toBe(`${failed.prefix}-3`);
		expect(next.check).toEqual({status: 'checking', seq: 2});
		// The answer for the old request is dropped
		expect(retry(next, {type: 'checked', seq: 1, taken: false, bucketMissing: false})).toBe(next);
		const ready = retry(next, {type: 'checked', seq: 2, taken: false, bucketMissing: false});
		expect(ready.check).toEqual({status: 'ready', bucketMissing: false});
		expect(ready.prefix).toBe(`${failed.prefix}-3`);
	});

	test('y starts it once (a burst asks once); the answer hands the new id over; esc and n close', () => {
		const ready = retry(initialRetryState({target, pattern: undefined, now, known: []}), {
			type: 'checked',
			seq: 1,
			taken: false,
			bucketMissing: false,
		});
		// Nothing listed uses it and the bucket has nothing under it: the wizard's proposal itself
		expect(ready.prefix).toBe(failed.prefix);
		const started = retry(ready, key('yy'));
		expect(started.submit).toEqual({status: 'running', seq: 2});
		expect(retry(started, esc)).toBe(started);
		expect(retry(started, {type: 'started', seq: 2, id: 'bun-new'}).intent).toEqual({type: 'started', id: 'bun-new'});
		// A lost BundleInstance answer whose retry found the task: the dashboard's notice says so
		expect(retry(started, {type: 'started', seq: 2, id: 'bun-new', adopted: true}).intent).toEqual({
			type: 'started',
			id: 'bun-new',
			adopted: true,
		});
		expect(retry(ready, esc).intent).toEqual({type: 'close'});
		expect(retry(ready, key('n')).intent).toEqual({type: 'close'});
	});

	test('nothing starts before the check passed; a failed check says why and enter checks again', () => {
		const state = initialRetryState({target, pattern: undefined, now, known: []});
		expect(retry(state, enter).submit).toBeUndefined();
		const failure = {line: 'The instance is not running', code: 'IncorrectInstanceState'};
		const broken = retry(state, {type: 'failed', seq: 1, failure, aborted: false});
		expect(broken.check).toEqual({status: 'failed', failure});
		expect(retry(broken, enter).check).toEqual({status: 'checking', seq: 2});
	});

	test('a store retry has no prefix to find: the check is the bucket and the DryRun', () => {
		const store: RetryTarget = {
			kind: 'store',
			taskId: 'ami-1',
			region: 'us-east-1',
			imageId: 'ami-1',
			name: 'erp01',
			bucket: 'stored',
		};
		const state = initialRetryState({target: store, pattern: undefined, now, known: []});
		expect(state.prefix).toBe('');
		const ready = retry(state, {type: 'checked', seq: 1, taken: false, bucketMissing: true});
		expect(ready.check).toEqual({status: 'ready', bucketMissing: true});
		expect(retry(ready, enter).submit?.status).toBe('running');
	});
});

test('t is listed in the help overlay and in --help', () => {
	expect(dashboardHelpKeys.find((hint) => hint.key === 't')?.label).toMatch(/^retry a failed or cancelled task/);
	expect(helpText()).toMatch(/^ {2}t +retry a failed or cancelled task/m);
});
