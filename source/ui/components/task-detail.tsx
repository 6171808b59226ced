/**
 * Detail pane of the selected task: identity and state, manifest path, observed state timeline with times,
 * error code and message, and the AMIs registered / migrated / copied from it with their current state.
 * Every item wraps at the terminal width (nothing is cut with "…" while there is room): `detailLineCount` tells
 * the screen how many lines the pane wants, the screen gives it `height` lines (padded, so the frame does not jump).
 */
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {formatClock, formatDuration, manifestLocation, namedInstance} from '../../core/format.js';
import {isTerminalState, stateShortLabel, taskStateShortLabel, taskStateTone} from '../../core/task-model.js';
import {safeLine} from '../../core/terminal-text.js';
import type {StoredObject} from '../../core/types.js';
import {elapsedText} from '../state/dashboard-format.js';
import type {DashboardRow} from '../state/dashboard-rows.js';
import {type ImageStatus, imageKey} from '../state/dashboard-state.js';
import {etaText, rowStateWords, toneColors} from './task-table.js';
import {workDetailItems} from './work-detail.js';
import {wrappedLines, wrappedText} from './wrapped-text.js';

/** The pane's usual height (rule included); it grows when the selected task has more to say and there is room. */
export const detailHeight = 7;

export type TaskDetailProps = {
	row: DashboardRow | undefined;
	images: Readonly<Record<string, ImageStatus>>;
	now: number;
	width: number;
	height?: number;
	/** Stored objects of complete store tasks (their size), or why one could not be read, by row key */
	stored?: Readonly<Record<string, StoredObject | string>> | undefined;
};

/** "started 15:00:07 › Bundling 15:00:10 › Storing 15:00:41 › Complete 15:01:02 (55s in all)": clock times only. */
export function timelineText(row: DashboardRow): string {
	if (row.timeline.length === 0) {
		const last = row.updateTime ? ` · last seen ${taskStateShortLabel(row)} ${formatClock(row.updateTime)}` : '';
		return `started ${formatClock(row.startTime)}${last}`;
	}

	// A no-break space keeps each state with its time when the line wraps.
	const last = row.timeline.at(-1);
	// The last step of a cancelled task says Cancelled (AWS reports it as failed, with the error code).
	const steps = row.timeline.map(
		(event) =>
			`${event === last && event.state === row.state ? taskStateShortLabel(row) : stateShortLabel(event.state)}\u00A0${formatClock(event.at)}`,
	);
	const total =
		last && isTerminalState(last.state)
			? ` (${formatDuration(last.at.getTime() - row.startTime.getTime())} in all)`
			: '';
	return `started ${formatClock(row.startTime)} › ${steps.join(' › ')}${total}`;
}

function imageStateText(status: ImageStatus | undefined): string {
	if (!status || status.state === 'unknown') {
		return 'checking…';
	}

	return status.state === 'not-found' ? 'not found' : status.state;
}

type Item = {id: string; label: string; text: string; color?: string | undefined; dimColor?: boolean | undefined};

const labelWidth = 9;

function label(name: string): string {
	return name.padEnd(labelWidth);
}

