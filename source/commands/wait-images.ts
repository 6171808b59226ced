/**
 * `wait` for AMI ids: an AMI with a store task (the id identifies the store task) is waited on until the task is
 * Completed; any other AMI (being created or restored) until it is available.
 */
import type {Image, StoreTask} from '../core/types.js';
import type {Session} from '../session.js';
import type {CommandInput} from './command.js';
import {type StoreTaskJson, storeTaskJson, storeTaskLine} from './store-output.js';
import {type PollTiming, waitForImage, waitForStoreTask} from './store-waiter.js';

export const isAmiId = (id: string) => /^ami-[\da-f]{8,17}$/.test(id);

/** `instances`: the instance of each store task's AMI that history recorded, by AMI id (as `tasks` shows it) */
export type AmiWaitResult = {stores: StoreTask[]; images: Image[]; instances: Map<string, string>};

export async function waitForAmis(
	input: CommandInput,
	session: Session,
	regionOf: (imageId: string) => string,
	amiIds: string[],
	timing: PollTiming,
): Promise<AmiWaitResult> {
	const result: AmiWaitResult = {stores: [], images: [], instances: new Map()};
	for (const entry of session.history.list()) {
		if (entry.kind === 'store' && entry.instanceId && amiIds.includes(entry.imageId)) {
			result.instances.set(entry.imageId, entry.instanceId);
		}
	}

	for (const imageId of amiIds) {
		const region = regionOf(imageId);
		const [task] = await session.services.describeStoreTasks(region, [imageId]);
		if (task) {
			result.stores.push(await waitForStoreTask(input, session, region, imageId, timing));
		} else {
			result.images.push(await waitForImage(input, session, region, imageId, timing));
		}
	}

	return result;
}

export function amiWaitLines(result: AmiWaitResult): string[] {
	return [
		...result.stores.map((task) => storeTaskLine(task, false, result.instances.get(task.amiId))),
		...result.images.map((image) => ['IMAGE', image.imageId, image.name, image.state].join('\t')),
	];
}

export function amiWaitJson(result: AmiWaitResult): {
	stores: StoreTaskJson[];
	images: Array<{kind: 'image'; imageId: string; region: string; name: string; state: string}>;
} {
	return {
		stores: result.stores.map((task) => storeTaskJson(task, result.instances.get(task.amiId))),
		images: result.images.map((image) => ({
			kind: 'image',
			imageId: image.imageId,
			region: image.region,
			name: image.name,
			state: image.state,
		})),
	};
}
