/**
 * The register dialog (`r` on a complete task): checks the manifest, then name (from the prefix, made free of the
 * AMI names the region already has), description and architecture (default from the manifest), then RegisterImage.
 * Pure (see remote.ts).
 */
import type {ManifestSummary} from '../../core/services.js';
import type {Architecture} from '../../core/types.js';
import {validateAmiName, validateDescription} from '../../core/validation.js';
import {submitDialogPress} from './confirm-keys.js';
import {dialogKeys, type ScreenKey} from './key-burst.js';
import {editText} from './list-and-text.js';
import {type Call, matchesSeq, type Remote, type RequestFailed} from './remote.js';

export type RegisteredImage = {
	imageId: string;
	region: string;
	name: string;
	/** RegisterImage's answer was lost and its retry found this image, registered by the first call: the UI says so. */
	adopted?: boolean | undefined;
};
export type RegisterField = 'name' | 'description' | 'architecture';
const fields: RegisterField[] = ['name', 'description', 'architecture'];

export type RegisterIntent = {type: 'quit'} | {type: 'close'} | {type: 'registered'; imageId: string; adopted: boolean};

export type RegisterState = {
	seq: number;
	manifest: Remote<ManifestSummary>;
	/** The AMI names the account has in the region (DescribeImages), so the proposed name is a free one. */
	images: Remote<string[]>;
	/** The name proposed from the prefix, before it was made free. */
	proposedName: string;
	/** Names known to be taken: history's AMIs of this bundle, then the region's AMIs once listed. */
	takenNames: readonly string[];
	/** The user typed in the name: it is never replaced after that. */
	nameEdited: boolean;
	name: string;
	description: string;
	architecture: Architecture;
	field: RegisterField;
	submit: Call | undefined;
	intent: RegisterIntent | undefined;
};

export type RegisterAction =
	| {type: 'key'; input: string; key: ScreenKey}
	| {type: 'manifest-read'; seq: number; summary: ManifestSummary}
	| {type: 'images-listed'; seq: number; names: string[]}
	| {type: 'registered'; seq: number; imageId: string; adopted?: boolean | undefined}
	| RequestFailed
	| {type: 'intent-done'};

/** An AMI name from a bundle prefix: the last path segment, characters AMI names refuse replaced by '-'. */
export function amiNameFromPrefix(prefix: string): string {
	const last = prefix.split('/').findLast((part) => part.length > 0) ?? prefix;
	const name = last.replaceAll(/[^A-Za-z0-9()[\] ./'@_-]/g, '-').slice(0, 128);
	return name.length >= 3 ? name : `${name}-ami`;
}

/** `name`, or `name (2)`, `name (3)`… : the first one not in `taken` (AMI names are unique in a region). */
export function freeAmiName(name: string, taken: readonly string[]): string {
	const used = new Set(taken);
	if (!used.has(name)) {
		return name;
	}

	for (let count = 2; ; count++) {
		const suffix = ` (${count})`;
		const candidate = `${name.slice(0, 128 - suffix.length)}${suffix}`;
		if (!used.has(candidate)) {
			return candidate;
		}
	}
}

export type RegisterInit = {prefix: string; takenNames?: readonly string[]};

export function initialRegisterState({prefix, takenNames = []}: RegisterInit): RegisterState {
	const proposedName = amiNameFromPrefix(prefix);
	return {
		seq: 2,
		manifest: {status: 'loading', seq: 1},
		images: {status: 'loading', seq: 2},
		proposedName,
		takenNames,
		nameEdited: false,
		name: freeAmiName(proposedName, takenNames),
		description: '',
		architecture: 'x86_64',
		field: 'name',
		submit: undefined,
		intent: undefined,
	};
}

/** True when Enter registers: manifest checked, the region's AMI names known (or not listable), fields valid. */
export function canRegister(state: RegisterState): boolean {
	return (
		state.manifest.status === 'ready' &&
		state.images.status !== 'loading' &&
		validateAmiName(state.name).ok &&
		validateDescription(state.description).ok &&
		state.submit?.status !== 'running'
	);
}

export function isTypingRegister(state: RegisterState): boolean {
	return state.field !== 'architecture' && state.submit?.status !== 'running';
}

function press(state: RegisterState, input: string, key: ScreenKey): RegisterState {
	const shared = submitDialogPress(state, input, key);
	if (shared) {
		return shared;
	}

	if (key.tab || key.downArrow || key.upArrow) {
		const step = key.upArrow || (key.tab && key.shift) ? -1 : 1;
		const field = fields[(fields.indexOf(state.field) + step + fields.length) % fields.length] ?? 'name';
		return {...state, field};
	}

	if (key.return) {
		const seq = state.seq + 1;
		if (state.manifest.status === 'failed') {
			return {...state, seq, manifest: {status: 'loading', seq}};
		}

		return canRegister(state) ? {...state, seq, submit: {status: 'running', seq}} : state;
	}

	if (state.field === 'architecture') {
		return key.leftArrow || key.rightArrow || input === ' '
			? {...state, architecture: state.architecture === 'x86_64' ? 'i386' : 'x86_64'}
			: state;
	}

	const next = editText(state[state.field], input, key);
	if (next === undefined) {
		return state;
	}

	return {...state, [state.field]: next, submit: undefined, nameEdited: state.nameEdited || state.field === 'name'};
}

/** What the architecture line says of the value: from the manifest only while it is the manifest's. */
export function architectureNote(state: RegisterState): string {
	const fromManifest = state.manifest.status === 'ready' ? state.manifest.data.architecture : undefined;
	if (fromManifest) {
		return state.architecture === fromManifest ? '(from the manifest)' : `(the manifest says ${fromManifest})`;
	}

	return state.architecture === 'x86_64' ? '(default)' : '';
}

export function registerReducer(state: RegisterState, action: RegisterAction): RegisterState {
	switch (action.type) {
		case 'key': {
			return dialogKeys(state, action, press, isTypingRegister);
		}

		case 'manifest-read': {
			if (!matchesSeq(state.manifest, action.seq)) {
				return state;
			}

			const {summary} = action;
			return {
				...state,
				manifest: {status: 'ready', data: summary},
				architecture: summary.architecture ?? state.architecture,
			};
		}

		case 'images-listed': {
			if (!matchesSeq(state.images, action.seq)) {
				return state;
			}

			const takenNames = [...state.takenNames, ...action.names];
			const name = state.nameEdited ? state.name : freeAmiName(state.proposedName, takenNames);
			return {...state, images: {status: 'ready', data: action.names}, takenNames, name};
		}

		case 'registered': {
			return matchesSeq(state.submit, action.seq)
				? {...state, intent: {type: 'registered', imageId: action.imageId, adopted: action.adopted === true}}
				: state;
		}

		case 'failed': {
			const failed = {status: 'failed', failure: action.failure} as const;
			if (matchesSeq(state.manifest, action.seq)) {
				return {...state, manifest: failed};
			}

			if (matchesSeq(state.images, action.seq)) {
				// Not listable (permissions): the name stays as proposed; RegisterImage says so if it is taken.
				return {...state, images: failed};
			}

			return matchesSeq(state.submit, action.seq) ? {...state, submit: failed} : state;
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}
	}
}
