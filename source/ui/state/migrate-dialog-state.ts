/**
 * The migrate dialog (`m` on a complete task): destination region, then CopyImage of the AMI already registered
 * from the bundle, or a copy of the bundle into a bucket there (existing or new) and a registration. Esc stops a copy
 * safely; running it again resumes. Pure (see remote.ts).
 */
import type {MigrateProgress, MigrateResult, MigrateStoredProgress, MigrateStoredResult} from '../../core/services.js';
import type {Bucket, BucketProbe} from '../../core/types.js';
import {validateAmiName, validateBucketName} from '../../core/validation.js';
import {dialogKeys, type ScreenKey} from './key-burst.js';
import {editText, listDelta, moveIndex} from './list-and-text.js';
import {newBucketKey} from './new-bucket.js';
import {amiNameFromPrefix} from './register-dialog-state.js';
import {type Failure, matchesSeq, type Remote, type RequestFailed} from './remote.js';

export type MigrateMethod = 'copy-image' | 'copy-bundle';
export type MigrateStep =
	| 'region'
	| 'method'
	| 'bucket'
	| 'new-bucket'
	| 'name'
	| 'running'
	| 'stopped'
	| 'failed'
	| 'done';

/** What the copy answered: the CopyImage's new AMI, or the bundle copy's result. */
export type MigrateAnswer =
	| {kind: 'image'; imageId: string}
	| {kind: 'bundle'; result: MigrateResult}
	/** A stored AMI object copied to the destination bucket (bytes), then restored there */
	| {kind: 'stored'; result: MigrateStoredResult};

export type MigrateState = {
	seq: number;
	/** The task's region, bucket and (when one was registered from it) AMI. */
	source: {region: string; bucket: string; imageId: string | undefined};
	step: MigrateStep;
	cursor: number;
	regions: Remote<string[]>;
	destination: string | undefined;
	method: MigrateMethod;
	buckets: Remote<Bucket[]> | undefined;
	bucket: {name: string; create: boolean} | undefined;
	newBucket: string;
	/** The probe of a new bucket's name: running, or the reason it cannot be used. */
	probe: {status: 'checking'; seq: number; name: string} | {status: 'refused'; reason: string} | undefined;
	name: string;
	run: {seq: number} | undefined;
	progress: MigrateProgress | undefined;
	/** The byte progress of a stored object's copy (store rows) */
	storedProgress?: MigrateStoredProgress | undefined;
	/** Esc during the copy: the request is aborted, its answer shows as stopped. */
	stopping: boolean;
	failure: Failure | undefined;
	message: string | undefined;
	page: number;
	intent: {type: 'quit'} | {type: 'close'} | undefined;
};

export type MigrateAction =
	| {type: 'key'; input: string; key: ScreenKey}
	| {type: 'layout'; page: number}
	| {type: 'regions-loaded'; seq: number; regions: string[]}
	| {type: 'buckets-loaded'; seq: number; buckets: Bucket[]}
	| {type: 'probe-done'; seq: number; probe: BucketProbe}
	| {type: 'progress'; seq: number; progress: MigrateProgress}
	| {type: 'stored-progress'; seq: number; progress: MigrateStoredProgress}
	| {type: 'copied'; seq: number; answer: MigrateAnswer}
	/** A failed load (regions, buckets), probe or copy: the one waiting for `seq` takes it. */
	| RequestFailed
	| {type: 'intent-done'};

/** The bucket name proposed for the copy: the source bucket's name with the region appended. */
export function migratedBucketName(sourceBucket: string, region: string): string {
	const name = `${sourceBucket}-${region}`.slice(0, 63).replace(/[-.]+$/, '');
	return validateBucketName(name).ok ? name : `bundles-${region}`;
}

export type MigrateInit = {region: string; bucket: string; prefix: string; imageId?: string; imageName?: string};

export function initialMigrateState({region, bucket, prefix, imageId, imageName}: MigrateInit): MigrateState {
	return {
		seq: 1,
		source: {region, bucket, imageId},
		step: 'region',
		cursor: 0,
		regions: {status: 'loading', seq: 1},
		destination: undefined,
		method: 'copy-bundle',
		buckets: undefined,
		bucket: undefined,
		newBucket: '',
		probe: undefined,
		name: imageName ?? amiNameFromPrefix(prefix),
		run: undefined,
		progress: undefined,
		stopping: false,
		failure: undefined,
		message: undefined,
		page: 10,
		intent: undefined,
	};
}

