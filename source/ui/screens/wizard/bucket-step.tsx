import {Box, Text} from 'ink';
import {fitColumn} from '../../../core/format.js';
import {validateBucketName} from '../../../core/validation.js';
import {ErrorLine} from '../../components/error-line.js';
import {SelectList, type SelectListItem} from '../../components/select-list.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {TextField} from '../../components/text-field.js';
import {bucketCursorIndex, bucketRows, newBucketKey, type WizardState} from '../../state/wizard-reducer.js';

export type BucketStepProps = {state: WizardState; width: number; height: number};

/** Step 2: one of the account's buckets, or a new one (validated as you type, probed on Enter). */
export function BucketStep({state, width, height}: BucketStepProps) {
	const instanceRegion = state.instance?.region ?? state.region;
	const rows = bucketRows(state);
	const nameWidth = Math.min(63, Math.max(20, width - 40));
	const items: SelectListItem[] = rows.map(({key, bucket}) => {
		if (!bucket) {
			return {key, label: '+ create a new bucket'};
		}

		const region = bucket.region ?? 'region unknown';
		return {
			key,
			label: `${fitColumn(bucket.name, nameWidth)} ${region}`,
			note: bucket.region && bucket.region !== instanceRegion ? '⚠ not the instance region' : undefined,
		};
	});
	const typing = state.typingBucket;
	const showField = typing || state.bucketCursor === newBucketKey;
	const check = validateBucketName(state.newBucketName);
	const {probe, buckets} = state;

	let status: React.ReactNode = null;
	if (probe?.status === 'checking') {
		status = <SpinnerLine label={`Checking bucket ${probe.name}…`} />;
	} else if (probe?.status === 'refused') {
		status = (
			<Text color="red" wrap="truncate-end">
				✗ {probe.reason}
			</Text>
		);
	} else if (probe?.status === 'failed') {
		status = <ErrorLine prefix={`Could not check bucket ${probe.name}`} error={probe.failure.line} />;
	} else if (buckets?.status === 'loading') {
		status = <SpinnerLine label="Loading your buckets…" />;
	} else if (buckets?.status === 'failed') {
		status = (
			<ErrorLine
				prefix="Could not list your buckets (r retries; you can still type a name)"
				error={buckets.failure.line}
			/>
		);
	} else if (buckets?.status === 'ready' && buckets.data.length === 0) {
		status = <Text wrap="truncate-end">You have no buckets yet: create a new one.</Text>;
	}

	// Title (1) + field and its reason (2) + status (1) + the list's own lines.
	const listHeight = Math.max(1, height - 4);
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				Where should the bundle go? The instance is in <Text bold>{instanceRegion}</Text>.
			</Text>
			<SelectList items={items} selectedIndex={bucketCursorIndex(state, rows)} height={listHeight} focused={!typing} />
			{showField ? (
				<TextField
					label="New bucket name:"
					value={state.newBucketName}
					focused={typing}
					placeholder={typing ? '' : 'enter to type a name'}
					invalidReason={typing && state.newBucketName.length > 0 && !check.ok ? check.reason : undefined}
				/>
			) : null}
			{showField && typing && check.ok ? (
				<Text dimColor wrap="truncate-end">
					✓ valid name — enter checks it; a bucket that does not exist is created in {instanceRegion}
				</Text>
			) : null}
			{status}
		</Box>
	);
}
