/**
 * How long DescribeBundleTasks keeps listing a finished (complete or failed) bundle task. EC2 drops finished tasks
 * after a while; registering still works from the manifest, and bundledeck falls back on its local history.
 * BUNDLEDECK_SANDBOX_FINISHED_TASK_SECONDS sets it (0: dropped as soon as finished); the option wins.
 */
export const finishedTaskEnvName = 'BUNDLEDECK_SANDBOX_FINISHED_TASK_SECONDS';
export const defaultFinishedTaskRetentionMs = 3 * 24 * 60 * 60 * 1000;
export const maxFinishedTaskSeconds = 365 * 24 * 60 * 60;

export function resolveFinishedTaskRetention(option: number | undefined, env: NodeJS.ProcessEnv): number {
	if (option !== undefined) {
		return option;
	}

	const text = env[finishedTaskEnvName];
	return text !== undefined && /^\s*\d+\s*$/.test(text) && Number(text) <= maxFinishedTaskSeconds
		? Number(text) * 1000
		: defaultFinishedTaskRetentionMs;
}