/** The rows of the bucket step: the destination's buckets, then the new-bucket row. */
export function migrateBucketRows(state: MigrateState): string[] {
	return state.buckets?.status === 'ready' ? [...state.buckets.data.map((bucket) => bucket.name), newBucketKey] : [];
}

export function isTypingMigrate(state: MigrateState): boolean {
	return state.step === 'new-bucket' || state.step === 'name';
}

function goTo(state: MigrateState, step: MigrateStep): MigrateState {
	return {...state, step, cursor: 0};
}

/** The row chosen earlier in `step` (where Esc lands), so the next arrow moves from there, not from the top. */
function chosenRow(state: MigrateState, step: MigrateStep): number {
	switch (step) {
		case 'region': {
			const regions = state.regions.status === 'ready' ? state.regions.data : [];
			return Math.max(0, state.destination ? regions.indexOf(state.destination) : 0);
		}

		case 'method': {
			return state.method === 'copy-image' ? 0 : 1;
		}

		case 'bucket': {
			const rows = migrateBucketRows(state);
			const chosen = state.step === 'new-bucket' || state.bucket?.create ? newBucketKey : state.bucket?.name;
			return Math.max(0, chosen ? rows.indexOf(chosen) : 0);
		}

		default: {
			return 0;
		}
	}
}

/** Esc: back one step, on the row chosen there; from the first step, close. */
function back(state: MigrateState): MigrateState {
	const hasImage = state.source.imageId !== undefined;
	const to = (step: MigrateStep): MigrateState => ({...state, step, cursor: chosenRow(state, step)});
	switch (state.step) {
		case 'method': {
			return to('region');
		}

		case 'bucket': {
			return to(hasImage ? 'method' : 'region');
		}

		case 'new-bucket': {
			return to('bucket');
		}

		case 'name': {
			return to(state.method === 'copy-image' ? 'method' : 'bucket');
		}

		default: {
			return {...state, intent: {type: 'close'}};
		}
	}
}

function chooseRegion(state: MigrateState, region: string): MigrateState {
	const seq = state.seq + 1;
	return {
		...goTo(state, state.source.imageId ? 'method' : 'bucket'),
		seq,
		destination: region,
		buckets: {status: 'loading', seq},
		newBucket: migratedBucketName(state.source.bucket, region),
	};
}

function listKey(state: MigrateState, input: string, key: ScreenKey, count: number): MigrateState | undefined {
	const delta = listDelta(input, key, state.page);
	return delta === 0 ? undefined : {...state, cursor: moveIndex(count, state.cursor, delta)};
}

function stepKey(state: MigrateState, input: string, key: ScreenKey): MigrateState {
	switch (state.step) {
		case 'region': {
			if (state.regions.status === 'failed' && input === 'r') {
				const seq = state.seq + 1;
				return {...state, seq, regions: {status: 'loading', seq}};
			}

			const list = state.regions.status === 'ready' ? state.regions.data : [];
			const region = list[state.cursor];
			if (key.return && region) {
				return chooseRegion(state, region);
			}

			return listKey(state, input, key, list.length) ?? state;
		}

		case 'method': {
			if (key.return) {
				const method: MigrateMethod = state.cursor === 0 ? 'copy-image' : 'copy-bundle';
				return {...goTo(state, method === 'copy-image' ? 'name' : 'bucket'), method};
			}

			return listKey(state, input, key, 2) ?? state;
		}

		case 'bucket': {
			if (state.buckets?.status === 'failed' && input === 'r') {
				const seq = state.seq + 1;
				return {...state, seq, buckets: {status: 'loading', seq}};
			}

			const rows = migrateBucketRows(state);
			const row = rows[state.cursor];
			if (key.return && row === newBucketKey) {
				return {...state, step: 'new-bucket', probe: undefined};
			}

			if (key.return && row) {
				return {...state, step: 'name', bucket: {name: row, create: false}};
			}

			return listKey(state, input, key, rows.length) ?? state;
		}

		case 'new-bucket': {
			if (state.probe?.status === 'checking') {
				return state;
			}

			if (key.return) {
				const seq = state.seq + 1;
				return validateBucketName(state.newBucket).ok
					? {...state, seq, probe: {status: 'checking', seq, name: state.newBucket}}
					: state;
			}

			const next = editText(state.newBucket, input, key);
			return next === undefined ? state : {...state, newBucket: next, probe: undefined};
		}

		case 'name': {
			if (key.return) {
				const seq = state.seq + 1;
				return validateAmiName(state.name).ok
					? {...state, seq, step: 'running', run: {seq}, progress: undefined, stopping: false}
					: state;
			}

			const next = editText(state.name, input, key);
			return next === undefined ? state : {...state, name: next};
		}

		default: {
			return state;
		}
	}
}

