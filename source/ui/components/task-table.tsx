/**
 * The bundle task table: fixed-width columns laid out for the terminal width (least important columns dropped
 * first on narrow terminals), one line per row, only the rows given (the caller windows around the selection).
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import {estimateEta} from '../../core/eta.js';
import {fitColumn, formatDuration, shortRegion, truncateMiddle} from '../../core/format.js';
import type {HistoryImage} from '../../core/history.js';
import {type StateTone, taskStateLabel, taskStateShortLabel, taskStateTone} from '../../core/task-model.js';
import {safeText} from '../../core/terminal-text.js';
import {isActiveWork, type WorkItem, workKindLabel} from '../../core/work-model.js';
import {elapsedText, formatAgo} from '../state/dashboard-format.js';
import type {DashboardRow} from '../state/dashboard-rows.js';
import {percentText, progressBarText} from './progress-bar.js';

export type ColumnId =
	| 'region'
	| 'kind'
	| 'bundle'
	| 'instance'
	| 'location'
	| 'state'
	| 'progress'
	| 'elapsed'
	| 'eta'
	| 'updated'
	| 'ami';

export type Column = {id: ColumnId; title: string; width: number; align: 'left' | 'right'};

type ColumnSpec = Column & {minWidth: number; flex: boolean; priority: number};

const cursorWidth = 2;
const wideEnoughForAmi = 140;

/** Columns for a terminal width. Region is shown abbreviated when space is short; flex columns share the rest. */
export function layoutColumns(
	totalWidth: number,
	multiRegion: boolean,
	longestRegion = 14,
	/** Rows of the image -> S3 path are listed: a KIND column, and the id column holds AMI ids too */
	mixedKinds = false,
): Column[] {
	const regionWidth = Math.max(6, Math.min(14, longestRegion));
	const specs: ColumnSpec[] = [
		{id: 'region', title: 'REGION', width: regionWidth, minWidth: 6, align: 'left', flex: false, priority: 6},
		{id: 'kind', title: 'KIND', width: 7, minWidth: 7, align: 'left', flex: false, priority: 9},
		{
			id: 'bundle',
			title: mixedKinds ? 'TASK' : 'BUNDLE',
			width: mixedKinds ? 21 : 12,
			minWidth: 12,
			align: 'left',
			flex: false,
			priority: 9,
		},
		{id: 'instance', title: 'INSTANCE', width: 19, minWidth: 9, align: 'left', flex: true, priority: 5},
		{id: 'location', title: 'BUCKET/PREFIX', width: 40, minWidth: 10, align: 'left', flex: true, priority: 4},
		{id: 'state', title: 'STATE', width: 11, minWidth: 11, align: 'left', flex: false, priority: 9},
		{id: 'progress', title: 'PROGRESS', width: 15, minWidth: 11, align: 'left', flex: false, priority: 8},
		{id: 'elapsed', title: 'ELAPSED', width: 7, minWidth: 7, align: 'right', flex: false, priority: 3},
		{id: 'eta', title: 'ETA', width: 7, minWidth: 7, align: 'right', flex: false, priority: 7},
		{id: 'updated', title: 'UPDATED', width: 7, minWidth: 4, align: 'right', flex: false, priority: 2},
		{id: 'ami', title: 'AMI', width: 31, minWidth: 21, align: 'left', flex: false, priority: 1},
	];
	// The AMI gets its own column only on wide terminals (elsewhere it shows in the progress cell of its row).
	let active = specs.filter(
		(spec) =>
			(spec.id !== 'region' || multiRegion) &&
			(spec.id !== 'ami' || totalWidth >= wideEnoughForAmi) &&
			(spec.id !== 'kind' || mixedKinds),
	);
	const available = Math.max(20, totalWidth - cursorWidth);
	const need = (list: ColumnSpec[], useMin: boolean) =>
		list.reduce((sum, spec) => sum + (useMin ? spec.minWidth : spec.flex ? spec.minWidth : spec.width), 0) +
		(list.length - 1);
	// Shrink fixed columns to their minimum before dropping anything, then drop by priority.
	let useMin = need(active, false) > available;
	while (need(active, useMin) > available && active.length > 3) {
		const lowest = active.reduce((low, spec) => (spec.priority < low.priority ? spec : low));
		active = active.filter((spec) => spec !== lowest);
		useMin = need(active, false) > available;
	}

	const fixedTotal = need(active, useMin);
	let spare = Math.max(0, available - fixedTotal);
	const widths = new Map(active.map((spec) => [spec.id, useMin || spec.flex ? spec.minWidth : spec.width]));
	// Spare room goes to bucket/prefix first (the most telling), then to the instance.
	for (const id of ['location', 'instance'] as const) {
		const spec = active.find((candidate) => candidate.id === id);
		const width = widths.get(id);
		if (spec && width !== undefined && spare > 0) {
			const extra = Math.min(spare, spec.width - width);
			widths.set(id, width + extra);
			spare -= extra;
		}
	}

	return active.map((spec) => ({
		id: spec.id,
		title: spec.title,
		width: widths.get(spec.id) ?? spec.minWidth,
		align: spec.align,
	}));
}

