/**
 * The dashboard rows of the image -> S3 path: each saved image -> store chain as one row moving through its
 * phases, every other store task AWS lists, and the AMIs restored from stored objects. They are built from what
 * the poll saw (store tasks, AMIs, snapshots) and shaped as DashboardRows, with `kind` and `work` set, so the one
 * table, sort, filter and selection serve every kind.
 */
import {type EtaBook, initialEtaState, updateEtaBook} from '../../core/eta.js';
import type {TaskState} from '../../core/task-model.js';
import type {Image, Snapshot, StoreTask} from '../../core/types.js';
import {
	type ChainStatus,
	chainStatus,
	chainWork,
	etaSampleOfWork,
	imageWork,
	isActiveWork,
	type RestoredImage,
	type StoreChain,
	storeWork,
	type WorkItem,
	type WorkState,
} from '../../core/work-model.js';
import type {DashboardRow} from './dashboard-rows.js';

/** What the poll saw of the image -> S3 path (kept in the dashboard state). */
export type WorkSources = {
	/** DescribeStoreImageTasks per region (newest first, as AWS lists them) */
	stores: Readonly<Record<string, readonly StoreTask[]>>;
	/** AMIs by imageKey (region/ami-id) */
	imageData: Readonly<Record<string, Image>>;
	/** AMIs asked for and not returned, by imageKey */
	missing: Readonly<Record<string, true>>;
	snapshots: readonly Snapshot[];
	chains: readonly StoreChain[];
	/** epoch ms of each region's last successful store poll (the rows' update age) */
	storeAt: Readonly<Record<string, number>>;
	/**
	 * epoch ms a row was first seen ended after a poll saw it running, by row key: its elapsed time stops there (AWS
	 * gives no end time). A row already ended when first seen has none: its end is not known.
	 */
	doneAt?: Readonly<Record<string, number>> | undefined;
};

export const emptyWorkSources: WorkSources = {
	stores: {},
	imageData: {},
	missing: {},
	snapshots: [],
	chains: [],
	storeAt: {},
};

/** What a row of the image -> S3 path carries for the detail pane and the keys. */
export type WorkRowInfo = {
	item: WorkItem;
	chain: StoreChain | undefined;
	/** The store task (store rows, once AWS lists it) */
	task: StoreTask | undefined;
	/** The AMI of the row: the source AMI (store rows), the restored AMI (restore rows) */
	image: Image | undefined;
	status: ChainStatus | undefined;
	/** restore rows: how it was recorded */
	restore: RestoredImage | undefined;
	/** epoch ms the poll first saw it ended (see WorkSources.doneAt); undefined while running or when not known */
	endedAt?: number | undefined;
};

function key(region: string, imageId: string): string {
	return `${region}/${imageId}`;
}

const taskStates: Record<WorkState, TaskState> = {
	pending: 'pending',
	active: 'storing',
	complete: 'complete',
	failed: 'failed',
	unknown: 'unknown',
};

/**
 * The columns a row's ends go under: INSTANCE (or the source AMI) and BUCKET/PREFIX. A restore reads an object
 * and writes an AMI, so its object goes under BUCKET/PREFIX, the chain's instance under INSTANCE ('—' when it
 * started from an AMI) and its AMI where AMIs go (the AMI column, the progress cell once complete).
 */
function rowEnds(info: WorkRowInfo): {instance: string; instanceName: string | undefined; location: string} {
	const {item, chain} = info;
	// The chain's instance by its Name tag when bundledeck knew it, as bundle rows show theirs
	const instanceName = chain?.instanceId === undefined ? undefined : chain.instanceName;
	return item.kind === 'restore'
		? {instance: chain?.instanceId ?? '—', instanceName, location: item.source}
		: {
				instance: item.source,
				instanceName: item.source === chain?.instanceId ? instanceName : undefined,
				location: item.target,
			};
}

function toRow(info: WorkRowInfo, updatedAt: number | undefined, eta: EtaBook): DashboardRow {
	const {item} = info;
	const ends = rowEnds(info);
	const slash = ends.location.indexOf('/');
	const active = isActiveWork(item.state);
	return {
		key: item.key,
		bundleId: item.id,
		region: item.region,
		instanceId: ends.instance,
		instanceName: ends.instanceName,
		state: taskStates[item.state],
		progress: item.progress,
		startTime: item.startTime ?? new Date(updatedAt ?? 0),
		updateTime: updatedAt === undefined ? undefined : new Date(updatedAt),
		bucket: slash < 0 ? ends.location : ends.location.slice(0, slash),
		prefix: slash < 0 ? '' : ends.location.slice(slash + 1),
		error: item.error ? {code: item.kind, message: item.error} : undefined,
		fromHistory: false,
		cancelRequested: false,
		timeline: [],
		eta: active ? (eta[item.key] ?? initialEtaState) : undefined,
		history: undefined,
		kind: item.kind,
		work: info,
	};
}

/** The newest store task of each AMI in a region (AWS lists newest first). */
function newestTasks(tasks: readonly StoreTask[]): Map<string, StoreTask> {
	const byAmi = new Map<string, StoreTask>();
	for (const task of tasks) {
		if (!byAmi.has(task.amiId)) {
			byAmi.set(task.amiId, task);
		}
	}

	return byAmi;
}

const waitingForFirstLook: ChainStatus = {
	phase: 'image',
	failedIn: undefined,
	progress: undefined,
	label: 'image',
	next: 'wait-image',
	error: undefined,
};

/** Where a chain is; 'image' (no progress yet) until the poll has looked at its AMI once. */
export function chainStatusOf(chain: StoreChain, sources: WorkSources): ChainStatus {
	const task = newestTasks(sources.stores[chain.region] ?? []).get(chain.imageId);
	const image = sources.imageData[key(chain.region, chain.imageId)];
	if (!task && !image && !sources.missing[key(chain.region, chain.imageId)]) {
		return waitingForFirstLook;
	}

	return chainStatus(chain, image, sources.snapshots, task);
}

