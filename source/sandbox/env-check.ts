/**
 * The BUNDLEDECK_SANDBOX_* variables checked before a sandbox starts: a value out of range or not understood is one
 * usage line (exit 2), not silently ignored. paceFromEnv / faultsFromEnv read what passes here.
 */
import {mib, parseSize} from './pace.js';
import {defaultFinishedTaskRetentionMs, finishedTaskEnvName, maxFinishedTaskSeconds} from './task-retention.js';

const kib = 1024;
const gib = 1024 * mib;

type Check = (text: string) => string | undefined;

function size(min: number, max: number, label: string): Check {
	return (text) => {
		const bytes = parseSize(text);
		if (bytes === undefined) {
			return `is not a size (like 8MiB or 268435456)`;
		}

		return bytes < min || bytes > max ? `must be ${label}` : undefined;
	};
}

function whole(min: number, max: number, unit: string): Check {
	return (text) =>
		/^\s*\d+\s*$/.test(text) && Number(text) >= min && Number(text) <= max
			? undefined
			: `must be a whole number of ${unit} from ${min} to ${max}`;
}

function rate(text: string): string | undefined {
	const value = /^\s*\d*\.?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
	return value >= 0 && value <= 1 ? undefined : 'must be a number from 0 to 1 (0.25 is one request in four)';
}

const settings: Record<string, {check: Check; help: string}> = {
	BUNDLEDECK_SANDBOX_DIR: {
		check: (text) => (text.trim() === '' ? 'is empty: unset it or name a directory' : undefined),
		help: 'data directory',
	},
	BUNDLEDECK_SANDBOX_BYTES_PER_SECOND: {
		check: (text) =>
			/^\s*(max|unlimited|0)\s*$/i.test(text) ? undefined : size(kib, 16 * gib, '1KiB to 16GiB, or max')(text),
		help: 'bundle and copy speed: 1KiB to 16GiB, or max (default 8MiB)',
	},
	BUNDLEDECK_SANDBOX_IMAGE_SIZE: {
		check: size(kib, 64 * gib, '1KiB to 64GiB'),
		help: 'C: image size: 1KiB to 64GiB (default 256MiB)',
	},
	BUNDLEDECK_SANDBOX_STEP_DELAY_MS: {
		check: whole(0, 600_000, 'milliseconds'),
		help: 'stop / start / register step: 0 to 600000 ms (default 1500)',
	},
	[finishedTaskEnvName]: {
		check: whole(0, maxFinishedTaskSeconds, 'seconds'),
		help: `finished tasks listed for: 0 to ${maxFinishedTaskSeconds} s (default ${defaultFinishedTaskRetentionMs / 1000}: 3 days)`,
	},
	BUNDLEDECK_SANDBOX_LATENCY_MS: {
		check: whole(0, 60_000, 'milliseconds'),
		help: 'added to every request: 0 to 60000 ms',
	},
	BUNDLEDECK_SANDBOX_THROTTLE_RATE: {check: rate, help: 'share of requests throttled: 0 to 1'},
	BUNDLEDECK_SANDBOX_ERROR_RATE: {check: rate, help: 'share of requests failing with a 500: 0 to 1'},
	BUNDLEDECK_SANDBOX_FAULT_ACTIONS: {
		check: (text) =>
			/^\s*[A-Za-z]+(\s*,\s*[A-Za-z]+)*\s*$/.test(text)
				? undefined
				: 'must be API action names separated by commas (like BundleInstance,PutObject)',
		help: 'faults only for these actions (BundleInstance,PutObject)',
	},
};

/** Each variable with what it sets and its range (help text). */
export const sandboxEnvHelp = Object.entries(settings).map(([name, setting]) => [name, setting.help] as const);

/** The first set BUNDLEDECK_SANDBOX_* value that is not understood or out of range, as one line; else undefined. */
export function sandboxEnvProblem(env: NodeJS.ProcessEnv): string | undefined {
	for (const [name, {check}] of Object.entries(settings)) {
		const text = env[name];
		const problem = text === undefined ? undefined : check(text);
		if (problem !== undefined) {
			return `${name}='${text}' ${problem}`;
		}
	}

	return undefined;
}
