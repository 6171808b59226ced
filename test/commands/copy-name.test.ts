import {describe, expect, test} from 'vitest';
import {sameRegionCopyName} from '../../source/commands/copy-name.js';
import {maxAmiNameLength, validateAmiName} from '../../source/core/validation.js';

describe('sameRegionCopyName', () => {
	test('"<name> (copy)", then the first free "(copy N)"', () => {
		expect(sameRegionCopyName('win2019 base', new Set())).toBe('win2019 base (copy)');
		expect(sameRegionCopyName('win2019 base', new Set(['win2019 base', 'win2019 base (copy)']))).toBe(
			'win2019 base (copy 2)',
		);
		expect(sameRegionCopyName('win2019 base', new Set(['win2019 base (copy)', 'win2019 base (copy 2)', 'other']))).toBe(
			'win2019 base (copy 3)',
		);
	});

	test('a 128-character name is shortened so the copy name is valid and at most 128 characters', () => {
		const long = 'a'.repeat(maxAmiNameLength);
		const name = sameRegionCopyName(long, new Set());
		expect(name).toBe(`${'a'.repeat(maxAmiNameLength - ' (copy)'.length)} (copy)`);
		expect(name).toHaveLength(maxAmiNameLength);
		expect(validateAmiName(name ?? '').ok).toBe(true);
		const second = sameRegionCopyName(long, new Set([name ?? '']));
		expect(second).toHaveLength(maxAmiNameLength);
		expect(second?.endsWith(' (copy 2)')).toBe(true);
		expect(second).not.toBe(name);
	});

	test('a name the copy cannot be based on gives undefined (the command then asks for --name)', () => {
		expect(sameRegionCopyName('bad\u0007name', new Set())).toBeUndefined();
	});
});
