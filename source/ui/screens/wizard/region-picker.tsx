import {Box, Text} from 'ink';
import {continueSentence} from '../../../core/app-error.js';
import {ChoiceList} from '../../components/choice-list.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import type {WizardState} from '../../state/wizard-reducer.js';

/** The region switcher of step 1 (regions from services.listRegions). */
export function RegionPicker({state, height}: {state: WizardState; height: number}) {
	const {regions} = state;
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				Pick a region (now <Text bold>{state.region}</Text>)
			</Text>
			{regions === undefined || regions.status === 'loading' ? <SpinnerLine label="Loading regions…" /> : null}
			{regions?.status === 'failed' ? (
				<Text color="red" wrap="wrap">
					✗ Could not list the regions: {continueSentence(regions.failure.line)} — r retries
				</Text>
			) : null}
			{regions?.status === 'ready' ? (
				<ChoiceList
					items={regions.data.map((region) => ({
						key: region,
						label: region === state.region ? `${region} (current)` : region,
					}))}
					selectedIndex={state.regionCursor}
					height={Math.max(1, height - 1)}
				/>
			) : null}
		</Box>
	);
}
