import {Box, Text} from 'ink';
import {manifestKey} from '../../../core/format.js';
import {validatePrefix} from '../../../core/validation.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {TextField} from '../../components/text-field.js';
import {currentManifestLocation, regionMismatch, type WizardState} from '../../state/wizard-reducer.js';
import {bucketSummary, regionWarning} from './bucket-summary.js';

/** Step 3: the key prefix, validated as you type, with the manifest path it gives. */
export function PrefixStep({state}: {state: WizardState}) {
	const instanceRegion = state.instance?.region ?? state.region;
	const check = validatePrefix(state.prefix);
	const location = currentManifestLocation(state);
	const mismatch = regionMismatch(state);
	const {prefixCheck} = state;
	return (
		<Box flexDirection="column">
			{state.bucket ? (
				<Text wrap="truncate-end">
					<Text bold>Bucket </Text>
					{bucketSummary(state.bucket, instanceRegion)}
				</Text>
			) : null}
			{mismatch ? (
				<Text color="yellow" wrap="truncate-end">
					⚠ {regionWarning(mismatch, instanceRegion)}
				</Text>
			) : null}
			<TextField
				label="Prefix"
				value={state.prefix}
				focused={prefixCheck?.status !== 'running'}
				invalidReason={check.ok ? undefined : check.reason}
			/>
			<Text wrap="truncate-middle">
				<Text bold>Manifest </Text>
				{check.ok && location ? location : '—'}
			</Text>
			<Text dimColor wrap="truncate-end">
				The bundle writes {check.ok ? manifestKey(state.prefix) : '<prefix>.manifest.xml'} and {'<prefix>'}.part.N
				objects.
			</Text>
			{prefixCheck?.status === 'running' ? (
				<SpinnerLine label={`Checking that ${location ?? 'the prefix'} is free…`} />
			) : null}
			{prefixCheck?.status === 'taken' ? (
				<Text color="red" wrap="truncate-end">
					✗ {prefixCheck.location} already exists: a bundle there would overwrite it — choose another prefix
				</Text>
			) : null}
			{prefixCheck?.status === 'failed' ? (
				<ErrorLine prefix="Could not check the prefix" error={prefixCheck.failure.line} />
			) : null}
		</Box>
	);
}
