/**
 * The full description of a table row (`d` or Enter on the dashboard): every fact the row and the detail pane cut or
 * leave out, one labelled entry each — task id, kind, region, state, instance id and name, bucket and prefix (or
 * object key), every AMI with its region (registered, migrated, copied, restored), copies, times, the whole error.
 * Entries are KeyHints so the help overlay draws them (wrapped under their label, scrolling, never cut). Pure.
 */
import {formatDateTime, manifestLocation, namedInstance} from '../../core/format.js';
import {safeLine} from '../../core/terminal-text.js';
import type {StoredObject} from '../../core/types.js';
import {workKindLabel} from '../../core/work-model.js';
import type {DashboardRow} from '../state/dashboard-rows.js';
import {type ImageStatus, imageKey} from '../state/dashboard-state.js';
import type {KeyHint} from './key-footer.js';
import {timelineText} from './task-detail.js';
import {rowStateWords} from './task-table.js';
import {workDetailItems} from './work-detail.js';

function imageState(status: ImageStatus | undefined): string {
	if (!status || status.state === 'unknown') {
		return 'not checked yet';
	}

	return status.state === 'not-found' ? 'not found' : status.state;
}

function stateText(row: DashboardRow): string {
	const {state, percent} = rowStateWords(row);
	return `${state}${percent}${row.fromHistory ? ' (from local history: AWS no longer lists it)' : ''}`;
}

function bundleEntries(row: DashboardRow, images: Readonly<Record<string, ImageStatus>>): KeyHint[] {
	const entries: KeyHint[] = [
		{key: 'instance', label: namedInstance(row.instanceName, row.instanceId)},
		{key: 'bucket', label: row.bucket},
		{key: 'prefix', label: row.prefix},
		{key: 'manifest', label: manifestLocation(row.bucket, row.prefix)},
	];
	const amis = row.history?.images ?? [];
	for (const image of amis) {
		const from = image.sourceImageId ? ` from ${image.sourceImageId}` : '';
		entries.push({
			key: `AMI ${image.kind}`,
			label: `${image.imageId} in ${image.region} "${image.name}"${from}: ${imageState(images[imageKey(image.region, image.imageId)])}`,
		});
	}

	if (amis.length === 0) {
		entries.push({key: 'AMIs', label: 'none'});
	}

	for (const migration of row.history?.migrations ?? []) {
		entries.push({
			key: 'copy',
			label: `${migration.destinationManifestLocation} in ${migration.destinationRegion}: ${migration.complete ? 'complete' : 'incomplete (m resumes)'}`,
		});
	}

	if (row.error) {
		entries.push({key: 'error', label: `${row.error.code}: ${row.error.message}`});
	}

	return entries;
}

function workEntries(
	row: DashboardRow,
	images: Readonly<Record<string, ImageStatus>>,
	stored: StoredObject | string | undefined,
	now: number,
): KeyHint[] {
	const work = row.work;
	if (!work) {
		return [];
	}

	const {chain, item} = work;
	const entries: KeyHint[] = [
		{
			key: 'instance',
			label: chain?.instanceId
				? namedInstance(chain.instanceName, chain.instanceId)
				: `none (${item.kind === 'restore' ? 'from a stored object' : 'an existing AMI'})`,
		},
		{key: 'bucket', label: row.bucket},
		{key: 'object key', label: row.prefix},
	];
	if (item.kind === 'restore') {
		entries.push({
			key: 'AMI restored',
			label: `${item.id} in ${item.region}: ${imageState(images[imageKey(item.region, item.id)])}`,
		});
		if (chain) {
			entries.push({key: 'source AMI', label: `${chain.imageId} in ${chain.region} "${chain.name}"`});
		}
	}

	// The pane's own facts (source AMI, size, phase, restored AMIs in each region, the failure reason), unabridged
	const skip = new Set(['from', 'object', 'timing']);
	for (const fact of workDetailItems(row, work, images, stored, now)) {
		if (!skip.has(fact.id) && !(item.kind === 'restore' && fact.id === 'source')) {
			entries.push({key: fact.label.trim() === 'failed' ? 'error' : fact.label.trim(), label: fact.text});
		}
	}

	return entries;
}

export function describeRow(
	row: DashboardRow,
	images: Readonly<Record<string, ImageStatus>>,
	stored: StoredObject | string | undefined,
	now: number,
): KeyHint[] {
	const entries: KeyHint[] = [
		{key: 'task', label: `${row.bundleId} (${workKindLabel(row.kind ?? 'bundle')})`},
		{key: 'region', label: row.region},
		{key: 'state', label: stateText(row)},
		...(row.work ? workEntries(row, images, stored, now) : bundleEntries(row, images)),
		{key: 'started', label: formatDateTime(row.startTime)},
		{key: 'updated', label: row.updateTime ? formatDateTime(row.updateTime) : '—'},
	];
	if (!row.work) {
		entries.push({key: 'timeline', label: timelineText(row)});
	}

	return entries.map((entry) => ({key: entry.key, label: safeLine(entry.label)}));
}
