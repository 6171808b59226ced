/**
 * Detail pane of the selected task: identity and state, manifest path, observed state timeline with times,
 * error code and message, and the AMIs registered / migrated / copied from it with their current state.
 * Always exactly `height` lines so the frame height never jumps.
 */
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {formatClock, formatDuration, manifestLocation} from '../../core/format.js';
import {stateLabel, stateShortLabel, stateTone} from '../../core/task-model.js';
import type {DashboardRow} from '../state/dashboard-rows.js';
import {type ImageStatus, imageKey} from '../state/dashboard-state.js';
import {etaText, toneColors} from './task-table.js';

export const detailHeight = 7;

export type TaskDetailProps = {
	row: DashboardRow | undefined;
	images: Readonly<Record<string, ImageStatus>>;
	now: number;
	width: number;
	height?: number;
};

function timelineText(row: DashboardRow): string {
	if (row.timeline.length === 0) {
		const last = row.updateTime ? ` · last seen ${stateShortLabel(row.state)} ${formatClock(row.updateTime)}` : '';
		return `started ${formatClock(row.startTime)}${last}`;
	}

	const start = row.startTime.getTime();
	const steps = row.timeline.map((event, index) =>
		index === 0
			? `${stateShortLabel(event.state)} ${formatClock(event.at)}`
			: `${stateShortLabel(event.state)} +${formatDuration(event.at.getTime() - start)}`,
	);
	return `started ${formatClock(row.startTime)} › ${steps.join(' › ')}`;
}

function imageStateText(status: ImageStatus | undefined): string {
	if (!status || status.state === 'unknown') {
		return 'checking…';
	}

	return status.state === 'not-found' ? 'not found' : status.state;
}

function Label({children}: {children: ReactNode}) {
	return <Text bold>{children} </Text>;
}

export function TaskDetail({row, images, now, width, height = detailHeight}: TaskDetailProps) {
	const rule = '─'.repeat(Math.max(0, width));
	const lines: ReactNode[] = [];
	if (row) {
		const tone = row.fromHistory ? 'gray' : toneColors[stateTone(row.state)];
		const state = row.cancelRequested ? 'Cancel requested' : stateLabel(row.state);
		lines.push(
			<Text key="title" wrap="truncate-end">
				<Text bold>{row.bundleId}</Text> · {row.region} · <Text color={tone}>{state}</Text>
				{row.progress === undefined ? '' : ` ${row.progress}%`}
				{row.fromHistory ? ' · not listed by AWS any more (last snapshot from local history)' : ''}
			</Text>,
			<Text key="where" wrap="truncate-end">
				<Label>instance</Label>
				{row.instanceName ? `${row.instanceName} (${row.instanceId})` : row.instanceId}
				{'  '}
				<Label>manifest</Label>
				{manifestLocation(row.bucket, row.prefix)}
			</Text>,
			<Text key="timeline" wrap="truncate-end">
				<Label>timeline</Label>
				{timelineText(row)}
			</Text>,
		);
		if (row.error) {
			lines.push(
				<Text key="error" wrap="truncate-end" color="red">
					<Label>error</Label>
					{row.error.code}: {row.error.message}
				</Text>,
			);
		} else {
			const end = row.fromHistory || row.eta === undefined ? (row.updateTime?.getTime() ?? now) : now;
			const eta = row.eta === undefined ? '' : ` · ETA ${etaText(row, now)}`;
			lines.push(
				<Text key="timing" wrap="truncate-end">
					<Label>elapsed</Label>
					{formatDuration(end - row.startTime.getTime())}
					{eta}
					{row.updateTime ? ` · updated ${formatClock(row.updateTime)}` : ''}
				</Text>,
			);
		}

		const amis = row.history?.images ?? [];
		lines.push(
			<Text key="amis" wrap="truncate-end">
				<Label>AMIs</Label>
				{amis.length === 0
					? row.state === 'complete'
						? 'none yet — r registers, m migrates to another region'
						: 'none'
					: amis
							.map(
								(image) =>
									`${image.imageId} ${image.region} ${image.kind}: ${imageStateText(images[imageKey(image.region, image.imageId)])}`,
							)
							.join(' · ')}
			</Text>,
		);
		const migrations = row.history?.migrations ?? [];
		if (migrations.length > 0) {
			lines.push(
				<Text key="migrations" wrap="truncate-end">
					<Label>copies</Label>
					{migrations
						.map(
							(migration) =>
								`${migration.destinationRegion} ${migration.destinationManifestLocation} ${migration.complete ? 'complete' : 'incomplete (m resumes)'}`,
						)
						.join(' · ')}
				</Text>,
			);
		}
	} else {
		lines.push(
			<Text key="empty" dimColor>
				No task selected.
			</Text>,
		);
	}

	const body = lines.slice(0, Math.max(0, height - 1));
	while (body.length < height - 1) {
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