/** us-east-1 -> use1 (kept here too: the table's callers import it from here). */
export {shortRegion} from '../../core/format.js';

export const toneColors: Record<StateTone, string> = {
	active: 'cyan',
	success: 'green',
	failure: 'red',
	muted: 'gray',
};

/** The AMI shown in the row: the newest one registered from this bundle in its own region. */
export function rowImage(row: DashboardRow): HistoryImage | undefined {
	const images = row.history?.images.filter((image) => image.kind === 'registered' && image.region === row.region);
	return images?.at(-1);
}

/** The AMI a row shows, with the code of its region when that is not the row's and the count of its other AMIs. */
type ImageCell = {imageId: string; region: string | undefined; more: number};

/**
 * The AMIs of a row in one cell: its own region's AMI, else the newest one migrated or copied to another region (with
 * that region's code), then "+N" for its other AMIs (older ones here, those elsewhere), so a migrated bundle does not
 * look like one never registered.
 * A narrow cell cuts the id in the middle, never the region code or the count (without room for both, the code goes).
 */
export function rowImageText(row: DashboardRow, width = Number.POSITIVE_INFINITY): string {
	const shown = row.work ? workImageCell(row) : bundleImageCell(row);
	if (!shown) {
		return '';
	}

	const count = shown.more > 0 ? ` +${shown.more}` : '';
	const where = shown.region === undefined ? '' : ` ${shortRegion(shown.region)}`;
	// Fewer than 6 cells leave nothing of the id to recognise: then the count keeps its place and the code goes
	const suffix = width - where.length - count.length >= 6 || count === '' ? `${where}${count}` : count;
	return `${truncateMiddle(shown.imageId, Math.max(width - suffix.length, 0))}${suffix}`;
}

function bundleImageCell(row: DashboardRow): ImageCell | undefined {
	const images = row.history?.images ?? [];
	const own = rowImage(row);
	const elsewhere = images.filter((image) => image.region !== row.region);
	const shown = own ?? elsewhere.at(-1);
	if (!shown) {
		return undefined;
	}

	// Every other AMI of the bundle, here or elsewhere: the detail pane lists them all
	const more = images.filter((image) => image !== shown).length;
	return {imageId: shown.imageId, region: shown === own ? undefined : shown.region, more};
}

/** A restore row's AMI is its own; a store row's AMIs are the ones restored from its object (newest, then "+N"). */
function workImageCell(row: DashboardRow): ImageCell | undefined {
	if (row.kind === 'restore') {
		return {imageId: row.bundleId, region: undefined, more: 0};
	}

	const restores = row.work?.chain?.restores ?? [];
	const shown = restores.at(-1);
	if (!shown) {
		return undefined;
	}

	return {
		imageId: shown.imageId,
		region: shown.region === row.region ? undefined : shown.region,
		more: restores.length - 1,
	};
}

/** 'unknown' until the estimator has enough samples, then the time left ('~' when overdue). */
export function etaText(row: DashboardRow, now: number): string {
	if (row.eta === undefined) {
		return '—';
	}

	const estimate = estimateEta(row.eta, now);
	if (estimate.kind === 'unknown') {
		return 'unknown';
	}

	return `${estimate.overdue ? '~' : ''}${formatDuration(estimate.remainingMs)}`;
}

/**
 * The state cell of an image -> S3 row: the chain's phase ('image 40%', 'store 12%'), else the state label. The
 * detail pane's title says the same (never "Storing in S3" for a chain still making its AMI).
 */
export function workStateCell(item: WorkItem): string {
	if (!isActiveWork(item.state)) {
		return item.state === 'complete' ? 'Complete' : item.state === 'failed' ? 'Failed' : 'Unknown';
	}

	return item.phaseLabel === 'Storing in S3' ? 'Storing' : item.phaseLabel;
}

