import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {formatDateTime} from '../../../core/format.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {currentManifestLocation, regionMismatch, type WizardState} from '../../state/wizard-reducer.js';
import {bucketSummary, regionWarning} from './bucket-summary.js';

function Row({label, children}: {label: string; children: ReactNode}) {
	return (
		<Text wrap="truncate-end">
			<Text bold>{label.padEnd(10)}</Text>
			{children}
		</Text>
	);
}

function Warning({children}: {children: ReactNode}) {
	return (
		<Text color="yellow" wrap="truncate-end">
			⚠ {children}
		</Text>
	);
}

/** The summary and the AWS warnings, one element per line (so they can be windowed on small terminals). */
function bodyLines(state: WizardState): ReactNode[] {
	const {instance, bucket} = state;
	if (!instance || !bucket) {
		return [];
	}

	const mismatch = regionMismatch(state);
	const expiry = state.policyExpiry === undefined ? undefined : new Date(state.policyExpiry);
	const lines: ReactNode[] = [
		<Row key="instance" label="Instance">
			{instance.name ?? '(no name)'} {instance.id} · {instance.type} · {instance.availabilityZone}
		</Row>,
		<Row key="bucket" label="Bucket">
			{bucketSummary(bucket, instance.region)}
		</Row>,
		<Row key="prefix" label="Prefix">
			{state.prefix}
		</Row>,
		<Row key="manifest" label="Manifest">
			{currentManifestLocation(state)}
		</Row>,
		<Row key="policy" label="Policy">
			upload policy (ec2-bundle-read) valid until {expiry ? formatDateTime(expiry) : '—'} (24 h)
		</Row>,
	];
	if (mismatch) {
		lines.push(<Warning key="region">{regionWarning(mismatch, instance.region)}</Warning>);
	}

	lines.push(
		<Text key="gap"> </Text>,
		<Text key="before" bold>
			Before you start
		</Text>,
		<Warning key="restart">The instance will be shut down, bundled, and restarted: plan for the downtime.</Warning>,
		<Warning key="drives">Only C: is bundled: D: and other instance store drives are not kept.</Warning>,
		<Warning key="password">Change the Administrator password if it is still the EC2-provided one.</Warning>,
		<Text key="shrink" wrap="truncate-end">
			· Optional: clean up and defrag C:, then `sdelete -c C:\` to shrink the bundle.
		</Text>,
	);
	if (state.temporaryCredentials) {
		lines.push(
			<Warning key="temporary">
				Temporary credentials (session token): the policy cannot carry the token, so uploads may be refused.
			</Warning>,
		);
	}

	return lines;
}

function StatusLines({state}: {state: WizardState}) {
	const {preflight, start} = state;
	return (
		<>
			{preflight?.status === 'running' ? <SpinnerLine label="Checking with AWS (BundleInstance DryRun)…" /> : null}
			{preflight?.status === 'passed' ? (
				<Text color="green" wrap="truncate-end">
					✓ DryRun passed: AWS would accept this bundle. Enter starts it.
				</Text>
			) : null}
			{preflight?.status === 'failed' ? (
				<ErrorLine prefix="DryRun failed (r re-runs it)" error={preflight.failure.line} />
			) : null}
			{start?.status === 'running' ? (
				<SpinnerLine
					label={
						state.bucket?.status === 'missing' ? 'Creating the bucket and starting the bundle…' : 'Starting the bundle…'
					}
				/>
			) : null}
			{start?.status === 'failed' ? <ErrorLine prefix="Could not start the bundle" error={start.failure.line} /> : null}
			{start?.status === 'started' ? (
				<Text color="green" bold wrap="truncate-end">
					✓ Bundle {start.result.task.bundleId} started ({start.result.task.state}) — opening the dashboard…
				</Text>
			) : null}
		</>
	);
}

/** Step 4: what will happen, the AWS warnings, the DryRun result, then Enter starts. At most `height` lines. */
export function ConfirmStep({state, height}: {state: WizardState; height: number}) {
	const lines = bodyLines(state);
	// The status lines (DryRun, start) always show: at most two.
	const room = Math.max(1, height - 2);
	const overflow = lines.length > room;
	const rows = overflow ? room - 1 : lines.length;
	const start = Math.min(state.scroll, Math.max(0, lines.length - rows));
	const hidden = lines.length - start - rows;
	return (
		<Box flexDirection="column">
			{lines.slice(start, start + rows)}
			{overflow ? (
				<Text dimColor wrap="truncate-end">
					{start > 0 ? `↑ ${start} more ` : ''}
					{hidden > 0 ? `↓ ${hidden} more ` : ''}(↑↓ scroll)
				</Text>
			) : null}
			<StatusLines state={state} />
		</Box>
	);
}
