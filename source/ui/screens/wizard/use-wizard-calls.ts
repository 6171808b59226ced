/**
 * Runs the services calls the wizard state asks for (each keyed by its sequence number, so an answer that comes
 * late is ignored by the reducer), and carries out the state's intent (quit, cancel, switch region, finish).
 */
import {type Dispatch, useEffect} from 'react';
import type {Services} from '../../../core/services.js';
import {taskBucketProblem} from '../../../core/task-bucket.js';
import type {BundleTask} from '../../../core/types.js';
import type {StoreChain} from '../../../core/work-model.js';
import type {StoreChains} from '../../../store/store-chains.js';
import {useRequest} from '../../hooks/use-screen-calls.js';
import {useAppContext} from '../../state/app-context.js';
import {pending} from '../../state/remote.js';
import type {WizardAction} from '../../state/wizard-actions.js';
import {prefixPatternOf} from '../../state/wizard-prefix.js';
import {
	imagePollMs,
	imagesPending,
	markBeingBundled,
	targetRegion,
	type WizardState,
	wizardPath,
} from '../../state/wizard-reducer.js';
import {storeAmi} from '../store-ami.js';

function missing(): never {
	throw new Error('The bundle target (instance and bucket) is not chosen yet.');
}

export type WizardCallbacks = {
	onStarted(task: BundleTask, adopted?: boolean): void;
	/** Image -> S3 began (the chain is saved: the dashboard continues it). */
	onChainStarted?: ((chain: StoreChain) => void) | undefined;
	onCancel(): void;
};

/**
 * The DryRun of both calls of image -> S3, one line each. CreateStoreImageTask's DryRun needs an available AMI: from
 * an instance the AMI does not exist yet, so its bucket checks run now and the call itself when the AMI is ready.
 */
async function preflightStore(services: Services, state: WizardState): Promise<string[]> {
	const region = targetRegion(state);
	const bucket = state.bucket;
	if (!bucket) {
		return missing();
	}

	const checks: string[] = [];
	if (state.instance) {
		await services.preflightCreateImage({
			region,
			instanceId: state.instance.id,
			name: state.amiName,
			noReboot: state.noReboot,
		});
		checks.push(`CreateImage DryRun passed (${state.noReboot ? 'no reboot' : 'with reboot'})`);
	}

	if (bucket.status === 'missing') {
		checks.push(`store task: bucket ${bucket.name} is created in ${region} at start`);
	} else if (state.image) {
		await services.preflightStoreImage({region, imageId: state.image.imageId, bucket: bucket.name});
		checks.push('CreateStoreImageTask DryRun passed');
	} else {
		const problem = taskBucketProblem(
			await services.probeBucket(bucket.name),
			bucket.name,
			region,
			'CreateStoreImageTask',
		);
		if (problem) {
			throw problem;
		}

		checks.push(`store task: bucket ${bucket.name} is yours, in ${region}; its DryRun runs once the AMI is available`);
	}

	return checks;
}

/** CreateImage (from an instance) or the store task (an AMI), then the chain saved so that it can be continued. */
async function startStore(services: Services, chains: StoreChains, state: WizardState): Promise<StoreChain> {
	const region = targetRegion(state);
	const {bucket, instance, image} = state;
	if (!bucket || !(instance ?? image)) {
		return missing();
	}

	if (bucket.status === 'missing') {
		await services.createBucket(bucket.name, region);
	}

	const startedAt = new Date().toISOString();
	if (instance) {
		const {imageId} = await services.createImage({
			region,
			instanceId: instance.id,
			name: state.amiName,
			noReboot: state.noReboot,
		});
		const chain: StoreChain = {
			region,
			instanceId: instance.id,
			instanceName: instance.name,
			imageId,
			name: state.amiName,
			bucket: bucket.name,
			noReboot: state.noReboot,
			startedAt,
			storeStartedAt: undefined,
		};
		chains.save(chain);
		return chain;
	}

	const source = image ?? missing();
	return storeAmi(services, chains, {region, imageId: source.imageId, name: source.name, bucket: bucket.name});
}

export function useWizardCalls(state: WizardState, dispatch: Dispatch<WizardAction>, callbacks: WizardCallbacks): void {
	const {services, history, chains, settings, region, setRegion, quit} = useAppContext();
	const {onStarted, onChainStarted, onCancel} = callbacks;

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
		pending(state.images),
		async () => services.describeImages(state.region),
		dispatch,
		(images, seq) => ({type: 'images-loaded', seq, images}) as const,
	);
	useRequest(
		pending(state.imagesRefresh),
		async () => services.describeImages(state.region),
		dispatch,
		(images, seq) => ({type: 'images-loaded', seq, images}) as const,
	);
	// While a listed AMI is pending, the list is read again on a timer (R reads it at once)
	const polling = imagesPending(state) && state.imagesRefresh === undefined;
	useEffect(() => {
		if (!polling) {
			return;
		}

		const timer = setTimeout(() => {
			dispatch({type: 'images-poll'});
		}, imagePollMs);
		return () => {
			clearTimeout(timer);
		};
	}, [polling, dispatch]);
	useRequest(
		pending(state.amiNameCheck),
		async () => {
			const images = await services.describeImages(targetRegion(state));
			return images.some((image) => image.name === state.amiName);
		},
		dispatch,
		(taken, seq) => ({type: 'ami-name-checked', seq, taken, now: Date.now()}) as const,
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
	const store = wizardPath(state) === 'store';
	useRequest(
		store ? pending(state.preflight) : undefined,
		async () => preflightStore(services, state),
		dispatch,
		(checks, seq) => ({type: 'preflight-passed', seq, checks}) as const,
	);
	// CreateImage is not idempotent either: one call per start request.
	useRequest(
		store ? pending(state.start) : undefined,
		async () => {
			const chain = await startStore(services, chains, state);
			settings.set('lastRegion', chain.region);
			settings.set('lastBucket', chain.bucket);
			return chain;
		},
		dispatch,
		(chain, seq) => ({type: 'chain-started', seq, chain}) as const,
	);
	const target =
		!store && instance && bucket
			? {region: instance.region, instanceId: instance.id, bucket: bucket.name, prefix}
			: undefined;
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
	const started = state.start?.status === 'started' || state.start?.status === 'chain-started';
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
				onStarted(intent.result.task, intent.result.adopted === true);
				break;
			}

			case 'finish-chain': {
				(onChainStarted ?? onCancel)(intent.chain);
				break;
			}
		}
	}, [intent, quit, onCancel, onStarted, onChainStarted, setRegion, dispatch]);
}
