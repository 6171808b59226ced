/**
 * Runs the services calls the wizard state asks for (each keyed by its sequence number, so an answer that comes
 * late is ignored by the reducer), and carries out the state's intent (quit, cancel, switch region, finish).
 */
import {type Dispatch, useEffect, useRef} from 'react';
import type {BundleTask} from '../../../core/types.js';
import {useAppContext} from '../../state/app-context.js';
import {seqOf, toFailure} from '../../state/remote.js';
import type {WizardAction} from '../../state/wizard-actions.js';
import {prefixPatternOf} from '../../state/wizard-prefix.js';
import type {WizardState} from '../../state/wizard-reducer.js';

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

	const instancesSeq = seqOf(state.instances);
	const listRegion = state.region;
	useEffect(() => {
		if (instancesSeq === undefined) {
			return;
		}

		const controller = new AbortController();
		services.listInstances(listRegion, controller.signal).then(
			(instances) => {
				dispatch({type: 'instances-loaded', seq: instancesSeq, instances});
			},
			(error: unknown) => {
				if (!controller.signal.aborted) {
					dispatch({type: 'instances-failed', seq: instancesSeq, failure: toFailure(error)});
				}
			},
		);
		return () => {
			controller.abort();
		};
	}, [instancesSeq, listRegion, services, dispatch]);

	const regionsSeq = seqOf(state.regions);
	useEffect(() => {
		if (regionsSeq === undefined) {
			return;
		}

		services.listRegions().then(
			(regions) => {
				dispatch({type: 'regions-loaded', seq: regionsSeq, regions});
			},
			(error: unknown) => {
				dispatch({type: 'regions-failed', seq: regionsSeq, failure: toFailure(error)});
			},
		);
	}, [regionsSeq, services, dispatch]);

	const bucketsSeq = seqOf(state.buckets);
	useEffect(() => {
		if (bucketsSeq === undefined) {
			return;
		}

		services.listBuckets().then(
			(buckets) => {
				dispatch({type: 'buckets-loaded', seq: bucketsSeq, buckets});
			},
			(error: unknown) => {
				dispatch({type: 'buckets-failed', seq: bucketsSeq, failure: toFailure(error)});
			},
		);
	}, [bucketsSeq, services, dispatch]);

	const probeSeq = seqOf(state.probe);
	const probeName = state.probe?.name;
	useEffect(() => {
		if (probeSeq === undefined || probeName === undefined) {
			return;
		}

		services.probeBucket(probeName).then(
			(probe) => {
				dispatch({type: 'probe-done', seq: probeSeq, probe, now: Date.now()});
			},
			(error: unknown) => {
				dispatch({type: 'probe-failed', seq: probeSeq, failure: toFailure(error)});
			},
		);
	}, [probeSeq, probeName, services, dispatch]);

	const prefixSeq = seqOf(state.prefixCheck);
	const bucketName = state.bucket?.name;
	const {prefix} = state;
	useEffect(() => {
		if (prefixSeq === undefined || bucketName === undefined) {
			return;
		}

		services.prefixTaken(bucketName, prefix).then(
			(taken) => {
				dispatch({type: 'prefix-checked', seq: prefixSeq, taken, now: Date.now()});
			},
			(error: unknown) => {
				dispatch({type: 'prefix-failed', seq: prefixSeq, failure: toFailure(error)});
			},
		);
	}, [prefixSeq, bucketName, prefix, services, dispatch]);

	const preflightSeq = seqOf(state.preflight);
	const instanceId = state.instance?.id;
	const instanceRegion = state.instance?.region;
	useEffect(() => {
		if (preflightSeq === undefined || instanceId === undefined || instanceRegion === undefined || !bucketName) {
			return;
		}

		services.preflightBundle({region: instanceRegion, instanceId, bucket: bucketName, prefix}).then(
			() => {
				dispatch({type: 'preflight-passed', seq: preflightSeq});
			},
			(error: unknown) => {
				dispatch({type: 'preflight-failed', seq: preflightSeq, failure: toFailure(error)});
			},
		);
	}, [preflightSeq, instanceId, instanceRegion, bucketName, prefix, services, dispatch]);

	const startSeq = seqOf(state.start);
	const createBucket = state.bucket?.status === 'missing';
	const instanceName = state.instance?.name;
	const {prefixProposedAt} = state;
	// BundleInstance is not idempotent: whatever re-runs this effect, one start request sends one call.
	const lastStart = useRef<number | undefined>(undefined);
	useEffect(() => {
		if (startSeq === undefined || instanceId === undefined || instanceRegion === undefined || !bucketName) {
			return;
		}

		if (lastStart.current === startSeq) {
			return;
		}

		lastStart.current = startSeq;

		const run = async () => {
			if (createBucket) {
				// The wizard creates a new bucket itself, in the instance's region, just before starting the bundle.
				await services.createBucket(bucketName, instanceRegion);
			}

			const result = await services.startBundle({region: instanceRegion, instanceId, bucket: bucketName, prefix});
			history.recordBundle(result.task, instanceName);
			settings.set('lastRegion', instanceRegion);
			settings.set('lastBucket', bucketName);
			const pattern = prefixPatternOf(prefix, instanceName, instanceId, new Date(prefixProposedAt));
			if (pattern) {
				settings.set('prefixPattern', pattern);
			}

			return result;
		};

		run().then(
			(result) => {
				dispatch({type: 'start-done', seq: startSeq, result});
			},
			(error: unknown) => {
				dispatch({type: 'start-failed', seq: startSeq, failure: toFailure(error)});
			},
		);
	}, [
		startSeq,
		instanceId,
		instanceRegion,
		instanceName,
		bucketName,
		createBucket,
		prefix,
		prefixProposedAt,
		services,
		history,
		settings,
		dispatch,
	]);

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