/** The state of a row in words with its percent ('Bundling' + ' 40%', 'image 40%' + ''): the pane and describe. */
export function rowStateWords(row: DashboardRow): {state: string; percent: string} {
	const state = row.cancelRequested
		? 'Cancel requested'
		: row.work
			? workStateCell(row.work.item)
			: taskStateLabel(row);
	// A chain's phase label carries its own percent ('image 40%')
	const percent = row.progress === undefined || state.endsWith('%') ? '' : ` ${row.progress}%`;
	return {state, percent};
}

function cell(row: DashboardRow, column: Column, now: number, amiColumn: boolean): string {
	switch (column.id) {
		case 'region': {
			return column.width >= row.region.length ? row.region : shortRegion(row.region);
		}

		case 'kind': {
			return workKindLabel(row.kind ?? 'bundle');
		}

		case 'bundle': {
			return truncateMiddle(row.bundleId, column.width);
		}

		case 'instance': {
			return row.instanceName ?? row.instanceId;
		}

		case 'location': {
			return `${row.bucket}/${row.prefix}`;
		}

		case 'state': {
			if (row.work) {
				return workStateCell(row.work.item);
			}

			const label = row.cancelRequested ? 'Cancelling' : taskStateShortLabel(row);
			return row.fromHistory ? `${label}*` : label;
		}

		case 'progress': {
			const image = amiColumn ? '' : rowImageText(row, column.width);
			if (row.state === 'complete' && image) {
				return image;
			}

			const barWidth = column.width - 5;
			return `${progressBarText(row.progress, barWidth)} ${percentText(row.progress)}`;
		}

		case 'elapsed': {
			return elapsedText(row, now);
		}

		case 'eta': {
			if (row.eta === undefined) {
				return '—';
			}

			return etaText(row, now);
		}

		case 'updated': {
			return formatAgo(row.updateTime, now);
		}

		case 'ami': {
			return rowImageText(row);
		}
	}
}

function shortTitle(title: string): string {
	return title === 'UPDATED' ? 'UPD' : title;
}

/** Rows of the table out of view (the dashboard windows around the selection). */
export type HiddenRows = {above: number; below: number};

/** The heading's cursor slot says there is more: ↑ above, ↓ below, ↕ both (as a pager's scroll mark). */
function scrollMark(hidden: HiddenRows | undefined): string {
	const above = (hidden?.above ?? 0) > 0;
	const below = (hidden?.below ?? 0) > 0;
	return above && below ? '↕ ' : above ? '↑ ' : below ? '↓ ' : ' '.repeat(cursorWidth);
}

export function TaskTableHeader({columns, hidden}: {columns: Column[]; hidden?: HiddenRows | undefined}) {
	const text = columns
		.map((column) =>
			fitColumn(
				column.title.length > column.width ? shortTitle(column.title) : column.title,
				column.width,
				column.align,
			),
		)
		.join(' ');
	return (
		<Text bold wrap="truncate-end">
			{scrollMark(hidden)}
			{text}
		</Text>
	);
}

type RowProps = {row: DashboardRow; selected: boolean; columns: Column[]; now: number};

export const TaskTableRow = memo(function TaskTableRow({row, selected, columns, now}: RowProps) {
	const tone = taskStateTone(row);
	const color = row.fromHistory ? 'gray' : toneColors[tone];
	const amiColumn = columns.some((column) => column.id === 'ami');
	const parts = columns.map((column) => ({
		column,
		text: fitColumn(safeText(cell(row, column, now, amiColumn), {maxLength: column.width}), column.width, column.align),
	}));
	return (
		<Text wrap="truncate-end" inverse={selected}>
			{selected ? '› ' : '  '}
			{parts.map(({column, text}, index) => (
				<Text key={column.id} color={column.id === 'state' || column.id === 'progress' ? color : undefined}>
					{index > 0 ? ' ' : ''}
					{text}
				</Text>
			))}
		</Text>
	);
});

export type TaskTableProps = {
	rows: readonly DashboardRow[];
	selectedKey: string | undefined;
	columns: Column[];
	now: number;
	hidden?: HiddenRows | undefined;
};

export function TaskTable({rows, selectedKey, columns, now, hidden}: TaskTableProps) {
	return (
		<Box flexDirection="column">
			<TaskTableHeader columns={columns} hidden={hidden} />
			{rows.map((row) => (
				<TaskTableRow key={row.key} row={row} selected={row.key === selectedKey} columns={columns} now={now} />
			))}
		</Box>
	);
}
