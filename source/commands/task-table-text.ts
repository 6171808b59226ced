/**
 * `tasks` on a terminal: an aligned table that fits the terminal's width, like `kubectl get`. Rows are generic (a
 * kind column: BUNDLE, and any other task kind) so every task type draws the same way. When the width is short,
 * the location shrinks and then whole columns go, least useful first; state and progress are never cut. Pipes keep
 * the tab-separated lines (output.ts).
 */
import {displayWidth, fitColumn, formatDateTime, truncate, truncateMiddle} from '../core/format.js';
import {isCancelledTask} from '../core/task-model.js';
import {safeText} from '../core/terminal-text.js';
import type {BundleTask, StoreTask} from '../core/types.js';

export type TaskTableRow = {
	/** BUNDLE, STORE, … (the first word of the tab-separated line) */
	kind: string;
	id: string;
	instanceId: string | undefined;
	region: string;
	/** Where it goes in S3: bucket/prefix (bundle), bucket/key (store) */
	location: string;
	started: Date | undefined;
	state: string;
	/** 0-100, undefined when unknown */
	progress: number | undefined;
};

export function bundleTableRow(task: BundleTask): TaskTableRow {
	return {
		kind: 'BUNDLE',
		id: task.bundleId,
		instanceId: task.instanceId,
		region: task.region,
		location: `${task.bucket}/${task.prefix}`,
		started: task.startTime,
		// AWS lists a cancelled task as failed; the error code tells them apart (the piped lines keep AWS's word)
		state: isCancelledTask(task) ? 'cancelled' : task.state,
		progress: task.progress,
	};
}

export function storeTableRow(task: StoreTask, instanceId?: string | undefined): TaskTableRow {
	return {
		kind: 'STORE',
		id: task.amiId,
		instanceId,
		region: task.region,
		location: `${task.bucket}/${task.objectKey}`,
		started: task.startTime,
		state: task.state,
		progress: task.progress,
	};
}

type ColumnName = 'kind' | 'id' | 'instance' | 'region' | 'state' | 'progress' | 'started' | 'location';

type Column = {name: ColumnName; header: string; cells: string[]; width: number; align: 'left' | 'right'};

const gap = '  ';
/** A location cut shorter than this says too little: the column goes instead. */
const minLocationWidth = 20;
/** The id is cut only when nothing else is left to give; never below this. */
const minIdWidth = 8;
/** Which column goes first when the table is too wide (state and progress never go). */
const dropOrder: readonly ColumnName[] = ['started', 'kind', 'instance', 'location', 'region'];

function column(name: ColumnName, header: string, cells: string[], align: 'left' | 'right' = 'left'): Column {
	// Measured after sanitising: the code points shown for control characters take room too.
	const safe = cells.map((text) => safeText(text));
	return {
		name,
		header,
		cells: safe,
		width: Math.max(displayWidth(header), ...safe.map((text) => displayWidth(text))),
		align,
	};
}

/** Name, header, cell text, alignment: the columns in the order they are drawn. */
const definitions: ReadonlyArray<[ColumnName, string, (row: TaskTableRow) => string, ('left' | 'right')?]> = [
	['kind', 'KIND', (row) => row.kind],
	['id', 'ID', (row) => row.id],
	['instance', 'INSTANCE', (row) => row.instanceId ?? '-'],
	['region', 'REGION', (row) => row.region],
	['state', 'STATE', (row) => row.state],
	['progress', 'PROGRESS', (row) => (row.progress === undefined ? '-' : `${row.progress}%`), 'right'],
	['started', 'STARTED', (row) => (row.started ? formatDateTime(row.started) : '-')],
	['location', 'LOCATION', (row) => row.location],
];

function totalWidth(columns: readonly Column[]): number {
	return columns.reduce((sum, each) => sum + each.width, 0) + gap.length * Math.max(0, columns.length - 1);
}

/**
 * The table's lines (a header, then one line per row) no wider than `width` cells. `withRegion` adds the region
 * column (several regions are listed).
 */
export function taskTable(rows: readonly TaskTableRow[], options: {width: number; withRegion: boolean}): string[] {
	let columns = definitions
		.filter(([name]) => name !== 'region' || options.withRegion)
		.map(([name, header, value, align]) => column(name, header, rows.map(value), align));

	const location = columns.find((each) => each.name === 'location');
	for (const name of ['', ...dropOrder]) {
		columns = columns.filter((each) => each.name !== name);
		const excess = totalWidth(columns) - options.width;
		if (excess <= 0) {
			break;
		}

		// Before anything else goes, the location gives what it can (it is last, and cut in the middle).
		if (location && columns.includes(location) && location.width - excess >= minLocationWidth) {
			location.width -= excess;
			break;
		}
	}

	const id = columns.find((each) => each.name === 'id');
	const excess = totalWidth(columns) - options.width;
	if (id && excess > 0) {
		id.width = Math.max(minIdWidth, id.width - excess);
	}

	const line = (texts: string[]) =>
		texts
			.map((text, index) => {
				const each = columns[index]!;
				const fitted = each.name === 'location' ? truncateMiddle(text, each.width) : truncate(text, each.width);
				// A last left-aligned column is not padded: no trailing spaces.
				return index === columns.length - 1 && each.align === 'left'
					? fitted
					: fitColumn(fitted, each.width, each.align);
			})
			.join(gap);

	return [
		line(columns.map((each) => each.header)),
		...rows.map((_, index) => line(columns.map((each) => each.cells[index] ?? ''))),
	];
}