/** The pane's items after the title line, one per fact (each wraps on its own). */
function detailItems(
	row: DashboardRow,
	images: TaskDetailProps['images'],
	now: number,
	width: number,
	stored?: TaskDetailProps['stored'],
): Item[] {
	if (row.work) {
		return workDetailItems(row, row.work, images, stored?.[row.key], now).map((item) => ({
			...item,
			text: safeLine(item.text),
		}));
	}

	const items: Item[] = [];
	if (row.fromHistory) {
		items.push({
			id: 'history',
			label: '',
			text: row.unanswered
				? `No answer from AWS for ${row.region} yet: the last snapshot from local history.`
				: 'Not listed by AWS any more: the last snapshot from local history.',
			dimColor: true,
		});
	}

	const instance = namedInstance(row.instanceName, row.instanceId);
	const manifest = manifestLocation(row.bucket, row.prefix);
	const together = `${label('instance')}${instance}  manifest ${manifest}`;
	if ([...together].length <= width) {
		items.push({id: 'where', label: label('instance'), text: `${instance}  manifest ${manifest}`});
	} else {
		items.push(
			{id: 'instance', label: label('instance'), text: instance},
			{id: 'manifest', label: label('manifest'), text: manifest},
		);
	}

	items.push({id: 'timeline', label: label('timeline'), text: timelineText(row)});
	if (row.error) {
		items.push({id: 'error', label: label('error'), text: `${row.error.code}: ${row.error.message}`, color: 'red'});
	} else {
		const eta = row.eta === undefined ? '' : ` · ETA ${etaText(row, now)}`;
		const updated = row.updateTime ? ` · updated ${formatClock(row.updateTime)}` : '';
		items.push({
			id: 'timing',
			label: label('elapsed'),
			text: `${elapsedText(row, now)}${eta}${updated}`,
		});
	}

	const amis = row.history?.images ?? [];
	if (amis.length === 0) {
		items.push({
			id: 'amis',
			label: label('AMIs'),
			text: row.state === 'complete' ? 'none yet — r registers, m migrates to another region' : 'none',
		});
	}

	for (const image of amis) {
		items.push({
			id: `ami-${image.region}-${image.imageId}`,
			label: label('AMI'),
			text: `${image.imageId} ${image.region} ${image.kind}: ${imageStateText(images[imageKey(image.region, image.imageId)])}`,
		});
	}

	for (const migration of row.history?.migrations ?? []) {
		items.push({
			id: `copy-${migration.destinationRegion}-${migration.destinationManifestLocation}`,
			label: label('copy'),
			text: `${migration.destinationRegion} ${migration.destinationManifestLocation} ${migration.complete ? 'complete' : 'incomplete (m resumes)'}`,
		});
	}

	return items.map((item) => ({...item, text: safeLine(item.text)}));
}

function itemLines(item: Item, width: number): ReactNode[] {
	return wrappedLines(item.text, {
		width,
		label: item.label || undefined,
		indent: item.label ? labelWidth : 0,
		color: item.color,
		dimColor: item.dimColor,
		id: item.id,
	});
}

/** Lines the pane wants for `row` at `width`, the rule included. */
export function detailLineCount(
	row: DashboardRow | undefined,
	images: TaskDetailProps['images'],
	now: number,
	width: number,
	stored?: TaskDetailProps['stored'],
): number {
	if (!row) {
		return 2;
	}

	return (
		2 +
		detailItems(row, images, now, width, stored).reduce(
			(sum, item) =>
				sum +
				wrappedText(item.text, {width, label: item.label || undefined, indent: item.label ? labelWidth : 0}).length,
			0,
		)
	);
}

export function TaskDetail({row, images, now, width, height = detailHeight, stored}: TaskDetailProps) {
	const rule = '─'.repeat(Math.max(0, width));
	let lines: ReactNode[] = [];
	if (row) {
		const tone = row.fromHistory ? 'gray' : toneColors[taskStateTone(row)];
		const {state, percent} = rowStateWords(row);
		lines.push(
			<Text key="title" wrap="truncate-end">
				<Text bold>{row.bundleId}</Text> · {row.region} · <Text color={tone}>{state}</Text>
				{percent}
				{row.fromHistory ? ' (from history)' : ''}
			</Text>,
		);
		for (const item of detailItems(row, images, now, width, stored)) {
			lines = [...lines, ...itemLines(item, width)];
		}
	} else {
		lines.push(
			<Text key="empty" dimColor>
				No task selected.
			</Text>,
		);
	}

	const room = Math.max(0, height - 1);
	const body = lines.length > room ? lines.slice(0, room) : lines;
	while (body.length < room) {
		body.push(<Text key={`pad-${body.length}`}> </Text>);
	}

	return (
		<Box flexDirection="column">
			<Text dimColor wrap="truncate-end">
				{rule}
			</Text>
			{body}
		</Box>
	);
}
