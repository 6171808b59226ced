/** How store tasks print: the STORE line beside BUNDLE lines, and its JSON (with "kind": "store"). */
import type {StoreTask} from '../core/types.js';

export type StoreTaskJson = {
	kind: 'store';
	amiId: string;
	region: string;
	/** The instance the AMI was made from, when bundledeck made it */
	instanceId: string | null;
	bucket: string;
	objectKey: string;
	state: StoreTask['state'];
	progress: number | null;
	startTime: string | null;
	failureReason: string | null;
};

export function storeTaskJson(task: StoreTask, instanceId?: string | undefined): StoreTaskJson {
	return {
		kind: 'store',
		amiId: task.amiId,
		region: task.region,
		instanceId: instanceId ?? null,
		bucket: task.bucket,
		objectKey: task.objectKey,
		state: task.state,
		progress: task.progress ?? null,
		startTime: task.startTime?.toISOString() ?? null,
		failureReason: task.failureReason ?? null,
	};
}

/** STORE <ami-id> <instance|-> <bucket> <key> <start> <state> <progress> [region] */
export function storeTaskLine(task: StoreTask, withRegion: boolean, instanceId?: string | undefined): string {
	const columns = [
		'STORE',
		task.amiId,
		instanceId ?? '-',
		task.bucket,
		task.objectKey,
		task.startTime?.toISOString() ?? '-',
		task.state,
		task.progress === undefined ? '-' : `${task.progress}%`,
	];
	if (withRegion) {
		columns.push(task.region);
	}

	return columns.join('\t');
}
