import {describe, expect, test} from 'vitest';
import {fitPhrases} from '../../source/ui/components/fit-phrases.js';

const phrases = [
	{text: 'Choose the instance to take into S3 in us-east-1', short: 'Instances in us-east-1', drop: 2 as const},
	{text: 'filter: web01'},
	{text: '1 of 1 can go: 1 bundle, 0 image → S3 (11 in all)'},
	{text: 'a: your AMIs', drop: 1 as const},
];

describe('fitPhrases', () => {
	test('long forms when they fit, then short forms, then without what may go, on one line', () => {
		expect(fitPhrases(phrases, 200)).toEqual([
			'Choose the instance to take into S3 in us-east-1 · filter: web01 · 1 of 1 can go: 1 bundle, 0 image → S3 (11 in all) · a: your AMIs',
		]);
		expect(fitPhrases(phrases, 110)).toEqual([
			'Instances in us-east-1 · filter: web01 · 1 of 1 can go: 1 bundle, 0 image → S3 (11 in all) · a: your AMIs',
		]);
		expect(fitPhrases(phrases, 66)).toEqual(['filter: web01 · 1 of 1 can go: 1 bundle, 0 image → S3 (11 in all)']);
	});

	test('too wide even so: more lines, broken between phrases only', () => {
		expect(fitPhrases(phrases, 60)).toEqual([
			'Instances in us-east-1 · filter: web01',
			'1 of 1 can go: 1 bundle, 0 image → S3 (11 in all)',
		]);
		// A phrase wider than the terminal is the one thing wrapped inside.
		expect(fitPhrases([{text: 'filter: a-very-long-filter'}, {text: 'b c'}], 12)).toEqual([
			'filter: a-ve',
			'ry-long-filt',
			'er · b c',
		]);
	});
});
