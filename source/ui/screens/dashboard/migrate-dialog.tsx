/**
 * `m` on a complete task: copy it to another region. Destination region, then either CopyImage of the AMI already
 * registered from it, or a copy of the bundle (manifest + parts, server-side) into a bucket in that region (an
 * existing one or a new one) and a registration there — what ec2-migrate-image did. A bar shows the parts copied;
 * Esc aborts safely (AbortSignal) and running it again resumes (parts already there are skipped).
 */
import {Text} from 'ink';
import {type ReactNode, useCallback, useEffect, useRef, useState} from 'react';
import {manifestLocation} from '../../../core/format.js';
import type {HistoryImage} from '../../../core/history.js';
import type {MigrateProgress, MigrateResult} from '../../../core/services.js';
import type {Bucket} from '../../../core/types.js';
import {validateAmiName, validateBucketName} from '../../../core/validation.js';
import {ErrorLine, errorText} from '../../components/error-line.js';
import {ProgressBar} from '../../components/progress-bar.js';
import {SelectList} from '../../components/select-list.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {rowImage} from '../../components/task-table.js';
import {editText, TextField} from '../../components/text-field.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {useStableInput} from '../../hooks/use-stable-input.js';
import {useAppContext} from '../../state/app-context.js';
import type {DashboardRow} from '../../state/dashboard-rows.js';
import {DialogFrame} from './dialog-frame.js';
import {amiNameFromPrefix} from './register-dialog.js';

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
	| {kind: 'image'; destinationRegion: string; imageId: string; name: string; sourceImageId: string};

export type MigrateDialogProps = {
	row: DashboardRow;
	width: number;
	height: number;
	/** Called when a copy starts (complete false), ends, or is aborted part-way (complete false). */
	onProgressRecorded(outcome: MigrationOutcome): void;
	onClose(): void;
};

type Step =
	| {kind: 'region'}
	| {kind: 'method'}
	| {kind: 'bucket'}
	| {kind: 'new-bucket'}
	| {kind: 'name'}
	| {kind: 'running'; progress: MigrateProgress | undefined}
	| {kind: 'aborted'; progress: MigrateProgress | undefined}
	| {kind: 'failed'; error: unknown}
	| {kind: 'done'; message: string};

type Method = 'copy-image' | 'copy-bundle';
type Loaded<T> = {kind: 'loading'} | {kind: 'ready'; value: T} | {kind: 'failed'; error: unknown};

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
	return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}

/**
 * Loads a value when `deps` change (retry() loads again). A result loaded for other deps is reported as loading,
 * so a list for the previous choice is never shown (or picked from) while the new one loads.
 */
function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
	const [state, setState] = useState<{loaded: Loaded<T>; deps: unknown[]}>({loaded: {kind: 'loading'}, deps: []});
	const [attempt, setAttempt] = useState(0);
	// biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the load depends on; attempt retries
	useEffect(() => {
		let live = true;
		setState({loaded: {kind: 'loading'}, deps});
		load().then(
			(value) => {
				if (live) {
					setState({loaded: {kind: 'ready', value}, deps});
				}
			},
			(error: unknown) => {
				if (live) {
					setState({loaded: {kind: 'failed', error}, deps});
				}
			},
		);
		return () => {
			live = false;
		};
	}, [...deps, attempt]);
	const loaded: Loaded<T> = sameDeps(state.deps, deps) ? state.loaded : {kind: 'loading'};
	return [loaded, () => setAttempt((value) => value + 1)];
}

export function migratedBucketName(sourceBucket: string, region: string): string {
	const name = `${sourceBucket}-${region}`.slice(0, 63).replace(/[-.]+$/, '');
	return validateBucketName(name).ok ? name : `bundles-${region}`;
}

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

