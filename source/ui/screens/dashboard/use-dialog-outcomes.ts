/** What the dashboard does with a dialog's outcome: history entries, notices, a poll now. */
import {type Dispatch, useCallback} from 'react';
import {adoptedBundleNote, adoptedImageNote} from '../../../core/lost-answers.js';
import {stateLabel, taskKey} from '../../../core/task-model.js';
import type {BundleTask} from '../../../core/types.js';
import {type RestoredImage, workKey} from '../../../core/work-model.js';
import type {StoreChains} from '../../../store/store-chains.js';
import {saveWatched} from '../../hooks/use-saved-watched.js';
import {useAppContext} from '../../state/app-context.js';
import type {DashboardScreenAction} from '../../state/dashboard-input.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import type {DeregisterTarget} from '../../state/deregister-dialog-state.js';
import type {MigrationOutcome} from './migrate-dialog.js';
import type {RegisteredImage} from './register-dialog.js';
import type {RestoredAmi} from './restore-dialog.js';
import type {RetryStarted} from './retry-dialog.js';

/** A BundleTask rebuilt from a row (to create the history entry of a task bundledeck did not start). */
function rowTask(row: DashboardRow): BundleTask {
	return {
		bundleId: row.bundleId,
		instanceId: row.instanceId,
		region: row.region,
		state: row.state === 'unknown' ? 'complete' : row.state,
		progress: row.progress,
		startTime: row.startTime,
		updateTime: row.updateTime ?? row.startTime,
		bucket: row.bucket,
		prefix: row.prefix,
		error: row.error,
	};
}

/**
 * Records an AMI restored from a store row's object in that row's chain; a store task bundledeck did not start
 * gets a chain record then (so its restores are followed and listed after a restart too).
 */
export function recordRestore(
	chains: StoreChains,
	row: DashboardRow,
	restore: Omit<RestoredImage, 'at'> & {at?: string | undefined},
): void {
	const chain = row.work?.chain ??
		chains.find(row.region, row.bundleId) ?? {
			region: row.region,
			instanceId: undefined,
			imageId: row.bundleId,
			name: row.work?.image?.name ?? row.bundleId,
			bucket: row.bucket,
			noReboot: true,
			startedAt: row.startTime.toISOString(),
			storeStartedAt: row.startTime.toISOString(),
		};
	if (!chains.find(chain.region, chain.imageId)) {
		chains.save(chain);
	}

	chains.addRestore(chain, {
		region: restore.region,
		imageId: restore.imageId,
		name: restore.name,
		via: restore.via,
		bucket: restore.bucket,
		at: restore.at ?? new Date().toISOString(),
	});
}

