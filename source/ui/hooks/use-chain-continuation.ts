/**
 * Continues saved image -> store chains from the dashboard: when a poll sees a chain's AMI available and no store
 * task yet (bundledeck was closed, or the wizard started it and left), it starts CreateStoreImageTask once and
 * records that in the chain, so the row moves on from "image" to "store" by itself after a restart.
 */
import {type Dispatch, useCallback, useRef} from 'react';
import {isAppError} from '../../core/app-error.js';
import {useAppContext} from '../state/app-context.js';
import type {CycleFetch} from '../state/dashboard-cycle.js';
import type {DashboardAction} from '../state/dashboard-state.js';
import {chainStatusOf, emptyWorkSources, type WorkSources} from '../state/dashboard-work-rows.js';
import {errorText} from '../state/remote.js';

/** What one cycle saw, as the work sources chainStatusOf reads. */
function sourcesOf(fetch: CycleFetch, chains: WorkSources['chains']): WorkSources {
	const stores: Record<string, WorkSources['stores'][string]> = {};
	for (const outcome of fetch.stores) {
		if (outcome.ok) {
			stores[outcome.region] = outcome.tasks;
		}
	}

	return {
		...emptyWorkSources,
		stores,
		imageData: Object.fromEntries(fetch.images.map((image) => [`${image.region}/${image.imageId}`, image])),
		missing: Object.fromEntries(fetch.missingImages.map((gone) => [`${gone.region}/${gone.imageId}`, true as const])),
		snapshots: fetch.snapshots,
		chains,
	};
}

export function useChainContinuation(dispatch: Dispatch<DashboardAction>) {
	const {services, chains} = useAppContext();
	// Chains whose store call is in flight, or was refused for good in this session (not asked again every poll)
	const busy = useRef(new Set<string>());
	return useCallback(
		(fetch: CycleFetch) => {
			const sources = sourcesOf(fetch, chains.list());
			for (const chain of sources.chains) {
				const id = `${chain.region}/${chain.imageId}`;
				if (busy.current.has(id) || sources.stores[chain.region] === undefined) {
					continue;
				}

				if (chainStatusOf(chain, sources).next !== 'start-store') {
					continue;
				}

				busy.current.add(id);
				services.storeImage({region: chain.region, imageId: chain.imageId, bucket: chain.bucket}).then(
					() => {
						busy.current.delete(id);
						chains.save({...chain, storeStartedAt: new Date().toISOString()});
						dispatch({type: 'chains', chains: chains.list()});
						dispatch({
							type: 'notice',
							notice: {text: `${chain.imageId} is available: storing it in ${chain.bucket}…`, tone: 'info'},
						});
					},
					(error: unknown) => {
						// A retryable failure is tried again at the next poll; any other stays until the next run
						if (isAppError(error) && error.retryable) {
							busy.current.delete(id);
						}

						dispatch({
							type: 'notice',
							notice: {text: `Could not store ${chain.imageId}: ${errorText(error)}`, tone: 'error'},
						});
					},
				);
			}
		},
		[services, chains, dispatch],
	);
}
