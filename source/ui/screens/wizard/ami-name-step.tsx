import {Box} from 'ink';
import {validateAmiName} from '../../../core/validation.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {TextField} from '../../components/text-field.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {targetRegion, type WizardState} from '../../state/wizard-reducer.js';
import {bucketSummary} from './bucket-summary.js';

/** Step 3 of image -> S3: the name of the AMI CreateImage makes, validated as you type, unique in the region. */
export function AmiNameStep({state, width}: {state: WizardState; width: number}) {
	const region = targetRegion(state);
	const check = validateAmiName(state.amiName);
	const {amiNameCheck} = state;
	return (
		<Box flexDirection="column">
			{state.bucket ? wrappedLines(bucketSummary(state.bucket, region), {width, label: 'Bucket ', id: 'bucket'}) : null}
			<TextField
				label="AMI name"
				value={state.amiName}
				focused={amiNameCheck?.status !== 'running'}
				invalidReason={check.ok ? undefined : check.reason}
			/>
			{wrappedLines(
				`CreateImage makes an AMI with this name in ${region} (unique there); the store task then writes <ami-id>.bin to the bucket.`,
				{width, dimColor: true, id: 'writes'},
			)}
			{amiNameCheck?.status === 'running' ? (
				<SpinnerLine label={`Checking that no AMI of yours in ${region} has this name…`} />
			) : null}
			{amiNameCheck?.status === 'taken'
				? wrappedLines(`✗ An AMI of yours in ${region} is already named "${state.amiName}" — choose another name`, {
						width,
						color: 'red',
						id: 'taken',
					})
				: null}
			{amiNameCheck?.status === 'failed' ? (
				<ErrorLine prefix="Could not check the AMI name" error={amiNameCheck.failure.line} width={width} />
			) : null}
		</Box>
	);
}