export function useDialogOutcomes(
	dialogRow: DashboardRow | undefined,
	dispatch: Dispatch<DashboardScreenAction>,
	refresh: () => void,
) {
	const {services, history, chains, settings} = useAppContext();
	const closeDialog = useCallback(() => {
		dispatch({type: 'dialog', dialog: {kind: 'none'}});
	}, [dispatch]);

	const ensureHistory = useCallback(
		(row: DashboardRow) => {
			if (!history.get(row.bundleId)) {
				history.recordBundle(rowTask(row), row.instanceName);
			}
		},
		[history],
	);

	const onRegistered = useCallback(
		({adopted, ...image}: RegisteredImage) => {
			if (dialogRow) {
				ensureHistory(dialogRow);
				history.recordImage(dialogRow.bundleId, {...image, kind: 'registered', at: new Date().toISOString()});
			}

			// As `register` says: the image a lost answer had registered is this one.
			const note = adopted ? adoptedImageNote : undefined;
			dispatch({type: 'image', region: image.region, imageId: image.imageId, status: {state: 'unknown'}});
			dispatch({type: 'history', history: history.bundles()});
			dispatch({type: 'dialog', dialog: {kind: 'none'}});
			dispatch({
				type: 'notice',
				notice: {
					text: note
						? `Registered ${image.imageId} (${image.name}) — ${note}; following its state…`
						: `Registered ${image.imageId} (${image.name}); following its state…`,
					tone: 'success',
					image: {region: image.region, imageId: image.imageId, name: image.name, note},
				},
			});
			refresh();
		},
		[dialogRow, ensureHistory, history, refresh, dispatch],
	);

	const onMigration = useCallback(
		(outcome: MigrationOutcome) => {
			if (!dialogRow) {
				return;
			}

			if (outcome.kind === 'stored') {
				if (outcome.imageId) {
					const {destinationRegion: region, destinationBucket: bucket, imageId, name} = outcome;
					recordRestore(chains, dialogRow, {region, imageId, name, via: 'migrate', bucket});
					dispatch({type: 'chains', chains: chains.list()});
					dispatch({type: 'image', region, imageId, status: {state: 'unknown'}});
					dispatch({type: 'select', key: workKey('restore', region, imageId)});
					refresh();
				}

				return;
			}

			ensureHistory(dialogRow);
			const at = new Date().toISOString();
			const region = outcome.destinationRegion;
			if (outcome.kind === 'bundle') {
				const {destinationBucket, destinationManifestLocation, complete} = outcome;
				history.recordMigration(dialogRow.bundleId, {
					destinationRegion: region,
					destinationBucket,
					destinationManifestLocation,
					at,
					complete,
				});
				if (outcome.imageId) {
					history.recordImage(dialogRow.bundleId, {
						imageId: outcome.imageId,
						region,
						name: outcome.name,
						kind: 'migrated',
						at,
					});
				}
			} else {
				const {imageId, name, sourceImageId} = outcome;
				history.recordImage(dialogRow.bundleId, {imageId, region, name, kind: 'copied', at, sourceImageId});
			}

			dispatch({type: 'history', history: history.bundles()});
			if (outcome.kind === 'image' || outcome.imageId) {
				refresh();
			}
		},
		[dialogRow, ensureHistory, history, chains, refresh, dispatch],
	);

	const onCancelled = useCallback(
		(task: BundleTask) => {
			dispatch({type: 'cancel-requested', task});
			dispatch({type: 'dialog', dialog: {kind: 'none'}});
			dispatch({
				type: 'notice',
				notice: {
					text: `Cancel requested for ${task.bundleId}: ${stateLabel(task.state)}…`,
					tone: 'info',
					task: taskKey(task.region, task.bundleId),
				},
			});
			refresh();
		},
		[refresh, dispatch],
	);

	const onRestored = useCallback(
		(image: RestoredAmi) => {
			if (dialogRow) {
				recordRestore(chains, dialogRow, {...image, via: 'restore', bucket: dialogRow.bucket});
			}

			dispatch({type: 'chains', chains: chains.list()});
			dispatch({type: 'image', region: image.region, imageId: image.imageId, status: {state: 'unknown'}});
			// The new restore row is what the user follows now, as a started bundle is
			dispatch({type: 'select', key: workKey('restore', image.region, image.imageId)});
			dispatch({type: 'dialog', dialog: {kind: 'none'}});
			dispatch({
				type: 'notice',
				notice: {
					text: `Restoring ${image.imageId} (${image.name}); following its state…`,
					tone: 'success',
					image,
				},
			});
			refresh();
		},
		[dialogRow, chains, refresh, dispatch],
	);

	const onDeregistered = useCallback(
		(target: DeregisterTarget) => {
			// A restored AMI leaves its chain (its row goes; history keeps it, deregistered); a registered one stays in
			// history, shown deregistered
			chains.restoreDeregistered(target.region, target.imageId);

			dispatch({type: 'chains', chains: chains.list()});
			dispatch({type: 'image', region: target.region, imageId: target.imageId, status: {state: 'deregistered'}});
			dispatch({type: 'dialog', dialog: {kind: 'none'}});
			dispatch({
				type: 'notice',
				notice: {text: `Deregistered ${target.imageId} (${target.name}) in ${target.region}.`, tone: 'success'},
			});
		},
		[chains, dispatch],
	);

	const onRetried = useCallback(
		({target, id, prefix, adopted}: RetryStarted) => {
			const bundle = target.kind === 'bundle';
			// The new task shows before the next poll: its history entry, or the chain the store continues
			dispatch(bundle ? {type: 'history', history: history.bundles()} : {type: 'chains', chains: chains.list()});
			dispatch({type: 'select', key: bundle ? taskKey(target.region, id) : workKey('store', target.region, id)});
			dispatch({type: 'dialog', dialog: {kind: 'none'}});
			dispatch({
				type: 'notice',
				notice: {
					text: bundle
						? `Retrying ${target.taskId} as ${id}: ${target.bucket}/${prefix}.${adopted ? ` ${adoptedBundleNote}.` : ''}`
						: `Storing ${id} into ${target.bucket} again.`,
					tone: 'success',
				},
			});
			refresh();
		},
		[history, chains, refresh, dispatch],
	);

	const onWatch = useCallback(
		(regions: string[]) => {
			saveWatched(services, settings, regions);
			dispatch({type: 'watch', regions});
		},
		[services, settings, dispatch],
	);

	return {closeDialog, onRegistered, onMigration, onCancelled, onWatch, onRestored, onDeregistered, onRetried};
}
