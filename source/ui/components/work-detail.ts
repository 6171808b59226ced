/**
 * The detail pane's facts for a row of the image -> S3 path: source AMI and instance, bucket/key, the stored
 * object's size once complete, the failure reason, and the AMIs restored from the object in each region.
 */
import {formatBytes, formatClock, namedInstance} from '../../core/format.js';
import type {StoredObject} from '../../core/types.js';
import {elapsedMs, elapsedText} from '../state/dashboard-format.js';
import type {DashboardRow} from '../state/dashboard-rows.js';
import {type ImageStatus, imageKey} from '../state/dashboard-state.js';
import type {WorkRowInfo} from '../state/dashboard-work-rows.js';
import {etaText} from './task-table.js';

export type WorkDetailItem = {id: string; label: string; text: string; color?: string | undefined};

const labelWidth = 9;

function label(name: string): string {
	return name.padEnd(labelWidth);
}

function imageState(status: ImageStatus | undefined): string {
	if (!status || status.state === 'unknown') {
		return 'checking…';
	}

	return status.state === 'not-found' ? 'not found' : status.state;
}

/**
 * "12.0 MiB", "checking…" or why it could not be read once complete; while running, when it comes; once failed,
 * that none came (a failed task writes no object: no promise of one).
 */
function sizeText(work: WorkRowInfo, stored: StoredObject | string | undefined): string {
	if (work.item.state === 'failed') {
		const failedIn = work.status?.failedIn === 'image' ? 'the AMI was not created' : 'the store task failed';
		return `no object was written: ${failedIn}`;
	}

	if (work.item.state !== 'complete') {
		return 'written when the task completes';
	}

	if (stored === undefined) {
		return 'checking…';
	}

	return typeof stored === 'string' ? stored : formatBytes(stored.size);
}

/** An ended row the dashboard never saw running: AWS gives store tasks and AMIs no end time to count to. */
const unknownEnd = 'not known: it had ended when this dashboard first saw it (AWS gives no end time)';

export function workDetailItems(
	row: DashboardRow,
	work: WorkRowInfo,
	images: Readonly<Record<string, ImageStatus>>,
	stored: StoredObject | string | undefined,
	now: number,
): WorkDetailItem[] {
	const {item, chain} = work;
	const items: WorkDetailItem[] = [];
	if (item.kind === 'restore') {
		items.push(
			{id: 'from', label: label('from'), text: `s3://${item.source}`},
			{id: 'source', label: label('source'), text: `AMI ${chain?.imageId ?? '?'} (${chain?.region ?? '?'})`},
		);
	} else {
		const instance = chain?.instanceId
			? `instance ${namedInstance(chain.instanceName, chain.instanceId)} (${chain.region})`
			: 'an existing AMI';
		items.push(
			{id: 'source', label: label('source'), text: `AMI ${item.id}${chain ? ` "${chain.name}"` : ''} from ${instance}`},
			{id: 'object', label: label('object'), text: `s3://${item.target}`},
			{id: 'size', label: label('size'), text: sizeText(work, stored)},
		);
		if (work.status) {
			items.push({id: 'phase', label: label('phase'), text: work.status.label});
		}
	}

	if (item.error) {
		items.push({id: 'error', label: label('failed'), text: item.error, color: 'red'});
	} else {
		const eta = row.eta === undefined ? '' : ` · ETA ${etaText(row, now)}`;
		const updated = row.updateTime ? ` · updated ${formatClock(row.updateTime)}` : '';
		items.push({
			id: 'timing',
			label: label('elapsed'),
			text: `${elapsedMs(row, now) === undefined ? unknownEnd : elapsedText(row, now)}${eta}${updated}`,
		});
	}

	if (item.kind !== 'restore') {
		const restores = chain?.restores ?? [];
		if (restores.length === 0) {
			items.push({
				id: 'restored',
				label: label('restored'),
				text: item.state === 'complete' ? 'none yet — r restores here, m migrates to another region' : 'none',
			});
		}

		for (const restore of restores) {
			items.push({
				id: `restored-${restore.region}-${restore.imageId}`,
				label: label('restored'),
				text: `${restore.imageId} ${restore.region} "${restore.name}"${restore.via === 'migrate' ? ` (copied to ${restore.bucket})` : ''}: ${imageState(images[imageKey(restore.region, restore.imageId)])}`,
			});
		}
	}

	return items;
}
