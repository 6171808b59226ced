/**
 * The register dialog (`r` on a complete task): checks the manifest, then name (from the prefix), description and
 * architecture (default from the manifest), then RegisterImage. Pure (see remote.ts).
 */
import type {ManifestSummary} from '../../core/services.js';
import type {Architecture} from '../../core/types.js';
import {validateAmiName, validateDescription} from '../../core/validation.js';
import {dialogKeys, type ScreenKey} from './key-burst.js';
import {editText} from './list-and-text.js';
import {type Call, matchesSeq, type Remote, type RequestFailed} from './remote.js';

export type RegisteredImage = {imageId: string; region: string; name: string};
export type RegisterField = 'name' | 'description' | 'architecture';
const fields: RegisterField[] = ['name', 'description', 'architecture'];

export type RegisterIntent = {type: 'quit'} | {type: 'close'} | {type: 'registered'; imageId: string};

export type RegisterState = {
	seq: number;
	manifest: Remote<ManifestSummary>;
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
	| {type: 'registered'; seq: number; imageId: string}
	| RequestFailed
	| {type: 'intent-done'};

/** An AMI name from a bundle prefix: the last path segment, characters AMI names refuse replaced by '-'. */
export function amiNameFromPrefix(prefix: string): string {
	const last = prefix.split('/').findLast((part) => part.length > 0) ?? prefix;
	const name = last.replaceAll(/[^A-Za-z0-9()[\] ./'@_-]/g, '-').slice(0, 128);
	return name.length >= 3 ? name : `${name}-ami`;
}

export function initialRegisterState(prefix: string): RegisterState {
	return {
		seq: 1,
		manifest: {status: 'loading', seq: 1},
		name: amiNameFromPrefix(prefix),
		description: '',
		architecture: 'x86_64',
		field: 'name',
		submit: undefined,
		intent: undefined,
	};
}

/** True when Enter registers: manifest checked, fields valid, nothing running. */
export function canRegister(state: RegisterState): boolean {
	return (
		state.manifest.status === 'ready' &&
		validateAmiName(state.name).ok &&
		validateDescription(state.description).ok &&
		state.submit?.status !== 'running'
	);
}

export function isTypingRegister(state: RegisterState): boolean {
	return state.field !== 'architecture' && state.submit?.status !== 'running';
}

function press(state: RegisterState, input: string, key: ScreenKey): RegisterState {
	if (key.ctrl && input === 'c') {
		return {...state, intent: {type: 'quit'}};
	}

	if (state.submit?.status === 'running') {
		return state;
	}

	if (key.escape) {
		return {...state, intent: {type: 'close'}};
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

	return {...state, [state.field]: next, submit: undefined};
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

		case 'registered': {
			return matchesSeq(state.submit, action.seq)
				? {...state, intent: {type: 'registered', imageId: action.imageId}}
				: state;
		}

		case 'failed': {
			const failed = {status: 'failed', failure: action.failure} as const;
			if (matchesSeq(state.manifest, action.seq)) {
				return {...state, manifest: failed};
			}

			return matchesSeq(state.submit, action.seq) ? {...state, submit: failed} : state;
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}
	}
}
