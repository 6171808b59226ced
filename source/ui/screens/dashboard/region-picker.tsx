/** `g`: choose the watched regions (several or all); the table shows a Region column when more than one. */
import {Text} from 'ink';
import {useEffect, useReducer} from 'react';
import {ChoiceList} from '../../components/choice-list.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {useIntent, useKeys, useRequest} from '../../hooks/use-screen-calls.js';
import {useAppContext} from '../../state/app-context.js';
import {initialRegionPickerState, regionPickerReducer} from '../../state/region-picker-state.js';
import {pending} from '../../state/remote.js';
import {DialogFrame} from './dialog-frame.js';

export type RegionPickerProps = {
	watched: readonly string[];
	width: number;
	height: number;
	onApply(regions: string[]): void;
	onClose(): void;
};

export function RegionPicker({watched, width, height, onApply, onClose}: RegionPickerProps) {
	const {services, region: current, quit} = useAppContext();
	const [state, dispatch] = useReducer(regionPickerReducer, {watched, current}, initialRegionPickerState);
	useKeys(dispatch);
	useRequest(
		pending(state.regions),
		async () => services.listRegions(),
		dispatch,
		(regions, seq) => ({type: 'regions-loaded', seq, regions}) as const,
	);
	useIntent(state.intent, dispatch, {quit, close: onClose, apply: ({regions}) => onApply(regions)});

	const listHeight = Math.max(1, height - 3);
	useEffect(() => {
		dispatch({type: 'layout', page: Math.max(1, listHeight - 1)});
	}, [listHeight]);

	const {regions, chosen} = state;
	return (
		<DialogFrame
			title="Watched regions"
			width={width}
			height={height}
			hint={
				regions.status === 'failed'
					? 'r retry · esc close'
					: '↑↓ move · space toggle · a all/none · enter watch these · esc close'
			}
		>
			{regions.status === 'loading' ? <SpinnerLine label="Loading regions…" /> : null}
			{regions.status === 'failed' ? (
				<ErrorLine error={regions.failure.line} prefix="Could not list regions" width={width} />
			) : null}
			{regions.status === 'ready' ? (
				<ChoiceList
					height={listHeight}
					selectedIndex={state.cursor}
					items={regions.data.map((region) => ({
						key: region,
						label: `[${chosen.includes(region) ? 'x' : ' '}] ${region}${region === current ? ' (current)' : ''}`,
					}))}
				/>
			) : null}
			{state.warning ? <Text color="yellow">{state.warning}</Text> : null}
		</DialogFrame>
	);
}
