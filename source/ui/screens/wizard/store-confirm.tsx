/**
 * The confirm step of image -> S3: what will happen (CreateImage with or without a reboot, then the store task; for
 * an AMI the store task only), the warnings that apply, and the DryRun of both calls. One element per line.
 */
import {Text} from 'ink';
import type {ReactNode} from 'react';
import {ErrorLine, errorLineCount} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {targetRegion, type WizardState} from '../../state/wizard-reducer.js';
import {bucketSummary} from './bucket-summary.js';

const labelWidth = 10;

export function storeBodyLines(state: WizardState, width: number): ReactNode[] {
	const {instance, image, bucket} = state;
	if (!bucket || !(instance ?? image)) {
		return [];
	}

	const region = targetRegion(state);
	const row = (label: string, text: string) =>
		wrappedLines(text, {width, label: label.padEnd(labelWidth), indent: labelWidth, id: label});
	const warning = (id: string, text: string) => wrappedLines(`⚠ ${text}`, {width, color: 'yellow', id});
	const lines: ReactNode[] = [];
	if (instance) {
		lines.push(
			...row('Instance', `${instance.name ?? '(no name)'} ${instance.id} · ${instance.type} · ${instance.state}`),
			...row('Bucket', bucketSummary(bucket, region)),
			...row('AMI name', state.amiName),
			...row('Object', `${bucket.name}/<ami-id>.bin, once the store task completes`),
			...row(
				'Steps',
				`1 CreateImage, ${state.noReboot ? 'no reboot' : 'with reboot'} (n toggles) · 2 store task once the AMI is available`,
			),
		);
	} else if (image) {
		lines.push(
			...row('AMI', `${image.name} ${image.imageId}`),
			...row('Bucket', bucketSummary(bucket, region)),
			...row('Object', `${bucket.name}/${image.imageId}.bin, once the store task completes`),
			...row('Steps', 'the store task only (the AMI is stored as it is)'),
		);
	}

	lines.push(
		<Text key="gap"> </Text>,
		<Text key="before" bold>
			Before you start
		</Text>,
	);
	if (instance) {
		lines.push(
			...(state.noReboot
				? warning('consistency', 'No reboot: files open while imaging may be inconsistent in the image.')
				: warning('reboot', `${instance.name ?? instance.id} reboots for a consistent image: plan for the downtime.`)),
			...warning('sysprep', 'Generalise with Sysprep (EC2Launch) first if copies need new identities.'),
			...warning('drives', 'D: and other instance store volumes are not kept.'),
			...warning('password', 'The Administrator password is kept: change it if EC2 provided it.'),
		);
	} else {
		lines.push(...warning('snapshots', 'Keep the AMI and its snapshots until the store task completes.'));
	}

	lines.push(
		...warning('decrypted', 'The object holds the disks decrypted: keep the bucket private, encrypted.'),
		...warning('limits', 'Limits: 5,000 GB per AMI; 1,200 GB being stored at once per account.'),
	);
	return lines;
}

/** The DryRun and start results of image -> S3, and how many lines they take. */
export function storeStatusLines(state: WizardState, width: number): {node: ReactNode; count: number} {
	const {preflight, start} = state;
	const parts: Array<{node: ReactNode; count: number}> = [];
	const green = (id: string, text: string, bold = false) => {
		const lines = wrappedLines(text, {width, color: 'green', bold, id});
		parts.push({node: lines, count: lines.length});
	};

	if (preflight?.status === 'running') {
		const calls = state.image ? 'CreateStoreImageTask DryRun' : 'CreateImage DryRun, the bucket';
		parts.push({node: <SpinnerLine key="dry" label={`Checking with AWS (${calls})…`} />, count: 1});
	}

	if (preflight?.status === 'passed') {
		for (const [index, check] of (preflight.checks ?? []).entries()) {
			green(`check-${index}`, `✓ ${check}`);
		}

		green('passed', 'Enter starts it.');
	}

	if (preflight?.status === 'failed') {
		const failure = {prefix: 'DryRun failed (r re-runs it)', error: preflight.failure.line, width};
		parts.push({node: <ErrorLine key="dry-failed" {...failure} />, count: errorLineCount(failure)});
	}

	if (start?.status === 'running') {
		const action = state.image ? 'Starting the store task' : 'Creating the image';
		const label =
			state.bucket?.status === 'missing' ? `Creating the bucket, then ${action.toLowerCase()}…` : `${action}…`;
		parts.push({node: <SpinnerLine key="starting" label={label} />, count: 1});
	}

	if (start?.status === 'failed') {
		const failure = {
			prefix: state.image ? 'Could not start the store task' : 'Could not create the image',
			error: start.failure.line,
			width,
		};
		parts.push({node: <ErrorLine key="start-failed" {...failure} />, count: errorLineCount(failure)});
	}

	if (start?.status === 'chain-started') {
		const {chain} = start;
		green(
			'started',
			chain.storeStartedAt
				? `✓ Store task of ${chain.imageId} started — opening the dashboard…`
				: `✓ CreateImage accepted: ${chain.imageId}; the store task follows once it is available — opening the dashboard…`,
			true,
		);
	}

	return {node: parts.map((part) => part.node), count: parts.reduce((sum, part) => sum + part.count, 0)};
}
