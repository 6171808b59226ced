import {describe, expect, test} from 'vitest';
import {AppError, continueSentence} from '../../source/core/app-error.js';

describe('one sentence on one line', () => {
	test('the hint continues the message after " — " in lower case (was "— Check the …")', () => {
		const error = new AppError({
			code: 'X',
			message: 'The AMI ami-1 does not exist in us-east-1',
			hint: 'Check the AMI id.',
		});
		expect(error.toLine()).toBe('The AMI ami-1 does not exist in us-east-1 — check the AMI id.');
	});

	test('acronyms, API names and proper nouns keep their capitals', () => {
		expect(continueSentence('AWS could not validate your credentials')).toBe('AWS could not validate your credentials');
		expect(continueSentence('EC2 in us-east-1 needs the bundle there')).toBe('EC2 in us-east-1 needs the bundle there');
		expect(continueSentence('RegisterImage failed')).toBe('RegisterImage failed');
		expect(continueSentence('DryRun passed')).toBe('DryRun passed');
		expect(continueSentence('Windows only')).toBe('Windows only');
		expect(continueSentence('A store task writes its object')).toBe('a store task writes its object');
		expect(continueSentence('Its bundle is in S3')).toBe('its bundle is in S3');
		expect(continueSentence('')).toBe('');
	});
});
