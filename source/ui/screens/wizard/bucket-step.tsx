import {Box, Text} from 'ink';
import {fitColumn} from '../../../core/format.js';
import {validateBucketName} from '../../../core/validation.js';
import {type ChoiceItem, ChoiceList} from '../../components/choice-list.js';
import {ErrorLine, errorLineCount} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {TextField} from '../../components/text-field.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {newBucketKey, newBucketLabel} from '../../state/new-bucket.js';
import {
	bucketCursorIndex,
	bucketRows,
	bucketsElsewhere,
	targetRegion,
	type WizardState,
	wizardPath,
} from '../../state/wizard-reducer.js';

export type BucketStepProps = {state: WizardState; width: number; height: number};

/** Step 2: one of the account's buckets, or a new one (validated as you type, probed on Enter). */
export function BucketStep({state, width, height}: BucketStepProps) {
	const instanceRegion = targetRegion(state);
	const store = wizardPath(state) === 'store';
	const elsewhere = bucketsElsewhere(state).length;
	// Image -> S3: the buckets of other regions are left out, and one line says why
	const notOffered =
		elsewhere > 0
			? wrappedLines(
					`${elsewhere} bucket${elsewhere === 1 ? '' : 's'} in other regions not offered: CreateStoreImageTask writes only to a bucket in the AMI's region (${instanceRegion}).`,
					{width, dimColor: true, id: 'elsewhere'},
				)
			: [];
	const rows = bucketRows(state);
	const nameWidth = Math.min(63, Math.max(20, width - 40));
	const items: ChoiceItem[] = rows.map(({key, bucket}) => {
		if (!bucket) {
			return {key, label: newBucketLabel};
		}

		const region = bucket.region ?? 'region unknown';
		return {
			key,
			label: `${fitColumn(bucket.name, nameWidth)} ${region}`,
			note: bucket.region && bucket.region !== instanceRegion ? '✗ not the instance region' : undefined,
		};
	});
	const typing = state.typingBucket;
	const showField = typing || state.bucketCursor === newBucketKey;
	const check = validateBucketName(state.newBucketName);
	const {probe, buckets} = state;

	// Messages wrap (a reason is never cut): they are counted so the list leaves them room.
	let status: React.ReactNode = null;
	let statusLines = 0;
	if (probe?.status === 'checking') {
		status = <SpinnerLine label={`Checking bucket ${probe.name}…`} />;
		statusLines = 1;
	} else if (probe?.status === 'refused') {
		const lines = wrappedLines(`✗ ${probe.reason}`, {width, color: 'red', id: 'refused'});
		status = lines;
		statusLines = lines.length;
	} else if (probe?.status === 'failed') {
		const failure = {prefix: `Could not check bucket ${probe.name}`, error: probe.failure.line, width};
		status = <ErrorLine {...failure} />;
		statusLines = errorLineCount(failure);
	} else if (buckets?.status === 'loading') {
		status = <SpinnerLine label="Loading your buckets…" />;
		statusLines = 1;
	} else if (buckets?.status === 'failed') {
		const failure = {
			prefix: 'Could not list your buckets (r retries; you can still type a name)',
			error: buckets.failure.line,
			width,
		};
		status = <ErrorLine {...failure} />;
		statusLines = errorLineCount(failure);
	} else if (buckets?.status === 'ready' && buckets.data.length === 0) {
		status = <Text wrap="truncate-end">You have no buckets yet: create a new one.</Text>;
		statusLines = 1;
	}

	const reason = typing && state.newBucketName.length > 0 && !check.ok ? check.reason : undefined;
	const hint =
		showField && typing && check.ok
			? wrappedLines(`✓ valid name — enter checks it; a bucket that does not exist is created in ${instanceRegion}`, {
					width,
					dimColor: true,
					id: 'hint',
				})
			: [];
	// Title (1) + field (1) and its reason or hint + status + the list's own lines.
	const fieldLines = showField ? 1 + (reason ? 1 : 0) + hint.length : 0;
	const listHeight = Math.max(1, height - 1 - fieldLines - statusLines - notOffered.length);
	return (
		<Box flexDirection="column">
			{store ? (
				<Text wrap="truncate-end">
					Which bucket takes the image? The {state.image ? 'AMI' : 'instance'} is in <Text bold>{instanceRegion}</Text>.
				</Text>
			) : (
				<Text wrap="truncate-end">
					Where should the bundle go? The instance is in <Text bold>{instanceRegion}</Text>.
				</Text>
			)}
			{notOffered}
			<ChoiceList items={items} selectedIndex={bucketCursorIndex(state, rows)} height={listHeight} focused={!typing} />
			{showField ? (
				<TextField
					label="New bucket name:"
					value={state.newBucketName}
					focused={typing}
					placeholder={typing ? '' : 'enter to type a name'}
					invalidReason={reason}
				/>
			) : null}
			{hint}
			{status}
		</Box>
	);
}
