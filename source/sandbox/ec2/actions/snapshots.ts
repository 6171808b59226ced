/** DescribeSnapshots (SnapshotId.N, OwnerId.N, filters, MaxResults / NextToken) and DeleteSnapshot. */
import {rm} from 'node:fs/promises';
import {SandboxError} from '../../contracts.js';
import type {ActionHandler} from '../action-context.js';
import {snapshotFile} from '../ebs-jobs.js';
import {checkSnapshotId} from '../ids.js';
import {applyFilters, checkDryRun, checkMaxResults, filters, integer, list, pageOf, required} from '../params.js';
import {tagField, tagSetXml} from '../tag-params.js';
import type {SnapshotRecord} from '../world.js';
import {ec2Time, el, itemSet} from '../xml.js';

function notFound(ids: string[]): SandboxError {
	return new SandboxError(
		'InvalidSnapshot.NotFound',
		ids.length === 1 ? `The snapshot '${ids[0]}' does not exist.` : `The snapshots '${ids.join(', ')}' do not exist.`,
	);
}

function snapshotField(name: string): ((snapshot: SnapshotRecord) => string[]) | undefined {
	const tagReader = tagField<SnapshotRecord>(name, (snapshot) => snapshot.tags);
	if (tagReader) {
		return tagReader;
	}

	const readers: Record<string, (snapshot: SnapshotRecord) => string[]> = {
		'snapshot-id': (snapshot) => [snapshot.snapshotId],
		status: (snapshot) => [snapshot.state],
		'owner-id': (snapshot) => [snapshot.accountId],
		description: (snapshot) => (snapshot.description === undefined ? [] : [snapshot.description]),
		'volume-id': (snapshot) => [snapshot.volumeId],
		'volume-size': (snapshot) => [String(snapshot.volumeSizeGiB)],
		progress: (snapshot) => [`${snapshot.progress}%`],
		'start-time': (snapshot) => [ec2Time(snapshot.startTime)],
		encrypted: () => ['false'],
	};
	return Object.hasOwn(readers, name) ? readers[name] : undefined;
}

function snapshotXml(snapshot: SnapshotRecord): string {
	return (
		el('snapshotId', snapshot.snapshotId) +
		el('volumeId', snapshot.volumeId) +
		el('status', snapshot.state) +
		el('statusMessage', snapshot.stateMessage) +
		el('startTime', ec2Time(snapshot.startTime)) +
		el('progress', `${snapshot.progress}%`) +
		el('ownerId', snapshot.accountId) +
		el('volumeSize', snapshot.volumeSizeGiB) +
		el('description', snapshot.description) +
		el('encrypted', false) +
		el('storageTier', 'standard') +
		tagSetXml(snapshot.tags)
	);
}

export const describeSnapshots: ActionHandler = ({account, region, params}, {world}) => {
	const ids = list(params, 'SnapshotId');
	const owners = list(params, 'Owner');
	const filterList = filters(params);
	const maxResults = integer(params, 'MaxResults');
	for (const id of ids) {
		checkSnapshotId(id);
	}

	checkMaxResults(maxResults, ids, {idsName: 'SnapshotIds', min: 5, max: 1000});
	const mine = world.snapshots(account.id, region);
	const missing = ids.filter((id) => !mine.some((snapshot) => snapshot.snapshotId === id));
	if (missing.length > 0) {
		throw notFound(missing);
	}

	const ownedVisible = owners.length === 0 || owners.some((owner) => owner === 'self' || owner === account.id);
	const candidates = ownedVisible
		? ids.length > 0
			? mine.filter((snapshot) => ids.includes(snapshot.snapshotId))
			: mine
		: [];
	const selected = applyFilters(candidates, filterList, snapshotField, 'InvalidParameterValue');
	const page = pageOf(selected, params, maxResults, JSON.stringify(['snapshots', owners, filterList]));
	checkDryRun(params);
	return (
		itemSet(
			'snapshotSet',
			page.items.map((snapshot) => snapshotXml(snapshot)),
		) + el('nextToken', page.nextToken)
	);
};

export const deleteSnapshot: ActionHandler = async ({account, region, params}, context) => {
	const snapshotId = required(params, 'SnapshotId');
	checkSnapshotId(snapshotId);
	const {world} = context;
	const snapshot = world.snapshot(account.id, region, snapshotId);
	if (!snapshot) {
		throw notFound([snapshotId]);
	}

	const user = world
		.images(account.id, region)
		.find((image) => image.ebs?.blockDevices.some((device) => device.snapshotId === snapshotId));
	if (user) {
		throw new SandboxError(
			'InvalidSnapshot.InUse',
			`The snapshot ${snapshotId} is currently in use by ${user.imageId}`,
		);
	}

	// A CopyImage in progress still reads it (the source AMI may already be deregistered)
	const reader = world.state.snapshots.find(
		(candidate) =>
			candidate.state === 'pending' &&
			candidate.accountId === account.id &&
			candidate.source.kind === 'copy' &&
			candidate.source.region === region &&
			candidate.source.snapshotId === snapshotId,
	);
	if (reader) {
		throw new SandboxError(
			'InvalidSnapshot.InUse',
			`The snapshot ${snapshotId} is being copied into ${reader.snapshotId} (${reader.region}); delete it once that copy completes.`,
		);
	}

	checkDryRun(params);
	world.state.snapshots = world.state.snapshots.filter((candidate) => candidate !== snapshot);
	await world.flush();
	await rm(snapshotFile(context.dir, snapshotId), {force: true});
	return el('return', true);
};
