/**
 * CreateStoreImageTask for an AMI, then its chain saved (the dashboard follows and continues it): the wizard's start
 * from an AMI and the dashboard's retry of a failed store task. A chain bundledeck made keeps its origin (instance,
 * start time, restores).
 */
import type {Services} from '../../core/services.js';
import type {StoreChain} from '../../core/work-model.js';
import type {StoreChains} from '../../store/store-chains.js';

export async function storeAmi(
	services: Services,
	chains: StoreChains,
	target: {region: string; imageId: string; name: string; bucket: string},
): Promise<StoreChain> {
	const {region, imageId, name, bucket} = target;
	const startedAt = new Date().toISOString();
	await services.storeImage({region, imageId, bucket});
	const earlier = chains.find(region, imageId);
	const chain: StoreChain = {
		...earlier,
		region,
		instanceId: earlier?.instanceId,
		imageId,
		name: earlier?.name ?? name,
		noReboot: earlier?.noReboot ?? false,
		startedAt: earlier?.startedAt ?? startedAt,
		bucket,
		storeStartedAt: new Date().toISOString(),
		// Running again: the end of the earlier attempt is not this one's
		endedAt: undefined,
	};
	chains.save(chain);
	return chain;
}
