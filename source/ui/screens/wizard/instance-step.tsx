import {Box, Text} from 'ink';
import {continueSentence} from '../../../core/app-error.js';
import {fitColumn, formatDateTime} from '../../../core/format.js';
import {instancePath, pathLabel} from '../../../core/image-path.js';
import type {Instance} from '../../../core/types.js';
import {phraseLines} from '../../components/fit-phrases.js';
import {SelectList, type SelectListItem} from '../../components/select-list.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import type {Failure} from '../../state/wizard-actions.js';
import {canTake, instanceCursorIndex, visibleInstances, type WizardState} from '../../state/wizard-reducer.js';
import {ImageList} from './image-list.js';
import {RegionPicker} from './region-picker.js';

/** Column widths; 0 leaves a column out (narrow terminals). */
type Columns = {
	name: number;
	id: number;
	type: number;
	zone: number;
	state: number;
	path: number;
	launch: number;
	long: boolean;
};

/**
 * Column widths for the terminal width: the name column takes what the others leave, up to 40 (as the AMI list).
 * Narrower than 72, the launch date goes, then below 61 the type: the path (what the instance can do) stays whole.
 */
export function columnsFor(width: number): Columns {
	const long = width >= 96;
	const fixed = {
		id: 19,
		type: width >= 61 ? 9 : 0,
		zone: long ? 15 : 0,
		state: 8,
		path: 10,
		launch: long ? 16 : width >= 72 ? 10 : 0,
	};
	const shown = Object.values(fixed).filter((size) => size > 0);
	// The cursor ('› '), the columns and a space after each but the last (the name's comes first)
	const used = 2 + shown.reduce((sum, size) => sum + size, 0) + shown.length;
	return {...fixed, name: Math.max(8, Math.min(40, width - used - 1)), long};
}

function launchText(instance: Instance, columns: Columns): string {
	if (!instance.launchTime) {
		return '—';
	}

	const text = formatDateTime(instance.launchTime);
	return columns.long ? text : text.slice(0, 10);
}

export function instanceRow(instance: Instance, columns: Columns): SelectListItem {
	const name = fitColumn(instance.name ?? '(no name)', columns.name);
	const id = fitColumn(instance.id, columns.id);
	const choice = instancePath(instance);
	if (!choice.path) {
		// Narrow (no launch date): the reason takes the id's place, so it is read whole
		const label = columns.launch > 0 ? `${name} ${id} ✗ ${choice.reason}` : `${name} ✗ ${choice.reason}`;
		return {key: instance.id, label, disabled: true};
	}

	return {
		key: instance.id,
		label: [
			name,
			id,
			...(columns.type > 0 ? [fitColumn(instance.type, columns.type)] : []),
			...(columns.zone > 0 ? [fitColumn(instance.availabilityZone, columns.zone)] : []),
			fitColumn(instance.state, columns.state),
			columns.launch > 0 ? fitColumn(pathLabel(choice.path), columns.path) : pathLabel(choice.path),
			...(columns.launch > 0 ? [launchText(instance, columns)] : []),
		].join(' '),
	};
}

function heading(columns: Columns): string {
	return [
		fitColumn('Name', columns.name),
		fitColumn('Instance', columns.id),
		...(columns.type > 0 ? [fitColumn('Type', columns.type)] : []),
		...(columns.zone > 0 ? [fitColumn('AZ', columns.zone)] : []),
		fitColumn('State', columns.state),
		columns.launch > 0 ? fitColumn('Path', columns.path) : 'Path',
		...(columns.launch > 0 ? ['Launched'] : []),
	].join(' ');
}

/** '5 bundle, 3 image → S3': how many of the listed instances can take each path. */
function pathCounts(instances: Instance[]): string {
	const paths = instances.map((instance) => instancePath(instance).path);
	const bundle = paths.filter((path) => path === 'bundle').length;
	const store = paths.filter((path) => path === 'store').length;
	return `${bundle} ${pathLabel('bundle')}, ${store} ${pathLabel('store')}`;
}

