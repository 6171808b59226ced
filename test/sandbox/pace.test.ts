import {describe, expect, test} from 'vitest';
import {defaultPace, mib, paceFromEnv, parseSize, resolvePace} from '../../source/sandbox/pace.js';

describe('sandbox pace', () => {
	test('default demo pace: 256 MiB at 8 MiB/s, 1.5 s steps', () => {
		expect(resolvePace(undefined, {})).toEqual({bytesPerSecond: 8 * mib, imageSize: 256 * mib, stepDelayMs: 1500});
		expect(defaultPace.imageSize / (defaultPace.bytesPerSecond ?? 1)).toBe(32);
	});

	test('sizes', () => {
		expect(parseSize('268435456')).toBe(256 * mib);
		expect(parseSize('256MiB')).toBe(256 * mib);
		expect(parseSize('8m')).toBe(8 * mib);
		expect(parseSize('1.5GiB')).toBe(1.5 * 1024 * mib);
		expect(parseSize('lots')).toBeUndefined();
		expect(parseSize('12 parsecs')).toBeUndefined();
	});

	test('environment, and options winning over it (bytesPerSecond: undefined means full speed)', () => {
		const env = {
			BUNDLEDECK_SANDBOX_BYTES_PER_SECOND: '2MiB',
			BUNDLEDECK_SANDBOX_IMAGE_SIZE: '64MiB',
			BUNDLEDECK_SANDBOX_STEP_DELAY_MS: '5',
		};
		expect(resolvePace(undefined, env)).toEqual({bytesPerSecond: 2 * mib, imageSize: 64 * mib, stepDelayMs: 5});
		expect(resolvePace({bytesPerSecond: undefined}, env)).toEqual({
			bytesPerSecond: undefined,
			imageSize: 64 * mib,
			stepDelayMs: 5,
		});
		expect(paceFromEnv({BUNDLEDECK_SANDBOX_BYTES_PER_SECOND: 'max'})).toEqual({bytesPerSecond: undefined});
		expect(paceFromEnv({BUNDLEDECK_SANDBOX_BYTES_PER_SECOND: 'fast'})).toEqual({});
	});
});
