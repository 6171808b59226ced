/**
 * The wizard's state and reducer: four steps (instance, bucket, prefix, confirm), every key press and every answer
 * of the services. Two paths: the bundle (instance store-backed) and image -> S3 (an EBS-backed instance: CreateImage,
 * then the store task; or an AMI of yours, stored directly), where step 3 is the AMI name. Pure: the screen runs the calls this state asks for (the *Request / 'loading' fields, keyed by a
 * sequence number so late answers are ignored) and carries out `intent` (quit, cancel, switch region, done).
 */
import {manifestLocation} from '../../core/format.js';
import {defaultAmiName, type ImagePath, imageStoreProblem, instancePath} from '../../core/image-path.js';
import type {StartBundleResult} from '../../core/services.js';
import {taskBucketProblem} from '../../core/task-bucket.js';
import {isActiveState} from '../../core/task-model.js';
import type {Bucket, BucketProbe, BundleTask, Image, Instance} from '../../core/types.js';
import {validateAmiName, validateBucketName, validatePrefix} from '../../core/validation.js';
import type {StoreChain} from '../../core/work-model.js';
import {reduceKeys} from './key-burst.js';
import {editText, listDelta, moveIndex} from './list-and-text.js';
import {newBucketKey} from './new-bucket.js';
import {type Call, type Failure, matchesSeq, type Remote} from './remote.js';
import type {WizardAction, WizardKey} from './wizard-actions.js';
import {prefixVariant, proposePrefix} from './wizard-prefix.js';

export type Step = 'instance' | 'bucket' | 'prefix' | 'confirm';
export const steps: readonly Step[] = ['instance', 'bucket', 'prefix', 'confirm'];

/** The upload policy lifetime the wizard asks for (the AWS CLI's default). */
export const policyLifetimeMs = 24 * 60 * 60 * 1000;

export type {Call, Remote} from './remote.js';

/** The bucket the bundle goes to, after probing it. */
export type BucketChoice = {name: string} & ({status: 'owned'; region: string} | {status: 'missing'});

export type BucketProbeState =
	| {status: 'checking'; seq: number; name: string}
	| {status: 'refused'; name: string; reason: string}
	| {status: 'failed'; name: string; failure: Failure};

export type Intent =
	| {type: 'quit'}
	| {type: 'cancel'}
	| {type: 'switch-region'; region: string}
	| {type: 'finish'; result: StartBundleResult}
	| {type: 'finish-chain'; chain: StoreChain};

export type WizardState = {
	step: Step;
	help: boolean;
	/** Last sequence number handed out to a request. */
	seq: number;
	/** Region whose instances are listed (follows the session region). */
	region: string;
	instances: Remote<Instance[]>;
	/** Step 1 lists the region's instances, or your AMIs (a toggles): an AMI is stored directly. */
	source: 'instances' | 'images';
	images: Remote<Image[]> | undefined;
	/** A background read of the AMI list while one is pending (the shown list stays until it answers). */
	imagesRefresh: {status: 'running'; seq: number} | undefined;
	imageCursor: string | undefined;
	/** The chosen AMI (source 'images'; instance is then undefined). */
	image: Image | undefined;
	filter: string;
	filtering: boolean;
	/** Highlighted instance (id); the first eligible one when unset or filtered out. */
	instanceCursor: string | undefined;
	/** The chosen instance (kept when going back). */
	instance: Instance | undefined;
	regionPicker: boolean;
	regions: Remote<string[]> | undefined;
	regionCursor: number;
	buckets: Remote<Bucket[]> | undefined;
	/** Highlighted bucket row: a bucket name or newBucketKey. */
	bucketCursor: string;
	typingBucket: boolean;
	newBucketName: string;
	probe: BucketProbeState | undefined;
	bucket: BucketChoice | undefined;
	/** Remembered pattern ('{name}-{date}-{time}'), undefined for core defaultPrefix. */
	prefixPattern: string | undefined;
	prefix: string;
	prefixEdited: boolean;
	/** When the current prefix was proposed (epoch ms): the pattern is derived against it. */
	prefixProposedAt: number;
	prefixCheck: Call | {status: 'taken'; location: string} | undefined;
	/**
	 * The proposed prefix is being checked (not the user's): when taken, the next variant is proposed and checked
	 * ('-2', '-3'…), so the wizard never proposes a taken prefix. Typing or Enter drops it.
	 */
	proposalCheck: {status: 'running'; seq: number; base: string; attempt: number} | undefined;
	/** Image -> S3 from an instance: the name of the AMI CreateImage makes (step 3), unique in the region. */
	amiName: string;
	amiNameEdited: boolean;
	amiNameCheck: Call | {status: 'taken'} | undefined;
	/** CreateImage without a reboot (a toggle at confirm; reboot by default, for a consistent image). */
	noReboot: boolean;
	/** `checks`: what the DryRun covered, one line each (the store path has two calls). */
	preflight: Call | {status: 'passed'; checks?: string[] | undefined} | undefined;
	/** Expiry the confirm step shows (epoch ms): now + 24 h when the step opened. */
	policyExpiry: number | undefined;
	start:
		| Call
		| {status: 'started'; result: StartBundleResult}
		| {status: 'chain-started'; chain: StoreChain}
		| undefined;
	temporaryCredentials: boolean | undefined;
	/** The started task was handed to the dashboard. */
	finished: boolean;
	/** Rows a page of the lists holds (PgUp / PgDn). */
	page: number;
	/** First line shown of the confirm step's body (small terminals). */
	scroll: number;
	intent: Intent | undefined;
};

