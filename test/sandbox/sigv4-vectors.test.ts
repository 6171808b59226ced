import {describe, expect, test} from 'vitest';
import {emptySha256, parseAuth, verifySigV4} from '../../source/sandbox/sigv4.js';

// From the AWS Signature Version 4 test suite ("get-vanilla", "get-vanilla-query-order-key-case"); the keys are the
// suite's documented example keys, used only here.
const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const now = new Date('2015-08-30T12:36:00Z');

function request(url: string, signature: string) {
	return {
		method: 'GET',
		url,
		rawHeaders: [
			'Host',
			'example.amazonaws.com',
			'X-Amz-Date',
			'20150830T123600Z',
			'Authorization',
			`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
		],
	};
}

function verify(url: string, signature: string, at = now) {
	const parts = request(url, signature);
	const parsed = parseAuth(parts);
	if (parsed.kind !== 'signed') {
		throw new Error(`not parsed: ${parsed.kind}`);
	}

	return verifySigV4(parts, parsed.auth, secret, emptySha256, at);
}

describe('SigV4 test suite vectors', () => {
	test('get-vanilla verifies; one changed character does not', () => {
		expect(verify('/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')).toBeUndefined();
		expect(verify('/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30')).toMatchObject({
			kind: 'mismatch',
		});
	});

	test('get-vanilla-query-order-key-case: query parameters are sorted by name', () => {
		expect(
			verify('/?Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'),
		).toBeUndefined();
	});

	test('the same signature 16 minutes later is refused as skewed', () => {
		expect(
			verify(
				'/',
				'5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
				new Date(now.getTime() + 16 * 60_000),
			),
		).toMatchObject({kind: 'skewed'});
	});
});
