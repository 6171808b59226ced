/**
 * Runs the services calls the wizard state asks for (each keyed by its sequence number, so an answer that comes
 * late is ignored by the reducer), and carries out the state's intent (quit, cancel, switch region, finish).
 */
import {type Dispatch, useEffect} from 'react';
import type {BundleTask} from '../../../core/types.js';
import {useRequest} from '../../hooks/use-screen-calls.js';
import {useAppContext} from '../../state/app-context.js';
import {pending} from '../../state/remote.js';
import type {WizardAction} from '../../state/wizard-actions.js';
import {prefixPatternOf} from '../../state/wizard-prefix.js';
import {markBeingBundled, type WizardState} from '../../state/wizard-reducer.js';

function missing(): never {
	throw new Error('The bundle target (instance and bucket) is not chosen yet.');
}

export type WizardCallbacks = {onStarted(task: BundleTask): void; onCancel(): void};

export function useWizardCalls(state: WizardState, dispatch: Dispatch<WizardAction>, callbacks: WizardCallbacks): void {
	const {services, history, settings, region, setRegion, quit} = useAppContext();
	const {onStarted, onCancel} = callbacks;

	// The session region is the source of truth for the instance list.
	useEffect(() => {
		dispatch({type: 'region', region});
	}, [region, dispatch]);

	useEffect(() => {
		let live = true;
		services.usesTemporaryCredentials().then(
			(value) => {
				if (live) {
					dispatch({type: 'temporary-credentials', value});
				}
			},
			() => {
				// Unknown: the confirm step then says nothing about temporary credentials; the preflight reports credential problems.
			},
		);
		return () => {
			live = false;
		};
	}, [services, dispatch]);

	const {instance, bucket, prefix} = state;
	useRequest(
		pending(state.instances),
		async (_, signal) => {
			const [instances, tasks] = await Promise.all([
				services.listInstances(state.region, signal),
				// Only to say "being bundled": when the tasks cannot be listed, the instances still are.
				services.describeBundleTasks(state.region, undefined, signal).catch(() => []),
			]);
			return markBeingBundled(instances, tasks);
		},
		dispatch,
		(instances, seq) => ({type: 'instances-loaded', seq, instances}) as const,
	);
	useRequest(
		pending(state.regions),
		async () => services.listRegions(),
		dispatch,
		(regions, seq) => ({type: 'regions-loaded', seq, regions}) as const,
	);
	useRequest(
		pending(state.buckets),
		async () => services.listBuckets(),
		dispatch,
		(buckets, seq) => ({type: 'buckets-loaded', seq, buckets}) as const,
	);
	useRequest(
		pending(state.probe),
		async ({name}) => services.probeBucket(name),
		dispatch,
		(probe, seq) => ({type: 'probe-done', seq, probe, now: Date.now()}) as const,
	);
	useRequest(
		pending(state.prefixCheck),
		async () => services.prefixTaken(bucket?.name ?? '', prefix),
		dispatch,
		(taken, seq) => ({type: 'prefix-checked', seq, taken, now: Date.now()}) as const,
	);
	useRequest(
		pending(state.proposalCheck),
		async () => services.prefixTaken(bucket?.name ?? '', prefix),
		dispatch,
		(taken, seq) => ({type: 'proposal-checked', seq, taken}) as const,
	);
	const target =
		instance && bucket ? {region: instance.region, instanceId: instance.id, bucket: bucket.name, prefix} : undefined;
	useRequest(
		target ? pending(state.preflight) : undefined,
		async () => services.preflightBundle(target ?? missing()),
		dispatch,
		(_, seq) => ({type: 'preflight-passed', seq}) as const,
	);
	// BundleInstance is not idempotent: useRequest sends one call per start request.
	useRequest(
		target ? pending(state.start) : undefined,
		async () => {
			const input = target ?? missing();
			if (bucket?.status === 'missing') {
				// The wizard creates a new bucket itself, in the instance's region, just before starting the bundle.
				await services.createBucket(input.bucket, input.region);
			}

			const result = await services.startBundle(input);
			history.recordBundle(result.task, instance?.name);
			settings.set('lastRegion', input.region);
			settings.set('lastBucket', input.bucket);
			// Only a prefix the user wrote teaches a pattern (a proposal, '-2' variant included, came from the current one).
			const pattern = state.prefixEdited
				? prefixPatternOf(prefix, instance?.name, input.instanceId, new Date(state.prefixProposedAt))
				: undefined;
			if (pattern) {
				settings.set('prefixPattern', pattern);
			}

			return result;
		},
		dispatch,
		(result, seq) => ({type: 'start-done', seq, result}) as const,
	);

	// After a start, the bundle id stays on screen a moment (Enter skips), then the dashboard opens.
	const started = state.start?.status === 'started';
	useEffect(() => {
		if (!started) {
			return;
		}

		const timer = setTimeout(() => {
			dispatch({type: 'finish'});
		}, 2500);
		return () => {
			clearTimeout(timer);
		};
	}, [started, dispatch]);

	const {intent} = state;
	useEffect(() => {
		if (!intent) {
			return;
		}

		dispatch({type: 'intent-done'});
		switch (intent.type) {
			case 'quit': {
				quit();
				break;
			}

			case 'cancel': {
				onCancel();
				break;
			}

			case 'switch-region': {
				setRegion(intent.region);
				break;
			}

			case 'finish': {
				onStarted(intent.result.task);
				break;
			}
		}
	}, [intent, quit, onCancel, onStarted, setRegion, dispatch]);
}
