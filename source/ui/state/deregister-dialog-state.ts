/**
 * The deregister dialog (`D` on a row with an AMI bundledeck registered or restored): asks y/N, then one
 * DeregisterImage. Pure (see remote.ts).
 */

import {confirmPress} from './confirm-keys.js';
import type {DashboardRow} from './dashboard-rows.js';
import {dialogKeys, type ScreenKey} from './key-burst.js';
import {type Call, matchesSeq, type RequestFailed} from './remote.js';

/** stays: what deregistering leaves to pay for (an EBS AMI's snapshots, a bundle's parts in S3) */
export type DeregisterTarget = {region: string; imageId: string; name: string; stays: string};

/** The AMI `D` offers on a row: a restored AMI (restore rows), or the AMI registered from a bundle in its region. */
export function deregisterTarget(row: DashboardRow | undefined): DeregisterTarget | undefined {
	if (row?.kind === 'restore' && row.work?.restore && row.state === 'complete') {
		const {region, imageId, name} = row.work.restore;
		return {region, imageId, name, stays: 'its snapshots stay (delete them in EC2 to stop paying for them)'};
	}

	if (row && row.kind === undefined) {
		const image = row.history?.images
			.filter((entry) => entry.kind === 'registered' && entry.region === row.region)
			.at(-1);
		// An instance store-backed AMI has no snapshots: its bundle is what stays
		const stays = `its bundle stays in s3://${row.bucket}/${row.prefix}.* (delete it there to stop paying for it)`;
		return image ? {region: image.region, imageId: image.imageId, name: image.name, stays} : undefined;
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

export function deregisterReducer(state: DeregisterState, action: DeregisterAction): DeregisterState {
	switch (action.type) {
		case 'key': {
			return dialogKeys(state, action, confirmPress);
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