/** What to do when the instances cannot be listed: credentials, region or permissions. */
export function loadAdvice(failure: Failure, region: string): string {
	const code = failure.code ?? '';
	if (/credential|token|AuthFailure|SignatureDoesNotMatch|InvalidClientTokenId|ExpiredToken/i.test(code)) {
		return 'Check your credentials: AWS_PROFILE or --profile, `aws sso login` for SSO, or run with --sandbox.';
	}

	if (/Unauthorized|AccessDenied|Forbidden/i.test(code)) {
		return `Your identity needs ec2:DescribeInstances in ${region}: ask for the permission or use another profile.`;
	}

	if (/OptIn|InvalidRegion|UnknownEndpoint|Network/i.test(code)) {
		return `Check the region (g to pick another than ${region}), your network and any --endpoint-url.`;
	}

	return `Check your credentials, the region (g to switch from ${region}) and your ec2:DescribeInstances permission.`;
}

export type InstanceStepProps = {state: WizardState; width: number; height: number};

/** Step 1: the region's instances, eligible ones first; at most `height` lines. */
export function InstanceStep({state, width, height}: InstanceStepProps) {
	if (state.regionPicker) {
		return <RegionPicker state={state} height={height} />;
	}

	if (state.source === 'images') {
		return <ImageList state={state} width={width} height={height} />;
	}

	const columns = columnsFor(width);
	const {instances} = state;
	const visible = visibleInstances(state);
	const eligibleCount = visible.filter((instance) => canTake(instance)).length;
	const filter = state.filtering || state.filter ? `filter: ${state.filter}${state.filtering ? '▏' : ''}` : undefined;
	const counts =
		instances.status === 'ready'
			? `${eligibleCount} of ${visible.length} can go: ${pathCounts(visible)}${state.filter ? ` (${instances.data.length} in all)` : ''}`
			: undefined;
	// One line when it fits: the place shortens, then `a` (the footer shows it too) and the place (the header names
	// the region) go; what you typed and the counts are never cut.
	const title = phraseLines(
		[
			{
				text: `Choose the instance to take into S3 in ${state.region}`,
				short: `Instances in ${state.region}`,
				drop: 2,
			},
			...(filter ? [{text: filter}] : []),
			...(counts ? [{text: counts}, {text: 'a: your AMIs', drop: 1 as const}] : []),
		],
		width,
	);
	let body: React.ReactNode;
	if (instances.status === 'loading') {
		body = <SpinnerLine label={`Loading instances in ${state.region}…`} />;
	} else if (instances.status === 'failed') {
		body = (
			<>
				{wrappedLines(
					`✗ Could not list the instances in ${state.region}: ${continueSentence(instances.failure.line)}`,
					{
						width,
						color: 'red',
						id: 'failed',
					},
				)}
				{wrappedLines(loadAdvice(instances.failure, state.region), {width, id: 'advice'})}
				<Text dimColor wrap="truncate-end">
					r retries · g picks another region
				</Text>
			</>
		);
	} else if (instances.data.length === 0) {
		body = (
			<>
				<Text wrap="truncate-end">No instances in {state.region}.</Text>
				{wrappedLines(
					'Press g to pick the region your instance runs in, or check that this profile is the right account.',
					{width, id: 'none'},
				)}
			</>
		);
	} else if (visible.length === 0) {
		body = <Text wrap="truncate-end">No instance matches "{state.filter}" — esc clears the filter.</Text>;
	} else {
		const none =
			eligibleCount === 0
				? wrappedLines(
						'None of these can go: a bundle needs a running instance store-backed Windows instance, image → S3 an EBS-backed one, running or stopped (a lists your AMIs).',
						{
							width,
							color: 'yellow',
							id: 'none-eligible',
						},
					)
				: [];
		body = (
			<>
				<Text bold wrap="truncate-end">
					{'  '}
					{heading(columns)}
				</Text>
				<SelectList
					items={visible.map((instance) => instanceRow(instance, columns))}
					selectedIndex={instanceCursorIndex(state, visible)}
					height={Math.max(1, height - 1 - title.length - Math.max(1, none.length))}
					focused={!state.filtering}
				/>
				{none}
			</>
		);
	}

	return (
		<Box flexDirection="column">
			{title}
			{body}
		</Box>
	);
}