export type WizardInit = {region: string; prefixPattern?: string | undefined; lastBucket?: string | undefined};

export function initialWizardState({region, prefixPattern, lastBucket}: WizardInit): WizardState {
	return {
		step: 'instance',
		help: false,
		seq: 1,
		region,
		instances: {status: 'loading', seq: 1},
		source: 'instances',
		images: undefined,
		imagesRefresh: undefined,
		imageCursor: undefined,
		image: undefined,
		filter: '',
		filtering: false,
		instanceCursor: undefined,
		instance: undefined,
		regionPicker: false,
		regions: undefined,
		regionCursor: 0,
		buckets: undefined,
		bucketCursor: lastBucket ?? newBucketKey,
		typingBucket: false,
		newBucketName: '',
		probe: undefined,
		bucket: undefined,
		prefixPattern,
		prefix: '',
		prefixEdited: false,
		prefixProposedAt: 0,
		prefixCheck: undefined,
		proposalCheck: undefined,
		amiName: '',
		amiNameEdited: false,
		amiNameCheck: undefined,
		noReboot: false,
		preflight: undefined,
		policyExpiry: undefined,
		start: undefined,
		temporaryCredentials: undefined,
		finished: false,
		page: 10,
		scroll: 0,
		intent: undefined,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Selectors

/**
 * The instances with a bundle task still running marked as such: EC2 stops the instance while it bundles, so it
 * would read "Not running (stopped)"; it cannot be bundled again until the task ends either way.
 */
export function markBeingBundled(instances: Instance[], tasks: readonly BundleTask[]): Instance[] {
	const running = new Map(tasks.filter((task) => isActiveState(task.state)).map((task) => [task.instanceId, task]));
	return instances.map((instance) => {
		const task = running.get(instance.id);
		return task ? {...instance, eligible: false, ineligibleReason: `Being bundled (${task.bundleId})`} : instance;
	});
}

function matches(instance: Instance, filter: string): boolean {
	const needle = filter.trim().toLowerCase();
	if (needle.length === 0) {
		return true;
	}

	return [instance.name ?? '', instance.id, instance.type, instance.availabilityZone, instance.state].some((field) =>
		field.toLowerCase().includes(needle),
	);
}

/** True when the instance can take a path into S3 (bundle or image -> S3). */
export function canTake(instance: Instance): boolean {
	return instancePath(instance).path !== undefined;
}

/** The path of what was chosen in step 1: bundle, store (image -> S3), or undefined before a choice. */
export function wizardPath(state: WizardState): ImagePath | undefined {
	if (state.image) {
		return 'store';
	}

	return state.instance ? instancePath(state.instance).path : undefined;
}

/** The region of what was chosen (the instance's, the AMI's), else the listed one. */
export function targetRegion(state: WizardState): string {
	return state.instance?.region ?? state.image?.region ?? state.region;
}

/** True when the source is an AMI of yours: the AMI list in step 1, or an AMI chosen there. */
export function fromImage(state: WizardState): boolean {
	return state.step === 'instance' ? state.source === 'images' : state.image !== undefined;
}

/** The steps of the chosen path: an AMI is stored as it is, so it has no name step. */
export function wizardSteps(state: WizardState): readonly Step[] {
	return fromImage(state) ? ['instance', 'bucket', 'confirm'] : steps;
}

/** The instances shown: filtered, eligible first, then by name and id. */
export function visibleInstances(state: WizardState): Instance[] {
	if (state.instances.status !== 'ready') {
		return [];
	}

	return state.instances.data
		.filter((instance) => matches(instance, state.filter))
		.sort(
			(a, b) =>
				Number(canTake(b)) - Number(canTake(a)) ||
				(a.name ?? '\uFFFF').localeCompare(b.name ?? '\uFFFF') ||
				a.id.localeCompare(b.id),
		);
}

/** Index (in visibleInstances) of the highlighted instance: always an eligible one, -1 when there is none. */
export function instanceCursorIndex(state: WizardState, visible = visibleInstances(state)): number {
	const index = visible.findIndex((instance) => instance.id === state.instanceCursor && canTake(instance));
	return index === -1 ? visible.findIndex((instance) => canTake(instance)) : index;
}

/** Your AMIs shown (source 'images'): filtered, storable first, newest first. */
export function visibleImages(state: WizardState): Image[] {
	if (state.images?.status !== 'ready') {
		return [];
	}

	const needle = state.filter.trim().toLowerCase();
	return state.images.data
		.filter((image) => [image.name, image.imageId, image.state].some((field) => field.toLowerCase().includes(needle)))
		.sort(
			(a, b) =>
				Number(imageStoreProblem(a) === undefined ? 0 : 1) - Number(imageStoreProblem(b) === undefined ? 0 : 1) ||
				(b.creationDate?.getTime() ?? 0) - (a.creationDate?.getTime() ?? 0) ||
				a.imageId.localeCompare(b.imageId),
		);
}

/** Index (in visibleImages) of the highlighted AMI: always a storable one, -1 when there is none. */
export function imageCursorIndex(state: WizardState, visible = visibleImages(state)): number {
	const storable = (image: Image) => imageStoreProblem(image) === undefined;
	const index = visible.findIndex((image) => image.imageId === state.imageCursor && storable(image));
	return index === -1 ? visible.findIndex((image) => storable(image)) : index;
}

/**
 * The buckets not offered: for image -> S3, CreateStoreImageTask writes only to a bucket in the AMI's region, so
 * buckets elsewhere (or whose region is unknown) are left out of the list.
 */
export function bucketsElsewhere(state: WizardState): Bucket[] {
	const buckets = state.buckets?.status === 'ready' ? state.buckets.data : [];
	const region = targetRegion(state);
	return wizardPath(state) === 'store' ? buckets.filter((bucket) => bucket.region !== region) : [];
}

/** Bucket rows: "create a new bucket" first, then the account's buckets by name (for image -> S3, in the region). */
export function bucketRows(state: WizardState): Array<{key: string; bucket: Bucket | undefined}> {
	const elsewhere = new Set(bucketsElsewhere(state));
	const buckets = (state.buckets?.status === 'ready' ? state.buckets.data : []).filter(
		(bucket) => !elsewhere.has(bucket),
	);
	return [
		{key: newBucketKey, bucket: undefined},
		...[...buckets].sort((a, b) => a.name.localeCompare(b.name)).map((bucket) => ({key: bucket.name, bucket})),
	];
}

/**
 * The bucket row to highlight when the list (or the instance) changes: the highlighted bucket (the remembered one at
 * first) when it is in the instance's region, else the first bucket there, else "create a new bucket" — never a
 * bucket in another region, where the bundle would fail.
 */
function preferredBucket(state: WizardState): string {
	const region = state.instance || state.image ? targetRegion(state) : undefined;
	if (state.buckets?.status !== 'ready' || region === undefined) {
		return state.bucketCursor;
	}

	const rows = bucketRows(state);
	const current = rows.find((row) => row.key === state.bucketCursor)?.bucket;
	if (current?.region === region || state.bucketCursor === newBucketKey) {
		return state.bucketCursor;
	}

	return rows.find((row) => row.bucket?.region === region)?.key ?? newBucketKey;
}

export function bucketCursorIndex(state: WizardState, rows = bucketRows(state)): number {
	const index = rows.findIndex((row) => row.key === state.bucketCursor);
	return index === -1 ? 0 : index;
}

/** True while keys go to a text input (q and the letter shortcuts type instead). */
export function isTyping(state: WizardState): boolean {
	return (
		!state.help &&
		((state.step === 'instance' && state.filtering && !state.regionPicker) ||
			(state.step === 'bucket' && state.typingBucket) ||
			(state.step === 'prefix' && state.start === undefined))
	);
}

/**
 * The bucket region that differs from the instance's, when it does. EC2 stores a bundle only in a bucket of the
 * instance's region: such a bucket is refused when probed, and the confirm step never starts with one.
 */
export function regionMismatch(state: WizardState): string | undefined {
	const {bucket, instance} = state;
	if (bucket?.status === 'owned' && instance && bucket.region !== instance.region) {
		return bucket.region;
	}

	return undefined;
}

export function currentManifestLocation(state: WizardState): string | undefined {
	return state.bucket && state.prefix ? manifestLocation(state.bucket.name, state.prefix) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Transitions

function next(state: WizardState): [WizardState, number] {
	const seq = state.seq + 1;
	return [{...state, seq}, seq];
}

function reloadInstances(state: WizardState): WizardState {
	const [base, seq] = next(state);
	return {...base, instances: {status: 'loading', seq}};
}

function openBucketStep(state: WizardState, chosen: {instance: Instance} | {image: Image}): WizardState {
	const choice =
		'instance' in chosen
			? {instance: chosen.instance, instanceCursor: chosen.instance.id, image: undefined}
			: {image: chosen.image, imageCursor: chosen.image.imageId, instance: undefined};
	let result: WizardState = {...state, step: 'bucket', ...choice, filtering: false};
	if (result.buckets === undefined || result.buckets.status === 'failed') {
		const [base, seq] = next(result);
		result = {...base, buckets: {status: 'loading', seq}};
	}

	return {...result, bucketCursor: preferredBucket(result)};
}

function openPrefixStep(state: WizardState, bucket: BucketChoice, now: number): WizardState {
	if (state.image) {
		// An AMI is stored as it is: no name to choose
		return openConfirmStep({...state, bucket, probe: undefined, typingBucket: false}, now);
	}

	let result: WizardState = {
		...state,
		step: 'prefix',
		bucket,
		probe: undefined,
		prefixCheck: undefined,
		amiNameCheck: undefined,
		typingBucket: false,
	};
	if (wizardPath(result) === 'store') {
		const base = result.instance?.name ?? result.instance?.id ?? 'image';
		return result.amiNameEdited ? result : {...result, amiName: defaultAmiName(base, new Date(now))};
	}

	if (!result.prefixEdited && result.instance) {
		const prefix = proposePrefix(result.prefixPattern, result.instance.name, result.instance.id, new Date(now));
		result = {...result, prefix, prefixProposedAt: now, proposalCheck: undefined};
		// A bucket that does not exist yet holds nothing; in one that does, the proposal is checked.
		if (bucket.status === 'owned') {
			const [base, seq] = next(result);
			result = {...base, proposalCheck: {status: 'running', seq, base: prefix, attempt: 1}};
		}
	}

	return result;
}

function openConfirmStep(state: WizardState, now: number): WizardState {
	const [base, seq] = next(state);
	return {
		...base,
		step: 'confirm',
		prefixCheck: undefined,
		preflight: {status: 'running', seq},
		policyExpiry: now + policyLifetimeMs,
		start: undefined,
		scroll: 0,
	};
}

function moveIn<T>(list: T[], index: number, delta: number): T | undefined {
	return list[moveIndex(list.length, index, delta)];
}

/** How far a key moves a list's selection: one row (arrows, j k), a page (PgUp PgDn), or 0. */
function direction(state: WizardState, input: string, key: WizardKey, typing: boolean): number {
	return listDelta(input, key, state.page, typing);
}

function openRegionPicker(state: WizardState): WizardState {
	let result: WizardState = {...state, regionPicker: true};
	if (result.regions === undefined || result.regions.status === 'failed') {
		const [base, seq] = next(result);
		result = {...base, regions: {status: 'loading', seq}};
	} else if (result.regions.status === 'ready') {
		result.regionCursor = Math.max(0, result.regions.data.indexOf(result.region));
	}

	return result;
}

function regionPickerKey(state: WizardState, input: string, key: WizardKey): WizardState {
	if (key.escape || input === 'g' || key.tab) {
		return {...state, regionPicker: false};
	}

	if (state.regions?.status === 'failed' && (input === 'r' || input === 'R')) {
		return openRegionPicker(state);
	}

	if (state.regions?.status !== 'ready') {
		return state;
	}

	const regions = state.regions.data;
	const delta = direction(state, input, key, false);
	if (delta !== 0) {
		return {...state, regionCursor: moveIndex(regions.length, state.regionCursor, delta)};
	}

	if (key.return) {
		const region = regions[state.regionCursor];
		if (region === undefined || region === state.region) {
			return {...state, regionPicker: false};
		}

		return {...state, regionPicker: false, intent: {type: 'switch-region', region}};
	}

	return state;
}

function instanceKey(state: WizardState, input: string, key: WizardKey): WizardState {
	if (state.regionPicker) {
		return regionPickerKey(state, input, key);
	}

	const listed = state.source === 'images' ? imageListKey(state, input, key) : instanceListKey(state, input, key);
	if (listed) {
		return listed;
	}

	if (state.filtering) {
		if (key.escape) {
			return {...state, filtering: false, filter: ''};
		}

		const filter = editText(state.filter, input, key);
		return filter === undefined ? state : {...state, filter};
	}

	if (key.escape) {
		return state.filter ? {...state, filter: ''} : {...state, intent: {type: 'cancel'}};
	}

	if (input === '/') {
		return {...state, filtering: true};
	}

	if (input === 'g' || key.tab) {
		return openRegionPicker(state);
	}

	if (input === 'a') {
		return state.source === 'images' ? {...state, source: 'instances'} : showImages(state, false);
	}

	if (input === 'r' || input === 'R') {
		if (state.source === 'images') {
			return state.images?.status === 'loading' ? state : showImages(state, true);
		}

		return state.instances.status === 'loading' ? state : reloadInstances(state);
	}

	return state;
}

/** One step-1 list: its rows, the highlighted one, which rows can be chosen, how to highlight and choose a row. */
type SourceList<T> = {
	visible: T[];
	cursor: number;
	selectable(item: T): boolean;
	highlight(item: T | undefined): WizardState;
	choose(item: T): WizardState;
};

/** Moves in or chooses from a step-1 list (only selectable rows); undefined when the key is not for the list. */
function sourceListKey<T>(
	state: WizardState,
	input: string,
	key: WizardKey,
	list: SourceList<T>,
): WizardState | undefined {
	const selectable = list.visible.filter((item) => list.selectable(item));
	const delta = direction(state, input, key, state.filtering);
	if (delta !== 0) {
		const current = list.visible[list.cursor];
		return list.highlight(moveIn(selectable, current ? selectable.indexOf(current) : 0, delta));
	}

	if (key.return) {
		const chosen = list.visible[list.cursor];
		if (state.filtering) {
			return {...state, filtering: false};
		}

		return chosen && list.selectable(chosen) ? list.choose(chosen) : state;
	}

	return undefined;
}

function instanceListKey(state: WizardState, input: string, key: WizardKey): WizardState | undefined {
	const visible = visibleInstances(state);
	return sourceListKey(state, input, key, {
		visible,
		cursor: instanceCursorIndex(state, visible),
		selectable: canTake,
		highlight: (instance) => ({...state, instanceCursor: instance?.id ?? state.instanceCursor}),
		choose: (instance) => openBucketStep(state, {instance}),
	});
}

function imageListKey(state: WizardState, input: string, key: WizardKey): WizardState | undefined {
	const visible = visibleImages(state);
	return sourceListKey(state, input, key, {
		visible,
		cursor: imageCursorIndex(state, visible),
		selectable: (image) => imageStoreProblem(image) === undefined,
		highlight: (image) => ({...state, imageCursor: image?.imageId ?? state.imageCursor}),
		choose: (image) => openBucketStep(state, {image}),
	});
}

/** How often the AMI list is read again while one of them is pending. */
export const imagePollMs = 5000;

/** True while step 1 shows your AMIs and one of them is pending: the list is then read again every few seconds. */
export function imagesPending(state: WizardState): boolean {
	return (
		state.step === 'instance' &&
		state.source === 'images' &&
		state.images?.status === 'ready' &&
		state.images.data.some((image) => image.state === 'pending')
	);
}

/** Step 1 lists your AMIs, loading them the first time (and on reload or after a failure). */
function showImages(state: WizardState, reload: boolean): WizardState {
	const result: WizardState = {...state, source: 'images'};
	if (!reload && result.images !== undefined && result.images.status !== 'failed') {
		return result;
	}

	const [base, seq] = next(result);
	return {...base, images: {status: 'loading', seq}, imagesRefresh: undefined};
}

function probe(state: WizardState, name: string): WizardState {
	const [base, seq] = next(state);
	return {...base, probe: {status: 'checking', seq, name}};
}

function bucketKey(state: WizardState, input: string, key: WizardKey): WizardState {
	if (state.probe?.status === 'checking') {
		return key.escape ? {...state, probe: undefined} : state;
	}

	if (state.typingBucket) {
		if (key.escape || key.upArrow) {
			return {...state, typingBucket: false};
		}

		if (key.return) {
			const name = state.newBucketName;
			return validateBucketName(name).ok ? probe(state, name) : state;
		}

		const name = editText(state.newBucketName, input, key);
		return name === undefined ? state : {...state, newBucketName: name, probe: undefined};
	}

	const rows = bucketRows(state);
	const cursor = bucketCursorIndex(state, rows);
	const delta = direction(state, input, key, false);
	if (delta !== 0) {
		return {...state, bucketCursor: moveIn(rows, cursor, delta)?.key ?? newBucketKey, probe: undefined};
	}

	if (key.return) {
		const row = rows[cursor];
		if (!row || row.key === newBucketKey) {
			return {...state, bucketCursor: newBucketKey, typingBucket: true, probe: undefined};
		}

		return probe(state, row.key);
	}

	if (key.escape) {
		return {...state, step: 'instance', probe: undefined};
	}

	if ((input === 'r' || input === 'R') && state.buckets?.status !== 'loading') {
		const [base, seq] = next(state);
		return {...base, buckets: {status: 'loading', seq}};
	}

	return state;
}

/** Step 3 of image -> S3: the AMI name, validated as typed; Enter checks that no AMI of yours in the region has it. */
function amiNameKey(state: WizardState, input: string, key: WizardKey): WizardState {
	if (state.amiNameCheck?.status === 'running') {
		return key.escape ? {...state, amiNameCheck: undefined} : state;
	}

	if (key.escape) {
		return {...state, step: 'bucket', amiNameCheck: undefined};
	}

	if (key.return) {
		if (!validateAmiName(state.amiName).ok) {
			return state;
		}

		const [base, seq] = next(state);
		return {...base, amiNameCheck: {status: 'running', seq}};
	}

	const amiName = editText(state.amiName, input, key);
	return amiName === undefined ? state : {...state, amiName, amiNameEdited: true, amiNameCheck: undefined};
}

function prefixKey(state: WizardState, input: string, key: WizardKey, now: number): WizardState {
	if (wizardPath(state) === 'store') {
		return amiNameKey(state, input, key);
	}

	if (state.prefixCheck?.status === 'running') {
		return key.escape ? {...state, prefixCheck: undefined} : state;
	}

	if (key.escape) {
		return {...state, step: 'bucket', prefixCheck: undefined, proposalCheck: undefined};
	}

	if (key.return) {
		if (!validatePrefix(state.prefix).ok || !state.bucket) {
			return state;
		}

		// The prefix on screen is the one checked and used: a proposal check still running is dropped.
		const chosen: WizardState = {...state, proposalCheck: undefined};
		if (state.bucket.status === 'missing') {
			// A bucket that does not exist yet holds no manifest: nothing to check.
			return openConfirmStep(chosen, now);
		}

		const [base, seq] = next(chosen);
		return {...base, prefixCheck: {status: 'running', seq}};
	}

	const prefix = editText(state.prefix, input, key);
	return prefix === undefined
		? state
		: {...state, prefix, prefixEdited: true, prefixCheck: undefined, proposalCheck: undefined};
}

/** Hands the started task to the dashboard, once. */
function finish(state: WizardState): WizardState {
	if (state.finished || state.intent) {
		return state;
	}

	if (state.start?.status === 'chain-started') {
		return {...state, finished: true, intent: {type: 'finish-chain', chain: state.start.chain}};
	}

	if (state.start?.status !== 'started') {
		return state;
	}

	return {...state, finished: true, intent: {type: 'finish', result: state.start.result}};
}

/** True once the start call succeeded (a bundle task, or the image -> S3 chain). */
export function hasStarted(state: WizardState): boolean {
	return state.start?.status === 'started' || state.start?.status === 'chain-started';
}

function confirmKey(state: WizardState, input: string, key: WizardKey): WizardState {
	if (hasStarted(state)) {
		return key.return ? finish(state) : state;
	}

	if (state.start?.status === 'running') {
		return state;
	}

	if (key.escape) {
		return {...state, step: state.image ? 'bucket' : 'prefix', preflight: undefined, start: undefined};
	}

	if (input === 'n' && wizardPath(state) === 'store' && state.instance) {
		// The CreateImage DryRun is asked again with the new NoReboot
		const [base, seq] = next(state);
		return {...base, noReboot: !state.noReboot, preflight: {status: 'running', seq}, start: undefined};
	}

	const delta = direction(state, input, key, false);
	if (delta !== 0) {
		return {...state, scroll: Math.min(30, Math.max(0, state.scroll + delta))};
	}

	if (key.return && state.preflight?.status === 'passed' && !regionMismatch(state)) {
		const [base, seq] = next(state);
		return {...base, start: {status: 'running', seq}};
	}

	if ((input === 'r' || input === 'R') && state.preflight?.status !== 'running') {
		const [base, seq] = next(state);
		return {...base, preflight: {status: 'running', seq}, start: undefined};
	}

	return state;
}

function keyPress(state: WizardState, input: string, key: WizardKey, now: number): WizardState {
	if (state.help) {
		if (key.escape || input === '?') {
			return {...state, help: false};
		}

		return input === 'q' ? {...state, intent: {type: 'quit'}} : state;
	}

	if (input === '?' && !key.ctrl && !key.meta) {
		return {...state, help: true};
	}

	const busy = state.start?.status === 'running';
	if (input === 'q' && !isTyping(state) && !busy) {
		return {...state, intent: {type: 'quit'}};
	}

	switch (state.step) {
		case 'instance': {
			return instanceKey(state, input, key);
		}

		case 'bucket': {
			return bucketKey(state, input, key);
		}

		case 'prefix': {
			return prefixKey(state, input, key, now);
		}

		case 'confirm': {
			return confirmKey(state, input, key);
		}
	}
}

/** A key action; a burst acts one key at a time (see reduceKeys). */
function keyAction(state: WizardState, input: string, key: WizardKey, now: number): WizardState {
	return reduceKeys(state, input, key, (current, char, single) => keyPress(current, char, single, now), {
		typing: isTyping,
		stopped: (current) => current.intent !== undefined,
	});
}

function probeDone(state: WizardState, seq: number, result: BucketProbe, now: number): WizardState {
	if (!matchesSeq(state.probe, seq) || !state.probe || state.step !== 'bucket') {
		return state;
	}

	const {name} = state.probe;
	switch (result.status) {
		case 'owned': {
			const region = targetRegion(state);
			const problem =
				wizardPath(state) === 'store' ? taskBucketProblem(result, name, region, 'CreateStoreImageTask') : undefined;
			if (problem) {
				return {...state, probe: {status: 'refused', name, reason: `${problem.message} — pick one in ${region}`}};
			}

			const instanceRegion = state.instance?.region;
			if (instanceRegion && result.region !== instanceRegion) {
				return {...state, probe: {status: 'refused', name, reason: regionRefusal(name, result.region, instanceRegion)}};
			}

			return openPrefixStep(state, {name, status: 'owned', region: result.region}, now);
		}

		case 'missing': {
			return openPrefixStep(state, {name, status: 'missing'}, now);
		}

		case 'foreign': {
			return {...state, probe: {status: 'refused', name, reason: refusal(name, 'foreign')}};
		}

		case 'invalid': {
			return {...state, probe: {status: 'refused', name, reason: refusal(name, 'invalid', result.reason)}};
		}
	}
}

/** Why a bucket in another region than the instance cannot take the bundle, and what to do (as the CLI says). */
export function regionRefusal(name: string, bucketRegion: string, instanceRegion: string): string {
	return `Bucket ${name} is in ${bucketRegion}, the instance in ${instanceRegion}: EC2 stores a bundle only in a bucket of the instance's region (the task would fail with PermanentRedirect) — pick a bucket in ${instanceRegion} or a new name`;
}

function refusal(name: string, status: 'foreign' | 'invalid', reason?: string): string {
	return status === 'foreign'
		? `Bucket ${name} belongs to another AWS account: EC2 cannot write the bundle there — pick one of yours or a new name`
		: `Bucket ${name} cannot be used: ${reason ?? 'invalid name'}`;
}

type Answerable =
	| 'instances'
	| 'images'
	| 'regions'
	| 'buckets'
	| 'prefixCheck'
	| 'amiNameCheck'
	| 'preflight'
	| 'start';

/** Stores the answer to request `seq` in `field`, unless a newer request (or none) is waiting there. */
function answer<K extends Answerable>(state: WizardState, field: K, seq: number, value: WizardState[K]): WizardState {
	return matchesSeq(state[field], seq) ? {...state, [field]: value} : state;
}

/** The answer for a proposed prefix: free (done), or taken (the next variant is proposed and checked). */
function proposalChecked(state: WizardState, seq: number, taken: boolean): WizardState {
	const check = state.proposalCheck;
	if (!check || !matchesSeq(check, seq) || state.prefixEdited) {
		return state;
	}

	// Bounded: past it the Enter check still refuses a taken prefix.
	if (!taken || check.attempt >= 100) {
		return {...state, proposalCheck: undefined};
	}

	const [base, next_] = next(state);
	const attempt = check.attempt + 1;
	return {
		...base,
		prefix: prefixVariant(check.base, attempt),
		proposalCheck: {...check, seq: next_, attempt},
	};
}

/** A failed request: the field waiting for `seq` shows the failure (seqs are unique, so at most one matches). */
function failed(state: WizardState, seq: number, failure: Failure): WizardState {
	if (matchesSeq(state.imagesRefresh, seq)) {
		// The list shown stays; the next tick (or R) reads it again
		return {...state, imagesRefresh: undefined};
	}

	if (matchesSeq(state.proposalCheck, seq)) {
		// The proposal stays; the Enter check asks again and shows its own failure.
		return {...state, proposalCheck: undefined};
	}

	if (matchesSeq(state.probe, seq) && state.probe) {
		return {...state, probe: {status: 'failed', name: state.probe.name, failure}};
	}

	const fields: Answerable[] = [
		'instances',
		'images',
		'regions',
		'buckets',
		'prefixCheck',
		'amiNameCheck',
		'preflight',
		'start',
	];
	const field = fields.find((name) => matchesSeq(state[name], seq));
	return field ? {...state, [field]: {status: 'failed', failure}} : state;
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
	switch (action.type) {
		case 'key': {
			return keyAction(state, action.input, action.key, action.now);
		}

		case 'layout': {
			return action.page === state.page ? state : {...state, page: Math.max(1, action.page)};
		}

		case 'region': {
			if (action.region === state.region) {
				return state;
			}

			const reloaded = {
				...reloadInstances(state),
				region: action.region,
				instanceCursor: undefined,
				regionPicker: false,
			};
			return state.source === 'images' ? showImages(reloaded, true) : {...reloaded, images: undefined};
		}

		case 'instances-loaded': {
			return answer(state, 'instances', action.seq, {status: 'ready', data: action.instances});
		}

		case 'regions-loaded': {
			const next = answer(state, 'regions', action.seq, {status: 'ready', data: action.regions});
			return next === state ? state : {...next, regionCursor: Math.max(0, action.regions.indexOf(state.region))};
		}

		case 'buckets-loaded': {
			const loaded = answer(state, 'buckets', action.seq, {status: 'ready', data: action.buckets});
			return loaded === state ? state : {...loaded, bucketCursor: preferredBucket(loaded)};
		}

		case 'probe-done': {
			return probeDone(state, action.seq, action.probe, action.now);
		}

		case 'failed': {
			return failed(state, action.seq, action.failure);
		}

		case 'prefix-checked': {
			if (!matchesSeq(state.prefixCheck, action.seq) || state.step !== 'prefix') {
				return state;
			}

			if (action.taken) {
				return {...state, prefixCheck: {status: 'taken', location: currentManifestLocation(state) ?? state.prefix}};
			}

			return openConfirmStep(state, action.now);
		}

		case 'proposal-checked': {
			return proposalChecked(state, action.seq, action.taken);
		}

		case 'images-loaded': {
			if (matchesSeq(state.imagesRefresh, action.seq)) {
				// The highlighted AMI stays highlighted when a newer one becomes available above it
				const imageCursor = state.imageCursor ?? visibleImages(state)[imageCursorIndex(state)]?.imageId;
				return {...state, images: {status: 'ready', data: action.images}, imagesRefresh: undefined, imageCursor};
			}

			return answer(state, 'images', action.seq, {status: 'ready', data: action.images});
		}

		case 'images-poll': {
			if (!imagesPending(state) || state.imagesRefresh) {
				return state;
			}

			const [base, seq] = next(state);
			return {...base, imagesRefresh: {status: 'running', seq}};
		}

		case 'ami-name-checked': {
			if (!matchesSeq(state.amiNameCheck, action.seq) || state.step !== 'prefix') {
				return state;
			}

			return action.taken ? {...state, amiNameCheck: {status: 'taken'}} : openConfirmStep(state, action.now);
		}

		case 'preflight-passed': {
			return answer(state, 'preflight', action.seq, {status: 'passed', checks: action.checks});
		}

		case 'start-done': {
			return answer(state, 'start', action.seq, {status: 'started', result: action.result});
		}

		case 'chain-started': {
			return answer(state, 'start', action.seq, {status: 'chain-started', chain: action.chain});
		}

		case 'temporary-credentials': {
			return {...state, temporaryCredentials: action.value};
		}

		case 'finish': {
			return finish(state);
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}
	}
}
