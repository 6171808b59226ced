/**
 * `m` on a complete task: copy it to another region. Destination region, then either CopyImage of the AMI already
 * registered from it, or a copy of the bundle (manifest + parts, server-side) into a bucket in that region (an
 * existing one or a new one) and a registration there — what ec2-migrate-image did. A bar shows the parts copied;
 * Esc aborts safely (AbortSignal) and running it again resumes (parts already there are skipped).
 */
import {Text} from 'ink';
import {type ReactNode, useEffect, useReducer} from 'react';
import {manifestLocation as bundleManifest, formatBytes} from '../../../core/format.js';
import type {MigrateProgress, MigrateStoredProgress} from '../../../core/services.js';
import {validateAmiName, validateBucketName} from '../../../core/validation.js';
import {ChoiceList} from '../../components/choice-list.js';
import {ErrorLine} from '../../components/error-line.js';
import {ProgressBar} from '../../components/progress-bar.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {rowImage} from '../../components/task-table.js';
import {TextField} from '../../components/text-field.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {useIntent, useKeys, useRequest} from '../../hooks/use-screen-calls.js';
import {useAppContext} from '../../state/app-context.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import {
	initialMigrateState,
	type MigrateAnswer,
	type MigrateState,
	migrateBucketRows,
	migrateReducer,
} from '../../state/migrate-dialog-state.js';
import {newBucketKey, newBucketLabel} from '../../state/new-bucket.js';
import {pending} from '../../state/remote.js';
import {DialogFrame} from './dialog-frame.js';

export type MigrationOutcome =
	| {
			kind: 'bundle';
			destinationRegion: string;
			destinationBucket: string;
			destinationManifestLocation: string;
			complete: boolean;
			imageId: string | undefined;
			name: string;
	  }
	| {kind: 'image'; destinationRegion: string; imageId: string; name: string; sourceImageId: string}
	/** A store row's object copied to a bucket in another region and restored there */
	| {kind: 'stored'; destinationRegion: string; destinationBucket: string; imageId: string | undefined; name: string};

export type MigrateDialogProps = {
	row: DashboardRow;
	width: number;
	height: number;
	/** Called when a copy starts (complete false), ends, or is aborted part-way (complete false). */
	onProgressRecorded(outcome: MigrationOutcome): void;
	onClose(): void;
	/** Store rows: the stored AMI's name (from its object), the default name of the restored AMI */
	storedName?: string | undefined;
};

function progressLine(progress: MigrateProgress | undefined): string {
	if (!progress) {
		return 'Starting…';
	}

	const done = progress.copied + progress.skipped;
	const phase: Record<MigrateProgress['phase'], string> = {
		checking: 'Checking what is already there',
		copying: 'Copying parts',
		verifying: 'Verifying the copy',
		registering: 'Registering the AMI',
		done: 'Done',
	};
	return `${phase[progress.phase]} · ${done}/${progress.total} objects (${progress.copied} copied, ${progress.skipped} already there)`;
}

/** The byte progress of a stored object's copy, in words. */
function storedProgressLine(progress: MigrateStoredProgress | undefined): string {
	if (!progress) {
		return 'Starting…';
	}

	const phase: Record<MigrateStoredProgress['phase'], string> = {
		checking: 'Checking what is already there',
		copying: 'Copying the stored object',
		verifying: 'Verifying the copy',
		restoring: 'Restoring the AMI',
		done: 'Done',
	};
	const done = progress.copiedBytes + progress.skippedBytes;
	return `${phase[progress.phase]} · ${formatBytes(done)} of ${formatBytes(progress.totalBytes)} (${formatBytes(progress.skippedBytes)} already there)`;
}

function storedPercent(progress: MigrateStoredProgress | undefined): number | undefined {
	return progress && progress.totalBytes > 0
		? ((progress.copiedBytes + progress.skippedBytes) / progress.totalBytes) * 100
		: undefined;
}

