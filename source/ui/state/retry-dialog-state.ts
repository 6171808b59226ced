/**
 * The retry dialog (`t` on a failed or cancelled task): a bundle again from the same instance into the same bucket
 * under a new free prefix (the wizard's proposal, then '-2', '-3'… while taken — by an object in the bucket or by a
 * task the dashboard lists), or the store of the same AMI into the same bucket again. The target is checked first
 * (bucket, DryRun), then Enter starts it. Pure (see remote.ts).
 */
import {isCancelledTask, taskStateLabel} from '../../core/task-model.js';
import {submitDialogPress} from './confirm-keys.js';
import type {DashboardRow} from './dashboard-rows.js';
import {dialogKeys, type ScreenKey} from './key-burst.js';
import {type Call, type Failure, matchesSeq, type RequestFailed} from './remote.js';
import {prefixVariant, proposePrefix} from './wizard-prefix.js';

export type RetryTarget =
	| {
			kind: 'bundle';
			/** The failed task */
			taskId: string;
			region: string;
			instanceId: string;
			instanceName: string | undefined;
			bucket: string;
	  }
	/** `name`: the AMI's, when the dashboard knows it (a chain bundledeck made) */
	| {kind: 'store'; taskId: string; region: string; imageId: string; name: string | undefined; bucket: string};

/** What a row can be retried as, or the one line why not. */
export function retryTarget(row: DashboardRow): RetryTarget | string {
	const ended = row.state === 'failed' && !row.cancelRequested;
	const what = isCancelledTask(row) ? 'cancelled' : taskStateLabel(row).toLowerCase();
	if (row.kind === undefined || row.kind === 'bundle') {
		return ended
			? {
					kind: 'bundle',
					taskId: row.bundleId,
					region: row.region,
					instanceId: row.instanceId,
					instanceName: row.instanceName,
					bucket: row.bucket,
				}
			: `${row.bundleId} is ${what}: only a failed or cancelled task can be retried (t).`;
	}

	if (row.kind !== 'store') {
		return `${row.bundleId} is a ${row.kind} row: t retries failed bundle and store tasks (r on a complete store row restores again).`;
	}

	if (!ended) {
		return `${row.bundleId} is ${row.state === 'complete' ? 'complete' : 'still running'}: only a failed store task can be retried (t).`;
	}

	if (row.work?.status?.failedIn === 'image') {
		return `The AMI ${row.bundleId} itself failed (${row.work.status.error ?? 'no reason given'}): there is nothing to store again — n starts image → S3 anew.`;
	}

	return {
		kind: 'store',
		taskId: row.bundleId,
		region: row.region,
		imageId: row.bundleId,
		name: row.work?.chain?.name ?? row.work?.image?.name,
		bucket: row.bucket,
	};
}

export type RetryIntent =
	| {type: 'quit'}
	| {type: 'close'}
	| {type: 'started'; id: string; adopted?: boolean | undefined};

export type RetryState = {
	seq: number;
	target: RetryTarget;
	/** bundle: the proposal, the variant tried now (1: the proposal itself) and the prefix shown */
	base: string;
	attempt: number;
	prefix: string;
	/** Prefixes of the tasks the dashboard lists in the target's bucket: taken even when nothing is written yet */
	known: readonly string[];
	/** The prefix (bundle) and the bucket and DryRun (both) checked; `bucketMissing`: created at start */
	check:
		| {status: 'checking'; seq: number}
		| {status: 'ready'; bucketMissing: boolean}
		| {status: 'failed'; failure: Failure};
	submit: Call | undefined;
	intent: RetryIntent | undefined;
};

export type RetryAction =
	| {type: 'key'; input: string; key: ScreenKey}
	/** `taken`: the prefix has objects in the bucket (the next variant is tried) */
	| {type: 'checked'; seq: number; taken: boolean; bucketMissing: boolean}
	| {type: 'started'; seq: number; id: string; adopted?: boolean | undefined}
	| RequestFailed
	| {type: 'intent-done'};

/** Past this many variants the dialog gives up (the wizard's bound too). */
const maxAttempts = 100;

/** The first variant from `attempt` on that no listed task uses (the bucket is asked about that one). */
function firstUnknown(base: string, attempt: number, known: ReadonlySet<string>): {prefix: string; attempt: number} {
	let next = attempt;
	let prefix = next === 1 ? base : prefixVariant(base, next);
	while (known.has(prefix) && next < maxAttempts) {
		next++;
		prefix = prefixVariant(base, next);
	}

	return {prefix, attempt: next};
}

export function initialRetryState(options: {
	target: RetryTarget;
	/** The remembered prefix pattern (settings), as the wizard uses it */
	pattern: string | undefined;
	now: number;
	known: readonly string[];
}): RetryState {
	const {target, pattern, now, known} = options;
	const base =
		target.kind === 'bundle' ? proposePrefix(pattern, target.instanceName, target.instanceId, new Date(now)) : '';
	const first = target.kind === 'bundle' ? firstUnknown(base, 1, new Set(known)) : {prefix: '', attempt: 1};
	return {
		seq: 1,
		target,
		base,
		attempt: first.attempt,
		prefix: first.prefix,
		known,
		check: {status: 'checking', seq: 1},
		submit: undefined,
		intent: undefined,
	};
}

function recheck(state: RetryState): RetryState {
	const seq = state.seq + 1;
	return {...state, seq, check: {status: 'checking', seq}, submit: undefined};
}

function press(state: RetryState, input: string, key: ScreenKey): RetryState {
	const shared = submitDialogPress(state, input, key);
	if (shared) {
		return shared;
	}

	if (input === 'n') {
		return {...state, intent: {type: 'close'}};
	}

	if (key.return || input === 'y') {
		if (state.check.status === 'failed') {
			return recheck(state);
		}

		if (state.check.status !== 'ready') {
			return state;
		}

		const seq = state.seq + 1;
		return {...state, seq, submit: {status: 'running', seq}};
	}

	return state;
}

function checked(state: RetryState, action: Extract<RetryAction, {type: 'checked'}>): RetryState {
	if (!matchesSeq(state.check, action.seq)) {
		return state;
	}

	if (!action.taken) {
		return {...state, check: {status: 'ready', bucketMissing: action.bucketMissing}};
	}

	const next = firstUnknown(state.base, state.attempt + 1, new Set(state.known));
	if (next.attempt >= maxAttempts) {
		const line = `No free prefix from ${state.base} to ${next.prefix} in ${state.target.bucket}: start it from the wizard (n) with a prefix of your own.`;
		return {...state, check: {status: 'failed', failure: {line, code: undefined}}};
	}

	return recheck({...state, ...next});
}

export function retryReducer(state: RetryState, action: RetryAction): RetryState {
	switch (action.type) {
		case 'key': {
			return dialogKeys(state, action, press);
		}

		case 'checked': {
			return checked(state, action);
		}

		case 'started': {
			return matchesSeq(state.submit, action.seq)
				? {...state, intent: {type: 'started', id: action.id, adopted: action.adopted}}
				: state;
		}

		case 'failed': {
			const failed = {status: 'failed', failure: action.failure} as const;
			if (matchesSeq(state.check, action.seq)) {
				return {...state, check: failed};
			}

			return matchesSeq(state.submit, action.seq) ? {...state, submit: failed} : state;
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}
	}
}
