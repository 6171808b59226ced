/**
 * The deregister dialog (`D` on a row with an AMI bundledeck registered or restored): asks y/N, then one
 * DeregisterImage. Pure (see remote.ts).
 */
import type {DashboardRow} from './dashboard-rows.js';
import {dialogKeys, type ScreenKey} from './key-burst.js';
import {type Call, matchesSeq, type RequestFailed} from './remote.js';

export type DeregisterTarget = {region: string; imageId: string; name: string};

/** The AMI `D` offers on a row: a restored AMI (restore rows), or the AMI registered from a bundle in its region. */
export function deregisterTarget(row: DashboardRow | undefined): DeregisterTarget | undefined {
	if (row?.kind === 'restore' && row.work?.restore && row.state === 'complete') {
		const {region, imageId, name} = row.work.restore;
		return {region, imageId, name};
	}

	if (row && row.kind === undefined) {
		const image = row.history?.images
			.filter((entry) => entry.kind === 'registered' && entry.region === row.region)
			.at(-1);
		return image ? {region: image.region, imageId: image.imageId, name: image.name} : undefined;
	}

	return undefined;
}

export type DeregisterState = {
	seq: number;
	/** Undefined while the question is asked. */
	call: Call | undefined;
	intent: {type: 'quit'} | {type: 'close'} | {type: 'deregistered'} | undefined;
};

export type DeregisterAction =
	| {type: 'key'; input: string; key: ScreenKey}
	| {type: 'deregistered'; seq: number}
	| RequestFailed
	| {type: 'intent-done'};

export const initialDeregisterState: DeregisterState = {seq: 0, call: undefined, intent: undefined};

function press(state: DeregisterState, input: string, key: ScreenKey): DeregisterState {
	if (key.ctrl && input === 'c') {
		return {...state, intent: {type: 'quit'}};
	}

	if (state.call?.status === 'running') {
		return state;
	}

	if (state.call === undefined && (input === 'y' || input === 'Y')) {
		const seq = state.seq + 1;
		return {...state, seq, call: {status: 'running', seq}};
	}

	// Anything else closes: only an explicit y deregisters
	return state.call || key.escape || key.return || input === 'n' || input === 'N' || input === 'q'
		? {...state, intent: {type: 'close'}}
		: state;
}

export function deregisterReducer(state: DeregisterState, action: DeregisterAction): DeregisterState {
	switch (action.type) {
		case 'key': {
			return dialogKeys(state, action, press);
		}

		case 'deregistered': {
			return matchesSeq(state.call, action.seq) ? {...state, intent: {type: 'deregistered'}} : state;
		}

		case 'failed': {
			return matchesSeq(state.call, action.seq) ? {...state, call: {status: 'failed', failure: action.failure}} : state;
		}

		case 'intent-done': {
			return {...state, intent: undefined};
		}
	}
}
