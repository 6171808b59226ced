/**
 * The sandbox's pace. Default (demo): a 256 MiB synthetic C: image bundled and stored at 8 MiB/s each, 1.5 s for an
 * instance to stop / start and an image to become available: one bundle takes about a minute (tens of seconds).
 * Environment: BUNDLEDECK_SANDBOX_BYTES_PER_SECOND (bytes, 8MiB, or "max" for full speed),
 * BUNDLEDECK_SANDBOX_IMAGE_SIZE (bytes or 256MiB), BUNDLEDECK_SANDBOX_STEP_DELAY_MS. Options win over the environment.
 */
import type {SandboxPace} from './contracts.js';

export const mib = 1024 * 1024;

export const defaultPace: SandboxPace = {bytesPerSecond: 8 * mib, imageSize: 256 * mib, stepDelayMs: 1500};

const units: Record<string, number> = {
	'': 1,
	b: 1,
	k: 1024,
	kb: 1000,
	kib: 1024,
	m: mib,
	mb: 1000 ** 2,
	mib,
	g: 1024 ** 3,
	gb: 1000 ** 3,
	gib: 1024 ** 3,
};

/** "268435456", "256MiB", "8m" -> bytes; undefined when unset or not a size. */
export function parseSize(text: string | undefined): number | undefined {
	const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text ?? '');
	if (!match) {
		return undefined;
	}

	const unit = units[match[2]!.toLowerCase()];
	return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}

export function paceFromEnv(env: NodeJS.ProcessEnv): Partial<SandboxPace> {
	const pace: Partial<SandboxPace> = {};
	const rate = env['BUNDLEDECK_SANDBOX_BYTES_PER_SECOND'];
	if (rate !== undefined && rate.trim() !== '') {
		const value = parseSize(rate);
		if (/^\s*(max|unlimited|0)\s*$/i.test(rate)) {
			pace.bytesPerSecond = undefined;
		} else if (value !== undefined && value > 0) {
			pace.bytesPerSecond = value;
		}
	}

	const imageSize = parseSize(env['BUNDLEDECK_SANDBOX_IMAGE_SIZE']);
	if (imageSize !== undefined && imageSize > 0) {
		pace.imageSize = imageSize;
	}

	const step = env['BUNDLEDECK_SANDBOX_STEP_DELAY_MS'];
	if (step !== undefined && /^\s*\d+\s*$/.test(step)) {
		pace.stepDelayMs = Number(step);
	}

	return pace;
}

function pick<K extends keyof SandboxPace>(
	key: K,
	...sources: Array<Partial<SandboxPace> | undefined>
): SandboxPace[K] {
	for (const source of sources) {
		if (source && key in source) {
			return source[key] as SandboxPace[K];
		}
	}

	return defaultPace[key];
}

/** A field present in options (even as undefined, meaning "full speed" for bytesPerSecond) wins. */
export function resolvePace(options: Partial<SandboxPace> | undefined, env: NodeJS.ProcessEnv): SandboxPace {
	const fromEnv = paceFromEnv(env);
	return {
		bytesPerSecond: pick('bytesPerSecond', options, fromEnv),
		imageSize: pick('imageSize', options, fromEnv) ?? defaultPace.imageSize,
		stepDelayMs: pick('stepDelayMs', options, fromEnv) ?? defaultPace.stepDelayMs,
	};
}
