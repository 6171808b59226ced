/**
 * The size of the selected complete store task's object: one HeadObject when such a row is first selected
 * (never in the poll cycle), kept in the dashboard state for the detail pane.
 */
import {type Dispatch, useEffect, useRef} from 'react';
import {useAppContext} from '../state/app-context.js';
import type {DashboardRow} from '../state/dashboard-rows.js';
import type {DashboardAction} from '../state/dashboard-state.js';
import {errorText} from '../state/remote.js';

export function useStoredObject(row: DashboardRow | undefined, dispatch: Dispatch<DashboardAction>): void {
	const {services} = useAppContext();
	const asked = useRef(new Set<string>());
	const wanted = row?.kind === 'store' && row.state === 'complete' ? row : undefined;
	const key = wanted?.key;
	const bucket = wanted?.bucket;
	const objectKey = wanted?.prefix;
	const region = wanted?.region;
	useEffect(() => {
		if (!key || !bucket || !objectKey || !region || asked.current.has(key)) {
			return;
		}

		asked.current.add(key);
		services.describeStoredObject(region, bucket, objectKey).then(
			(object) => {
				dispatch({type: 'stored', key, object});
			},
			(error: unknown) => {
				dispatch({type: 'stored', key, object: errorText(error)});
			},
		);
	}, [services, dispatch, key, bucket, objectKey, region]);
}