export function MigrateDialog({row, width, height, onProgressRecorded, onClose, storedName}: MigrateDialogProps) {
	const {services, quit} = useAppContext();
	// A store row copies its stored object (bytes) and restores it there; a bundle row copies its bundle or AMI
	const stored = row.kind === 'store';
	const registered = stored ? undefined : rowImage(row);
	const [state, dispatch] = useReducer(
		migrateReducer,
		{
			region: row.region,
			bucket: row.bucket,
			prefix: row.prefix,
			imageId: registered?.imageId,
			imageName: stored
				? (storedName ?? row.work?.chain?.name ?? row.work?.image?.name ?? row.bundleId)
				: registered?.name,
		},
		initialMigrateState,
	);
	const {step, regions, buckets, probe, destination, method, bucket, name} = state;
	useKeys(dispatch);
	useRequest(
		pending(regions),
		async () => services.listRegions(),
		dispatch,
		(list, seq) => ({type: 'regions-loaded', seq, regions: list}) as const,
	);
	useRequest(
		pending(buckets),
		async () => services.listBuckets(),
		dispatch,
		(list, seq) => ({type: 'buckets-loaded', seq, buckets: list}) as const,
	);
	useRequest(
		pending(probe),
		async ({name: candidate}) => services.probeBucket(candidate),
		dispatch,
		(result, seq) => ({type: 'probe-done', seq, probe: result}) as const,
	);
	useRequest(
		state.run,
		async ({seq}, signal) => copy(state, seq, signal),
		dispatch,
		(answer, seq) => ({type: 'copied', seq, answer}) as const,
		state.stopping,
	);
	useIntent(state.intent, dispatch, {quit, close: onClose});

	/** The copy itself; history is recorded here (I/O), whether or not the dialog is still open. */
	async function copy(current: MigrateState, seq: number, signal: AbortSignal): Promise<MigrateAnswer> {
		const to = current.destination ?? '';
		if (current.method === 'copy-image' && registered) {
			const {imageId} = await services.copyImage({
				sourceRegion: row.region,
				sourceImageId: registered.imageId,
				destinationRegion: to,
				name: current.name,
				description: `Copy of ${registered.imageId} from ${row.region} (${row.bundleId})`,
			});
			onProgressRecorded({
				kind: 'image',
				destinationRegion: to,
				imageId,
				name: current.name,
				sourceImageId: registered.imageId,
			});
			return {kind: 'image', imageId};
		}

		const target = current.bucket;
		if (!target) {
			throw new Error('No destination bucket chosen.');
		}

		if (stored) {
			return copyStored(current, target, to, seq, signal);
		}

		const recorded = {
			kind: 'bundle' as const,
			destinationRegion: to,
			destinationBucket: target.name,
			destinationManifestLocation: bundleManifest(target.name, row.prefix),
			name: current.name,
		};
		if (target.create) {
			await services.createBucket(target.name, to);
		}

		// Recorded as incomplete (m resumes) only once copying starts, as the CLI does: a refusal before that (another
		// account's bucket, a bucket in another region) left nothing to resume.
		let started = false;
		const result = await services.migrateBundle({
			sourceRegion: row.region,
			manifestLocation: bundleManifest(row.bucket, row.prefix),
			destinationRegion: to,
			destinationBucket: target.name,
			register: {name: current.name},
			signal,
			onProgress(progress) {
				if (!started && progress.phase !== 'checking') {
					started = true;
					onProgressRecorded({...recorded, complete: false, imageId: undefined});
				}

				dispatch({type: 'progress', seq, progress});
			},
		});
		onProgressRecorded({
			...recorded,
			destinationManifestLocation: result.destinationManifestLocation,
			complete: true,
			imageId: result.imageId,
		});
		return {kind: 'bundle', result};
	}

	async function copyStored(
		current: MigrateState,
		target: {name: string; create: boolean},
		to: string,
		seq: number,
		signal: AbortSignal,
	): Promise<MigrateAnswer> {
		// migrateStored creates a missing destination bucket itself; parts already there are skipped (resume)
		const result = await services.migrateStored({
			sourceRegion: row.region,
			bucket: row.bucket,
			objectKey: row.prefix,
			destinationRegion: to,
			destinationBucket: target.name,
			restore: {name: current.name},
			signal,
			onProgress(progress) {
				dispatch({type: 'stored-progress', seq, progress});
			},
		});
		onProgressRecorded({
			kind: 'stored',
			destinationRegion: to,
			destinationBucket: target.name,
			imageId: result.imageId,
			name: current.name,
		});
		return {kind: 'stored', result};
	}

	const listHeight = Math.max(1, height - 3);
	useEffect(() => {
		dispatch({type: 'layout', page: Math.max(1, listHeight - 2)});
	}, [listHeight]);

	let body: ReactNode[] = [];
	let hint = 'enter choose · esc back';
	switch (step) {
		case 'region': {
			body = [
				<Text key="q">Copy to which region?</Text>,
				regions.status === 'loading' ? <SpinnerLine key="l" label="Loading regions…" /> : null,
				regions.status === 'failed' ? (
					<ErrorLine key="e" error={regions.failure.line} prefix="Could not list regions" width={width} />
				) : null,
				regions.status === 'ready' ? (
					<ChoiceList
						key="list"
						height={listHeight - 1}
						selectedIndex={state.cursor}
						items={regions.data.map((region) => ({key: region, label: region}))}
					/>
				) : null,
			];
			hint = regions.status === 'failed' ? 'r retry · esc close' : '↑↓ move · enter choose · esc close';
			break;
		}

		case 'method': {
			body = [
				<Text key="q">How to copy it to {destination}?</Text>,
				<ChoiceList
					key="list"
					height={2}
					selectedIndex={state.cursor}
					items={[
						{key: 'copy-image', label: `CopyImage of ${registered?.imageId ?? ''} (EC2 copies the bundle for you)`},
						{key: 'copy-bundle', label: `Copy the bundle to a bucket in ${destination ?? ''} and register it there`},
					]}
				/>,
			];
			hint = '↑↓ move · enter choose · esc back';
			break;
		}

		case 'bucket': {
			body = [
				<Text key="q">Destination bucket in {destination}:</Text>,
				buckets?.status === 'loading' ? <SpinnerLine key="l" label="Loading buckets…" /> : null,
				buckets?.status === 'failed' ? (
					<ErrorLine key="e" error={buckets.failure.line} prefix="Could not list buckets" width={width} />
				) : null,
				buckets?.status === 'ready' ? (
					<ChoiceList
						key="list"
						height={listHeight - 1}
						selectedIndex={state.cursor}
						items={migrateBucketRows(state).map((key) => ({key, label: key === newBucketKey ? newBucketLabel : key}))}
					/>
				) : null,
			];
			hint = buckets?.status === 'failed' ? 'r retry · esc back' : '↑↓ move · enter choose · esc back';
			break;
		}

		case 'new-bucket': {
			const check = validateBucketName(state.newBucket);
			const checking = probe?.status === 'checking';
			body = [
				<Text key="q">New bucket in {destination} (created before the copy):</Text>,
				<TextField
					key="f"
					label="Bucket"
					value={state.newBucket}
					focused={!checking}
					invalidReason={check.ok ? (probe?.status === 'refused' ? probe.reason : undefined) : check.reason}
				/>,
				checking ? <SpinnerLine key="s" label={`Checking ${state.newBucket}…`} /> : null,
			];
			hint = 'enter use this name · ctrl+u clear · esc back';
			break;
		}

		case 'name': {
			const check = validateAmiName(name);
			const what = stored
				? `Copy s3://${row.bucket}/${row.prefix} → ${bucket?.name ?? ''}${bucket?.create ? ' (new bucket)' : ''} in ${destination ?? ''}, then restore it there`
				: method === 'copy-image'
					? `CopyImage ${registered?.imageId ?? ''} ${row.region} → ${destination ?? ''}`
					: `Copy ${bundleManifest(row.bucket, row.prefix)} → ${bucket?.name ?? ''}${bucket?.create ? ' (new bucket)' : ''} in ${destination ?? ''}, then register`;
			body = [
				...wrappedLines(what, {width, id: 'what'}),
				<TextField key="f" label="AMI name" value={name} focused invalidReason={check.ok ? undefined : check.reason} />,
			];
			hint = 'enter start · ctrl+u clear · esc back';
			break;
		}

		case 'running': {
			const {progress} = state;
			const percent = stored
				? storedPercent(state.storedProgress)
				: progress && progress.total > 0
					? ((progress.copied + progress.skipped) / progress.total) * 100
					: undefined;
			const line = stored ? storedProgressLine(state.storedProgress) : progressLine(progress);
			body =
				method === 'copy-image' && !stored
					? [<SpinnerLine key="s" label={`CopyImage to ${destination ?? ''}…`} />]
					: [
							<ProgressBar key="bar" percent={percent} width={Math.max(10, Math.min(40, width - 10))} color="cyan" />,
							...wrappedLines(line, {width, id: 'progress'}),
						];
			hint = method === 'copy-image' && !stored ? '' : 'esc stop (safe: running it again resumes)';
			break;
		}

		case 'stopped': {
			const {progress, storedProgress} = state;
			const after = stored
				? storedProgress
					? ` after ${formatBytes(storedProgress.copiedBytes + storedProgress.skippedBytes)} of ${formatBytes(storedProgress.totalBytes)}`
					: ''
				: progress
					? ` after ${progress.copied + progress.skipped} of ${progress.total} objects`
					: '';
			body = [
				...wrappedLines(
					`Stopped${after}. Press m again to resume: ${stored ? 'parts' : 'objects'} already copied are skipped.`,
					{width, color: 'yellow', id: 'stopped'},
				),
			];
			hint = 'enter / esc close';
			break;
		}

		case 'failed': {
			body = [<ErrorLine key="e" error={state.failure?.line} prefix="Copy failed" width={width} />];
			hint = 'enter / esc close · m again retries (copied objects are skipped)';
			break;
		}

		case 'done': {
			body = [...wrappedLines(`✓ ${state.message ?? ''}`, {width, color: 'green', id: 'done'})];
			hint = 'enter / esc close';
			break;
		}
	}

	return (
		<DialogFrame title={`Copy ${row.bundleId} to another region`} width={width} height={height} hint={hint}>
			{body}
		</DialogFrame>
	);
}