function press(state: MigrateState, input: string, key: ScreenKey): MigrateState {
	if (key.ctrl && input === 'c') {
		return {...state, intent: {type: 'quit'}};
	}

	if (state.step === 'running') {
		return key.escape ? {...state, stopping: true} : state;
	}

	if (state.step === 'done' || state.step === 'failed' || state.step === 'stopped') {
		return key.escape || key.return || input === 'q' ? {...state, intent: {type: 'close'}} : state;
	}

	return key.escape ? back(state) : stepKey(state, input, key);
}

function probeDone(state: MigrateState, probe: BucketProbe): MigrateState {
	const name = state.newBucket;
	const destination = state.destination ?? '';
	if (probe.status === 'foreign') {
		return {...state, probe: {status: 'refused', reason: `${name} belongs to another account: pick another name.`}};
	}

	if (probe.status === 'invalid') {
		return {...state, probe: {status: 'refused', reason: probe.reason}};
	}

	if (probe.status === 'owned' && probe.region !== destination) {
		return {
			...state,
			probe: {status: 'refused', reason: `${name} is in ${probe.region}, not ${destination}: pick another name.`},
		};
	}

	return {...state, probe: undefined, step: 'name', bucket: {name, create: probe.status === 'missing'}};
}

function doneMessage(state: MigrateState, answer: MigrateAnswer): string {
	const destination = state.destination ?? '';
	if (answer.kind === 'image') {
		return `CopyImage started ${answer.imageId} in ${destination}; its state shows in the detail pane.`;
	}

	if (answer.kind === 'stored') {
		const {result} = answer;
		return `Copied ${result.copiedParts} part${result.copiedParts === 1 ? '' : 's'} (${result.skippedParts} were already there) to ${state.bucket?.name ?? ''}/${result.destinationKey}; restoring ${result.imageId ?? '(no AMI)'} in ${destination}.`;
	}

	const {result} = answer;
	return `Copied ${result.copied} objects (${result.skipped} were already there) to ${state.bucket?.name ?? ''}; registered ${result.imageId ?? '(no AMI)'} in ${destination}.`;
}

function failed(state: MigrateState, seq: number, failure: Failure, aborted: boolean): MigrateState {
	if (matchesSeq(state.regions, seq)) {
		return {...state, regions: {status: 'failed', failure}};
	}

	if (matchesSeq(state.buckets, seq)) {
		return {...state, buckets: {status: 'failed', failure}};
	}

	if (matchesSeq(state.probe, seq)) {
		return {...state, probe: {status: 'refused', reason: failure.line}};
	}

	if (state.run?.seq === seq) {
		return aborted || state.stopping
			? {...state, run: undefined, step: 'stopped'}
			: {...state, run: undefined, step: 'failed', failure};
	}

	return state;
}

export function migrateReducer(state: MigrateState, action: MigrateAction): MigrateState {
	switch (action.type) {
		case 'key': {
			return dialogKeys(state, action, press, isTypingMigrate);
		}

		case 'layout': {
			return action.page === state.page ? state : {...state, page: Math.max(1, action.page)};
		}

		case 'regions-loaded': {
			const regions = action.regions.filter((region) => region !== state.source.region).sort();
			return matchesSeq(state.regions, action.seq) ? {...state, regions: {status: 'ready', data: regions}} : state;
		}

		case 'buckets-loaded': {
			const buckets = action.buckets.filter((bucket) => bucket.region === state.destination);
			return matchesSeq(state.buckets, action.seq) ? {...state, buckets: {status: 'ready', data: buckets}} : state;
		}

		case 'probe-done': {
			return matchesSeq(state.probe, action.seq) ? probeDone(state, action.probe) : state;
		}

		case 'progress': {
			return state.run?.seq === action.seq ? {...state, progress: action.progress} : state;
		}

		case 'stored-progress': {
			return state.run?.seq === action.seq ? {...state, storedProgress: action.progress} : state;
		}

		case 'copied': {
			return state.run?.seq === action.seq
				? {...state, run: undefined, step: 'done', message: doneMessage(state, action.answer)}
				: state;
		}

		case 'failed': {
			return failed(state, action.seq, action.failure, action.aborted);
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}
	}
}
