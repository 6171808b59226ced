/** Everything that can happen to the wizard: key presses and the answers of the services calls it asked for. */
import type {StartBundleResult} from '../../core/services.js';
import type {Bucket, BucketProbe, Image, Instance} from '../../core/types.js';
import type {StoreChain} from '../../core/work-model.js';

/** The key flags the wizard reads (a subset of Ink's Key). */
export type WizardKey = {
	upArrow: boolean;
	downArrow: boolean;
	return: boolean;
	escape: boolean;
	tab: boolean;
	pageUp: boolean;
	pageDown: boolean;
	home?: boolean;
	end?: boolean;
	backspace: boolean;
	delete: boolean;
	ctrl: boolean;
	meta: boolean;
};

import type {RequestFailed} from './remote.js';

export type {Failure} from './remote.js';

export type WizardAction =
	/** `now` (epoch ms) keeps the reducer pure: it dates the proposed prefix and the policy expiry. */
	| {type: 'key'; input: string; key: WizardKey; now: number}
	/** Rows a page of the lists holds now (PgUp / PgDn move by it). */
	| {type: 'layout'; page: number}
	/** The session region changed (region picker, or from outside). */
	| {type: 'region'; region: string}
	| {type: 'instances-loaded'; seq: number; instances: Instance[]}
	| {type: 'regions-loaded'; seq: number; regions: string[]}
	| {type: 'buckets-loaded'; seq: number; buckets: Bucket[]}
	| {type: 'probe-done'; seq: number; probe: BucketProbe; now: number}
	| {type: 'prefix-checked'; seq: number; taken: boolean; now: number}
	/** The answer for a proposed prefix (not yet the user's choice). */
	| {type: 'proposal-checked'; seq: number; taken: boolean}
	| {type: 'images-loaded'; seq: number; images: Image[]}
	/** The AMI list's timer: while a listed AMI is pending, the list is read again in the background */
	| {type: 'images-poll'}
	| {type: 'ami-name-checked'; seq: number; taken: boolean; now: number}
	/** `checks`: what each call's DryRun said (the store path), one line each */
	| {type: 'preflight-passed'; seq: number; checks?: string[] | undefined}
	| {type: 'start-done'; seq: number; result: StartBundleResult}
	/** Image -> S3 began: CreateImage accepted (or the store task, for an AMI), the chain saved */
	| {type: 'chain-started'; seq: number; chain: StoreChain}
	/** Any request failed: the one waiting for `seq` takes it. */
	| RequestFailed
	| {type: 'temporary-credentials'; value: boolean}
	/** Leave the wizard for the dashboard after a start (timer; Enter does the same). */
	| {type: 'finish'}
	/** The requested exit / region switch has been carried out. */
	| {type: 'intent-done'};
