import {Box} from 'ink';
import {manifestKey} from '../../../core/format.js';
import {validatePrefix} from '../../../core/validation.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {TextField} from '../../components/text-field.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {currentManifestLocation, regionMismatch, regionRefusal, type WizardState} from '../../state/wizard-reducer.js';
import {bucketSummary} from './bucket-summary.js';

/** Step 3: the key prefix, validated as you type, with the manifest path it gives. Messages wrap, never cut. */
export function PrefixStep({state, width}: {state: WizardState; width: number}) {
	const instanceRegion = state.instance?.region ?? state.region;
	const check = validatePrefix(state.prefix);
	const location = currentManifestLocation(state);
	const mismatch = regionMismatch(state);
	const {prefixCheck} = state;
	return (
		<Box flexDirection="column">
			{state.bucket
				? wrappedLines(bucketSummary(state.bucket, instanceRegion), {width, label: 'Bucket ', id: 'bucket'})
				: null}
			{mismatch && state.bucket
				? wrappedLines(`✗ ${regionRefusal(state.bucket.name, mismatch, instanceRegion)}`, {
						width,
						color: 'red',
						id: 'region',
					})
				: null}
			<TextField
				label="Prefix"
				value={state.prefix}
				focused={prefixCheck?.status !== 'running'}
				invalidReason={check.ok ? undefined : check.reason}
			/>
			{wrappedLines(check.ok && location ? location : '—', {width, label: 'Manifest ', id: 'manifest'})}
			{wrappedLines(
				check.ok
					? `The bundle writes ${manifestKey(state.prefix)} and ${state.prefix}.part.N objects.`
					: 'The bundle writes <prefix>.manifest.xml and <prefix>.part.N objects.',
				{width, dimColor: true, id: 'writes'},
			)}
			{prefixCheck?.status === 'running' ? (
				<SpinnerLine label={`Checking that ${location ?? 'the prefix'} is free…`} />
			) : null}
			{prefixCheck?.status === 'taken'
				? wrappedLines(
						`✗ ${prefixCheck.location} already exists: a bundle there would overwrite it — choose another prefix`,
						{width, color: 'red', id: 'taken'},
					)
				: null}
			{prefixCheck?.status === 'failed' ? (
				<ErrorLine prefix="Could not check the prefix" error={prefixCheck.failure.line} width={width} />
			) : null}
		</Box>
	);
}