/** Every row of the image -> S3 path in the watched regions, as the table's rows. */
export function buildWorkRows(sources: WorkSources, watched: readonly string[], eta: EtaBook): DashboardRow[] {
	const infos: WorkRowInfo[] = [];
	for (const region of watched) {
		const tasks = newestTasks(sources.stores[region] ?? []);
		const chains = sources.chains.filter((chain) => chain.region === region);
		for (const chain of chains) {
			const status = chainStatusOf(chain, sources);
			infos.push({
				item: chainWork(chain, status),
				chain,
				task: tasks.get(chain.imageId),
				image: sources.imageData[key(region, chain.imageId)],
				status,
				restore: undefined,
			});
		}

		for (const task of tasks.values()) {
			if (!chains.some((chain) => chain.imageId === task.amiId)) {
				infos.push({
					item: storeWork(task),
					chain: undefined,
					task,
					image: sources.imageData[key(region, task.amiId)],
					status: undefined,
					restore: undefined,
				});
			}
		}
	}

	for (const chain of sources.chains) {
		for (const restore of chain.restores ?? []) {
			if (!watched.includes(restore.region)) {
				continue;
			}

			infos.push(restoreInfo(chain, restore, sources));
		}
	}

	return infos.map((info) => {
		// A chain that ended in an earlier run keeps the end its history saw
		const endedAt = sources.doneAt?.[info.item.key] ?? historyEnd(info);
		return toRow({...info, endedAt}, endedAt ?? sources.storeAt[info.item.region], eta);
	});
}

function historyEnd(info: WorkRowInfo): number | undefined {
	const end = isActiveWork(info.item.state) ? undefined : (info.restore ?? info.chain)?.endedAt;
	return end === undefined ? undefined : Date.parse(end);
}

function restoreInfo(chain: StoreChain, restore: RestoredImage, sources: WorkSources): WorkRowInfo {
	const image = sources.imageData[key(restore.region, restore.imageId)];
	const origin = {source: `${restore.bucket}/${chain.imageId}.bin`, target: restore.imageId};
	const gone = sources.missing[key(restore.region, restore.imageId)];
	const item: WorkItem = image
		? imageWork('restore', image, sources.snapshots, origin)
		: {
				key: `restore:${restore.region}/${restore.imageId}`,
				kind: 'restore',
				id: restore.imageId,
				region: restore.region,
				state: gone ? 'failed' : 'pending',
				phaseLabel: gone ? 'Failed' : 'Restoring',
				progress: undefined,
				startTime: new Date(restore.at),
				...origin,
				error: gone ? `AMI ${restore.imageId} is not found` : undefined,
			};
	return {item, chain, task: undefined, image, status: undefined, restore};
}

/** The AMIs the next poll should describe: chains not yet stored, restores not yet settled. */
export function followedWorkImages(
	sources: WorkSources,
	watched: readonly string[],
): Array<{region: string; imageId: string}> {
	const follow: Array<{region: string; imageId: string}> = [];
	const settled = (region: string, imageId: string) => {
		const image = sources.imageData[key(region, imageId)];
		return sources.missing[key(region, imageId)] === true || (image !== undefined && image.state !== 'pending');
	};

	for (const chain of sources.chains) {
		if (watched.includes(chain.region)) {
			const status = chainStatusOf(chain, sources);
			if (status.next === 'wait-image' || status.next === 'start-store') {
				follow.push({region: chain.region, imageId: chain.imageId});
			}
		}

		for (const restore of chain.restores ?? []) {
			// Followed in any region until settled (the detail pane shows its state), not only in the watched ones
			if (!settled(restore.region, restore.imageId)) {
				follow.push({region: restore.region, imageId: restore.imageId});
			}
		}
	}

	return follow;
}

/** The ETA book fed with this cycle's progress of every running row of the image -> S3 path. */
export function updateWorkEta(eta: EtaBook, rows: readonly DashboardRow[], at: number): EtaBook {
	let next = eta;
	for (const row of rows) {
		if (row.work && isActiveWork(row.work.item.state)) {
			next = updateEtaBook(next, row.key, etaSampleOfWork(row.work.item, at));
		}
	}

	return next;
}

/**
 * Running as a poll saw it: not a chain or restore the poll has not looked at yet (those read as running until
 * then), in a region whose store tasks were listed.
 */
function seenRunning(info: WorkRowInfo, sources: WorkSources): boolean {
	const looked = info.item.kind === 'restore' ? info.image !== undefined : info.status !== waitingForFirstLook;
	return isActiveWork(info.item.state) && looked && sources.storeAt[info.item.region] !== undefined;
}

/**
 * When each row ended, kept from earlier cycles, so its elapsed time no longer grows: this poll's time for a row
 * the poll before saw running; none for a row already ended when first seen (it ended at a time nobody knows).
 */
export function updateDoneAt(
	before: WorkSources,
	sources: WorkSources,
	watched: readonly string[],
	at: number,
): WorkSources {
	const running = new Set(
		buildWorkRows(before, watched, {})
			.filter((row) => row.work && seenRunning(row.work, before))
			.map((row) => row.key),
	);
	const doneAt = {...sources.doneAt};
	let changed = false;
	for (const row of buildWorkRows(sources, watched, {})) {
		if (row.work && !isActiveWork(row.work.item.state) && doneAt[row.key] === undefined && running.has(row.key)) {
			doneAt[row.key] = at;
			changed = true;
		}
	}

	return changed ? {...sources, doneAt} : sources;
}
