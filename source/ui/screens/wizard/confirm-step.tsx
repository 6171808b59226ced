import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {formatDateTime} from '../../../core/format.js';
import {adoptedBundleNote} from '../../../core/lost-answers.js';
import {ErrorLine, errorLineCount} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {
	currentManifestLocation,
	regionMismatch,
	regionRefusal,
	type WizardState,
	wizardPath,
} from '../../state/wizard-reducer.js';
import {bucketSummary} from './bucket-summary.js';
import {storeBodyLines, storeStatusLines} from './store-confirm.js';

const labelWidth = 10;

/**
 * The summary and the AWS warnings, wrapped at `width`, one element per line (so they can be windowed on small
 * terminals): nothing is cut.
 */
function bodyLines(state: WizardState, width: number): ReactNode[] {
	const {instance, bucket} = state;
	if (!instance || !bucket) {
		return [];
	}

	const row = (label: string, text: string) =>
		wrappedLines(text, {width, label: label.padEnd(labelWidth), indent: labelWidth, id: label});
	const warning = (id: string, text: string) => wrappedLines(`⚠ ${text}`, {width, color: 'yellow', id});
	const mismatch = regionMismatch(state);
	const expiry = state.policyExpiry === undefined ? undefined : new Date(state.policyExpiry);
	const lines: ReactNode[] = [
		...row(
			'Instance',
			`${instance.name ?? '(no name)'} ${instance.id} · ${instance.type} · ${instance.availabilityZone}`,
		),
		...row('Bucket', bucketSummary(bucket, instance.region)),
		...row('Prefix', state.prefix),
		...row('Manifest', currentManifestLocation(state) ?? '—'),
		...row('Policy', `upload policy (ec2-bundle-read) valid until ${expiry ? formatDateTime(expiry) : '—'} (24 h)`),
	];
	if (mismatch) {
		// Refused, not warned: Enter does not start a bundle that would fail at once.
		lines.push(
			...wrappedLines(`✗ ${regionRefusal(bucket.name, mismatch, instance.region)}`, {
				width,
				color: 'red',
				id: 'region',
			}),
		);
	}

	lines.push(
		<Text key="gap"> </Text>,
		<Text key="before" bold>
			Before you start
		</Text>,
		...warning('restart', 'The instance will be shut down, bundled, and restarted: plan for the downtime.'),
		...warning('drives', 'Only C: is bundled: D: and other instance store drives are not kept.'),
		...warning('password', 'Change the Administrator password if it is still the EC2-provided one.'),
		...wrappedLines('· Optional: clean up and defrag C:, then `sdelete -c C:\\` to shrink the bundle.', {
			width,
			id: 'shrink',
		}),
	);
	if (state.temporaryCredentials) {
		lines.push(
			...warning(
				'temporary',
				'Temporary credentials (session token): the policy cannot carry the token, so uploads may be refused.',
			),
		);
	}

	return lines;
}

/** The DryRun and start results (always shown, under the summary) and how many lines they take. */
function statusLines(state: WizardState, width: number): {node: ReactNode; count: number} {
	const {preflight, start} = state;
	const parts: Array<{node: ReactNode; count: number}> = [];
	if (preflight?.status === 'running') {
		parts.push({node: <SpinnerLine key="dry" label="Checking with AWS (BundleInstance DryRun)…" />, count: 1});
	}

	if (preflight?.status === 'passed') {
		const lines = regionMismatch(state)
			? wrappedLines(
					'✗ Not started: the DryRun does not check the bucket region (see above). Esc back to pick a bucket.',
					{
						width,
						color: 'red',
						id: 'passed',
					},
				)
			: wrappedLines('✓ DryRun passed: AWS would accept this bundle. Enter starts it.', {
					width,
					color: 'green',
					id: 'passed',
				});
		parts.push({node: lines, count: lines.length});
	}

	if (preflight?.status === 'failed') {
		const failure = {prefix: 'DryRun failed (r re-runs it)', error: preflight.failure.line, width};
		parts.push({node: <ErrorLine key="dry-failed" {...failure} />, count: errorLineCount(failure)});
	}

	if (start?.status === 'running') {
		const label =
			state.bucket?.status === 'missing' ? 'Creating the bucket and starting the bundle…' : 'Starting the bundle…';
		parts.push({node: <SpinnerLine key="starting" label={label} />, count: 1});
	}

	if (start?.status === 'failed') {
		const failure = {prefix: 'Could not start the bundle', error: start.failure.line, width};
		parts.push({node: <ErrorLine key="start-failed" {...failure} />, count: errorLineCount(failure)});
	}

	if (start?.status === 'started') {
		const lines = wrappedLines(
			`✓ Bundle ${start.result.task.bundleId} started (${start.result.task.state}) — opening the dashboard…`,
			{width, color: 'green', bold: true, id: 'started'},
		);
		parts.push({node: lines, count: lines.length});
		if (start.result.adopted) {
			const note = wrappedLines(`${adoptedBundleNote}.`, {width, color: 'yellow', id: 'adopted'});
			parts.push({node: note, count: note.length});
		}
	}

	return {node: parts.map((part) => part.node), count: parts.reduce((sum, part) => sum + part.count, 0)};
}

/** Step 4: what will happen, the AWS warnings, the DryRun result, then Enter starts. At most `height` lines. */
export function ConfirmStep({state, width, height}: {state: WizardState; width: number; height: number}) {
	const store = wizardPath(state) === 'store';
	const lines = store ? storeBodyLines(state, width) : bodyLines(state, width);
	const status = store ? storeStatusLines(state, width) : statusLines(state, width);
	// The status lines (DryRun, start) always show, under the summary (which scrolls when short of room).
	const room = Math.max(1, height - Math.max(1, status.count));
	const overflow = lines.length > room;
	const rows = overflow ? Math.max(0, room - 1) : lines.length;
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
			{status.node}
		</Box>
	);
}
