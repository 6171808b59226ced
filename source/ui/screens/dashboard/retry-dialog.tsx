/**
 * `t` on a failed or cancelled task: says what starts again (the same instance into the same bucket under a new free
 * prefix, or the same AMI's store into the same bucket), checks the bucket and the DryRun, then starts it on y/Enter.
 */
import {useReducer} from 'react';
import {namedInstance} from '../../../core/format.js';
import {taskBucketProblem} from '../../../core/task-bucket.js';
import {ErrorLine} from '../../components/error-line.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {useIntent, useKeys, useRequest} from '../../hooks/use-screen-calls.js';
import {useAppContext} from '../../state/app-context.js';
import {pending} from '../../state/remote.js';
import {initialRetryState, type RetryState, type RetryTarget, retryReducer} from '../../state/retry-dialog-state.js';
import {storeAmi} from '../store-ami.js';
import {DialogFrame} from './dialog-frame.js';

/** adopted: BundleInstance's answer was lost and the retry found the task the first call started */
export type RetryStarted = {target: RetryTarget; id: string; prefix: string; adopted?: boolean | undefined};

export type RetryDialogProps = {
	target: RetryTarget;
	/** Prefixes of the tasks listed in the target's bucket (never proposed) */
	known: readonly string[];
	width: number;
	height: number;
	onStarted(started: RetryStarted): void;
	onClose(): void;
};

function whatStarts(state: RetryState): string {
	const {target} = state;
	if (target.kind === 'store') {
		const name = target.name === undefined ? '' : ` ("${target.name}")`;
		return `Store AMI ${target.imageId}${name} into s3://${target.bucket} in ${target.region} again: a new store task.`;
	}

	const instance = namedInstance(target.instanceName, target.instanceId);
	return `Bundle instance ${instance} in ${target.region} again, into ${target.bucket}/${state.prefix} (a new prefix, never ${target.taskId}'s: whatever is left under it is not overwritten).`;
}

export function RetryDialog({target, known, width, height, onStarted, onClose}: RetryDialogProps) {
	const {services, history, chains, settings, quit} = useAppContext();
	const [state, dispatch] = useReducer(
		retryReducer,
		{target, pattern: settings.get('prefixPattern'), now: Date.now(), known},
		initialRetryState,
	);
	const {check, submit, prefix} = state;
	useKeys(dispatch);
	useRequest(
		pending(check),
		async () => {
			const probe = await services.probeBucket(target.bucket);
			if (probe.status === 'missing') {
				// Created in the task's region at start, as the wizard does; nothing there can be taken
				return {taken: false, bucketMissing: true};
			}

			const problem = taskBucketProblem(
				probe,
				target.bucket,
				target.region,
				target.kind === 'bundle' ? 'BundleInstance' : 'CreateStoreImageTask',
			);
			if (problem) {
				throw problem;
			}

			if (target.kind === 'store') {
				await services.preflightStoreImage({region: target.region, imageId: target.imageId, bucket: target.bucket});
				return {taken: false, bucketMissing: false};
			}

			if (await services.prefixTaken(target.bucket, prefix)) {
				return {taken: true, bucketMissing: false};
			}

			await services.preflightBundle({
				region: target.region,
				instanceId: target.instanceId,
				bucket: target.bucket,
				prefix,
			});
			return {taken: false, bucketMissing: false};
		},
		dispatch,
		(answer, seq) => ({type: 'checked', seq, ...answer}) as const,
	);
	// BundleInstance and CreateStoreImageTask are not idempotent: one call per start request.
	useRequest(
		pending(submit),
		async () => {
			if (check.status === 'ready' && check.bucketMissing) {
				await services.createBucket(target.bucket, target.region);
			}

			if (target.kind === 'store') {
				// A store task bundledeck did not start: its chain gets the AMI's own name (the restore prefills it)
				const name =
					target.name ?? (await services.describeImages(target.region, [target.imageId]))[0]?.name ?? target.imageId;
				const chain = await storeAmi(services, chains, {...target, name});
				return {id: chain.imageId, adopted: false};
			}

			const {task, adopted} = await services.startBundle({
				region: target.region,
				instanceId: target.instanceId,
				bucket: target.bucket,
				prefix,
			});
			history.recordBundle(task, target.instanceName);
			return {id: task.bundleId, adopted: adopted === true};
		},
		dispatch,
		({id, adopted}, seq) => ({type: 'started', seq, id, adopted}) as const,
	);
	useIntent(state.intent, dispatch, {
		quit,
		close: onClose,
		started: ({id, adopted}) => onStarted({target, id, prefix, adopted}),
	});

	const checkLine =
		check.status === 'checking' ? (
			<SpinnerLine
				key="check"
				label={
					target.kind === 'bundle'
						? `Checking that ${target.bucket}/${prefix} is free, and the DryRun…`
						: `Checking ${target.bucket} and the DryRun…`
				}
			/>
		) : check.status === 'failed' ? (
			<ErrorLine key="check" error={check.failure.line} prefix="Cannot retry" width={width} />
		) : (
			wrappedLines(
				check.bucketMissing
					? `! Bucket ${target.bucket} no longer exists: it is created in ${target.region} at start (keep it private).`
					: `✓ ${target.kind === 'bundle' ? `prefix ${prefix} is free · ` : ''}DryRun passed`,
				{width, id: 'check'},
			)
		);
	return (
		<DialogFrame
			title={`Retry ${target.taskId}`}
			width={width}
			height={height}
			hint={
				submit?.status === 'running'
					? ''
					: check.status === 'failed'
						? 'enter check again · esc close'
						: check.status === 'ready'
							? 'y / enter start it · n / esc close'
							: 'esc close'
			}
		>
			{wrappedLines(whatStarts(state), {width, id: 'what'})}
			{checkLine}
			{submit?.status === 'running' ? <SpinnerLine label="Starting…" /> : null}
			{submit?.status === 'failed' ? (
				<ErrorLine error={submit.failure.line} prefix="Could not start it" width={width} />
			) : null}
		</DialogFrame>
	);
}