export function MigrateDialog({row, width, height, onProgressRecorded, onClose}: MigrateDialogProps) {
	const {services, quit} = useAppContext();
	const registered: HistoryImage | undefined = rowImage(row);
	const [step, setStep] = useState<Step>({kind: 'region'});
	const [cursor, setCursor] = useState(0);
	const [destination, setDestination] = useState<string | undefined>(undefined);
	const [method, setMethod] = useState<Method>('copy-bundle');
	const [bucket, setBucket] = useState<{name: string; create: boolean} | undefined>(undefined);
	const [newBucket, setNewBucket] = useState('');
	const [bucketProblem, setBucketProblem] = useState<string | undefined>(undefined);
	const [checkingBucket, setCheckingBucket] = useState(false);
	const [name, setName] = useState(() => registered?.name ?? amiNameFromPrefix(row.prefix));
	const controller = useRef<AbortController | undefined>(undefined);
	const live = useRef(true);
	useEffect(
		() => () => {
			live.current = false;
			controller.current?.abort();
		},
		[],
	);

	const [regions, retryRegions] = useLoad(async () => {
		const all = await services.listRegions();
		return all.filter((region) => region !== row.region).sort();
	}, [services, row.region]);
	const [buckets, retryBuckets] = useLoad<Bucket[]>(
		async () => (destination ? (await services.listBuckets()).filter((item) => item.region === destination) : []),
		[services, destination],
	);

	const nameCheck = validateAmiName(name);
	const newBucketCheck = validateBucketName(newBucket);

	const start = useCallback(() => {
		if (!destination) {
			return;
		}

		const abort = new AbortController();
		controller.current = abort;
		setStep({kind: 'running', progress: undefined});
		if (method === 'copy-image' && registered) {
			services
				.copyImage({
					sourceRegion: row.region,
					sourceImageId: registered.imageId,
					destinationRegion: destination,
					name,
					description: `Copy of ${registered.imageId} from ${row.region} (${row.bundleId})`,
				})
				.then(
					({imageId}) => {
						onProgressRecorded({
							kind: 'image',
							destinationRegion: destination,
							imageId,
							name,
							sourceImageId: registered.imageId,
						});
						if (live.current) {
							setStep({
								kind: 'done',
								message: `CopyImage started ${imageId} in ${destination}; its state shows in the detail pane.`,
							});
						}
					},
					(error: unknown) => {
						if (live.current) {
							setStep({kind: 'failed', error});
						}
					},
				);
			return;
		}

		if (!bucket) {
			return;
		}

		const target = {
			kind: 'bundle' as const,
			destinationRegion: destination,
			destinationBucket: bucket.name,
			destinationManifestLocation: manifestLocation(bucket.name, row.prefix),
			name,
		};
		let last: MigrateProgress | undefined;
		const run = async (): Promise<MigrateResult> => {
			if (bucket.create) {
				await services.createBucket(bucket.name, destination);
			}

			onProgressRecorded({...target, complete: false, imageId: undefined});
			return services.migrateBundle({
				sourceRegion: row.region,
				manifestLocation: manifestLocation(row.bucket, row.prefix),
				destinationRegion: destination,
				destinationBucket: bucket.name,
				register: {name},
				signal: abort.signal,
				onProgress(progress) {
					last = progress;
					if (live.current && !abort.signal.aborted) {
						setStep({kind: 'running', progress});
					}
				},
			});
		};

		run().then(
			(result) => {
				onProgressRecorded({
					...target,
					destinationManifestLocation: result.destinationManifestLocation,
					complete: true,
					imageId: result.imageId,
				});
				if (live.current) {
					setStep({
						kind: 'done',
						message: `Copied ${result.copied} objects (${result.skipped} were already there) to ${bucket.name}; registered ${result.imageId ?? '(no AMI)'} in ${destination}.`,
					});
				}
			},
			(error: unknown) => {
				if (!live.current) {
					return;
				}

				if (abort.signal.aborted) {
					setStep({kind: 'aborted', progress: last});
				} else {
					setStep({kind: 'failed', error});
				}
			},
		);
	}, [destination, method, registered, bucket, services, row, name, onProgressRecorded]);

	const chooseBucket = useCallback(
		async (candidate: string) => {
			setCheckingBucket(true);
			setBucketProblem(undefined);
			try {
				const probe = await services.probeBucket(candidate);
				if (!live.current) {
					return;
				}

				if (probe.status === 'foreign') {
					setBucketProblem(`${candidate} belongs to another account: pick another name.`);
				} else if (probe.status === 'invalid') {
					setBucketProblem(probe.reason);
				} else if (probe.status === 'owned' && probe.region !== destination) {
					setBucketProblem(`${candidate} is in ${probe.region}, not ${destination ?? ''}: pick another name.`);
				} else {
					setBucket({name: candidate, create: probe.status === 'missing'});
					setStep({kind: 'name'});
				}
			} catch (error) {
				if (live.current) {
					setBucketProblem(errorText(error));
				}
			} finally {
				if (live.current) {
					setCheckingBucket(false);
				}
			}
		},
		[services, destination],
	);

	const bucketItems =
		buckets.kind === 'ready'
			? [
					...buckets.value.map((item) => ({key: item.name, label: item.name})),
					{key: '+new', label: '+ Create a new bucket…'},
				]
			: [];

	useStableInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				quit();
				return;
			}

			if (step.kind === 'running') {
				if (key.escape) {
					controller.current?.abort();
				}

				return;
			}

			if (step.kind === 'done' || step.kind === 'failed' || step.kind === 'aborted') {
				if (key.escape || key.return || input === 'q') {
					onClose();
				}

				return;
			}

			if (key.escape) {
				// Back one step; from the first step, close.
				if (step.kind === 'region') {
					onClose();
				} else if (step.kind === 'method') {
					setStep({kind: 'region'});
				} else if (step.kind === 'bucket') {
					setStep(registered ? {kind: 'method'} : {kind: 'region'});
				} else if (step.kind === 'new-bucket') {
					setStep({kind: 'bucket'});
				} else if (step.kind === 'name') {
					setStep(method === 'copy-image' ? {kind: 'method'} : {kind: 'bucket'});
				}

				setCursor(0);
				return;
			}

			if (step.kind === 'region') {
				if (regions.kind === 'failed' && input === 'r') {
					retryRegions();
					return;
				}

				const list = regions.kind === 'ready' ? regions.value : [];
				if (key.upArrow || input === 'k') {
					setCursor((value) => Math.max(0, value - 1));
				} else if (key.downArrow || input === 'j') {
					setCursor((value) => Math.max(0, Math.min(list.length - 1, value + 1)));
				} else if (key.return && list[cursor]) {
					const region = list[cursor];
					setDestination(region);
					setNewBucket(migratedBucketName(row.bucket, region));
					setCursor(0);
					setStep(registered ? {kind: 'method'} : {kind: 'bucket'});
				}

				return;
			}

			if (step.kind === 'method') {
				if (key.upArrow || key.downArrow || input === 'j' || input === 'k') {
					setCursor((value) => (value === 0 ? 1 : 0));
				} else if (key.return) {
					const chosen: Method = cursor === 0 ? 'copy-image' : 'copy-bundle';
					setMethod(chosen);
					setCursor(0);
					setStep(chosen === 'copy-image' ? {kind: 'name'} : {kind: 'bucket'});
				}

				return;
			}

			if (step.kind === 'bucket') {
				if (buckets.kind === 'failed' && input === 'r') {
					retryBuckets();
					return;
				}

				if (key.upArrow || input === 'k') {
					setCursor((value) => Math.max(0, value - 1));
				} else if (key.downArrow || input === 'j') {
					setCursor((value) => Math.max(0, Math.min(bucketItems.length - 1, value + 1)));
				} else if (key.return) {
					const item = bucketItems[cursor];
					if (item?.key === '+new') {
						setBucketProblem(undefined);
						setStep({kind: 'new-bucket'});
					} else if (item) {
						setBucket({name: item.key, create: false});
						setStep({kind: 'name'});
					}
				}

				return;
			}

			if (step.kind === 'new-bucket') {
				if (checkingBucket) {
					return;
				}

				if (key.return) {
					if (newBucketCheck.ok) {
						void chooseBucket(newBucket);
					}

					return;
				}

				const next = editText(newBucket, input, key);
				if (next !== undefined) {
					setNewBucket(next);
					setBucketProblem(undefined);
				}

				return;
			}

			if (step.kind === 'name') {
				if (key.return) {
					if (nameCheck.ok) {
						start();
					}

					return;
				}

				const next = editText(name, input, key);
				if (next !== undefined) {
					setName(next);
				}
			}
		},
		{textInput: () => step.kind === 'new-bucket' || step.kind === 'name'},
	);

	const listHeight = Math.max(1, height - 3);
	let body: ReactNode[] = [];
	let hint = 'enter choose · esc back';
	switch (step.kind) {
		case 'region': {
			body = [
				<Text key="q">Copy to which region?</Text>,
				regions.kind === 'loading' ? <SpinnerLine key="l" label="Loading regions…" /> : null,
				regions.kind === 'failed' ? (
					<ErrorLine key="e" error={regions.error} prefix="Could not list regions" width={width} />
				) : null,
				regions.kind === 'ready' ? (
					<SelectList
						key="list"
						height={listHeight - 1}
						selectedIndex={cursor}
						items={regions.value.map((region) => ({key: region, label: region}))}
					/>
				) : null,
			];
			hint = regions.kind === 'failed' ? 'r retry · esc close' : '↑↓ move · enter choose · esc close';
			break;
		}

		case 'method': {
			body = [
				<Text key="q">How to copy it to {destination}?</Text>,
				<SelectList
					key="list"
					height={2}
					selectedIndex={cursor}
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
				buckets.kind === 'loading' ? <SpinnerLine key="l" label="Loading buckets…" /> : null,
				buckets.kind === 'failed' ? (
					<ErrorLine key="e" error={buckets.error} prefix="Could not list buckets" width={width} />
				) : null,
				buckets.kind === 'ready' ? (
					<SelectList key="list" height={listHeight - 1} selectedIndex={cursor} items={bucketItems} />
				) : null,
			];
			hint = buckets.kind === 'failed' ? 'r retry · esc back' : '↑↓ move · enter choose · esc back';
			break;
		}

		case 'new-bucket': {
			body = [
				<Text key="q">New bucket in {destination} (created before the copy):</Text>,
				<TextField
					key="f"
					label="Bucket"
					value={newBucket}
					focused={!checkingBucket}
					invalidReason={newBucketCheck.ok ? bucketProblem : newBucketCheck.reason}
				/>,
				checkingBucket ? <SpinnerLine key="s" label={`Checking ${newBucket}…`} /> : null,
			];
			hint = 'enter use this name · esc back';
			break;
		}

		case 'name': {
			const what =
				method === 'copy-image'
					? `CopyImage ${registered?.imageId ?? ''} ${row.region} → ${destination ?? ''}`
					: `Copy ${manifestLocation(row.bucket, row.prefix)} → ${bucket?.name ?? ''}${bucket?.create ? ' (new bucket)' : ''} in ${destination ?? ''}, then register`;
			body = [
				...wrappedLines(what, {width, id: 'what'}),
				<TextField
					key="f"
					label="AMI name"
					value={name}
					focused
					invalidReason={nameCheck.ok ? undefined : nameCheck.reason}
				/>,
			];
			hint = 'enter start · esc back';
			break;
		}

		case 'running': {
			const progress = step.progress;
			const percent =
				progress && progress.total > 0 ? ((progress.copied + progress.skipped) / progress.total) * 100 : undefined;
			body =
				method === 'copy-image'
					? [<SpinnerLine key="s" label={`CopyImage to ${destination ?? ''}…`} />]
					: [
							<ProgressBar key="bar" percent={percent} width={Math.max(10, Math.min(40, width - 10))} color="cyan" />,
							...wrappedLines(progressLine(progress), {width, id: 'progress'}),
						];
			hint = method === 'copy-image' ? '' : 'esc stop (safe: running it again resumes)';
			break;
		}

		case 'aborted': {
			const progress = step.progress;
			body = [
				...wrappedLines(
					`Stopped${progress ? ` after ${progress.copied + progress.skipped} of ${progress.total} objects` : ''}. Press m again to resume: objects already copied are skipped.`,
					{width, color: 'yellow', id: 'stopped'},
				),
			];
			hint = 'enter / esc close';
			break;
		}

		case 'failed': {
			body = [<ErrorLine key="e" error={step.error} prefix="Copy failed" width={width} />];
			hint = 'enter / esc close · m again retries (copied objects are skipped)';
			break;
		}

		case 'done': {
			body = [...wrappedLines(`✓ ${step.message}`, {width, color: 'green', id: 'done'})];
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
