import {describe, expect, test} from 'vitest';
import {
	buildUploadPolicyJson,
	bundleAcl,
	defaultPolicyLifetimeMs,
	formatPolicyTime,
	policySignatureMatches,
	signPolicyBase64,
	signUploadPolicy,
} from '../../source/core/upload-policy.js';

// The reference test vector (shared/reference/aws-bundling.md, "Upload policy").
const vector = {
	bucket: 'mybucket',
	prefix: 'winami',
	expiration: new Date('2030-01-01T00:00:00Z'),
	secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
	json: '{"expiration": "2030-01-01T00:00:00Z","conditions": [{"bucket": "mybucket"},{"acl": "ec2-bundle-read"},["starts-with", "$key", "winami"]]}',
	base64:
		'eyJleHBpcmF0aW9uIjogIjIwMzAtMDEtMDFUMDA6MDA6MDBaIiwiY29uZGl0aW9ucyI6IFt7ImJ1Y2tldCI6ICJteWJ1Y2tldCJ9LHsiYWNsIjogImVjMi1idW5kbGUtcmVhZCJ9LFsic3RhcnRzLXdpdGgiLCAiJGtleSIsICJ3aW5hbWkiXV19',
	signature: '0g+EiGGuFlHHy+I/tcGYFsORXcs=',
};

describe('upload policy', () => {
	test('reproduces the reference test vector exactly', () => {
		const signed = signUploadPolicy(
			{bucket: vector.bucket, prefix: vector.prefix, expiration: vector.expiration},
			vector.secret,
		);
		expect(signed.json).toBe(vector.json);
		expect(signed.base64).toBe(vector.base64);
		expect(signed.signature).toBe(vector.signature);
		expect(signed.expiration).toEqual(vector.expiration);
	});

	test('the raw JSON field is the decoded base64 (what the SDK Blob takes, never base64 text)', () => {
		const signed = signUploadPolicy(
			{bucket: vector.bucket, prefix: vector.prefix, expiration: vector.expiration},
			vector.secret,
		);
		expect(Buffer.from(signed.base64, 'base64').toString('utf8')).toBe(signed.json);
		expect(signed.json.startsWith('{')).toBe(true);
		const parsed = JSON.parse(signed.json) as {expiration: string; conditions: unknown[]};
		expect(parsed).toEqual({
			expiration: '2030-01-01T00:00:00Z',
			conditions: [{bucket: 'mybucket'}, {acl: bundleAcl}, ['starts-with', '$key', 'winami']],
		});
	});

	test('signPolicyBase64 signs the base64 text, not the JSON', () => {
		expect(signPolicyBase64(vector.base64, vector.secret)).toBe(vector.signature);
		expect(signPolicyBase64(vector.json, vector.secret)).not.toBe(vector.signature);
	});

	test.each([
		[new Date('2030-01-01T00:00:00.000Z'), '2030-01-01T00:00:00Z'],
		[new Date('2026-11-23T14:02:09.789Z'), '2026-11-23T14:02:09Z'],
		[new Date(Date.UTC(2027, 0, 5, 3, 4, 5)), '2027-01-05T03:04:05Z'],
	])('expiry %s is written without milliseconds as %s', (date, expected) => {
		expect(formatPolicyTime(date)).toBe(expected);
		expect(buildUploadPolicyJson({bucket: 'b', prefix: 'p', expiration: date})).toContain(
			`{"expiration": "${expected}",`,
		);
	});

	test('default lifetime is 24 hours', () => {
		expect(defaultPolicyLifetimeMs).toBe(24 * 60 * 60 * 1000);
	});

	test('bucket, prefix and a custom acl are JSON-escaped into the conditions', () => {
		const json = buildUploadPolicyJson({
			bucket: 'b',
			prefix: 'we"ird\\pre',
			expiration: vector.expiration,
			acl: 'aws-exec-read',
		});
		const parsed = JSON.parse(json) as {conditions: unknown[]};
		expect(parsed.conditions).toEqual([{bucket: 'b'}, {acl: 'aws-exec-read'}, ['starts-with', '$key', 'we"ird\\pre']]);
	});

	test('different inputs give different signatures', () => {
		const base = {bucket: vector.bucket, prefix: vector.prefix, expiration: vector.expiration};
		const reference = signUploadPolicy(base, vector.secret).signature;
		expect(signUploadPolicy({...base, prefix: 'winami2'}, vector.secret).signature).not.toBe(reference);
		expect(signUploadPolicy({...base, bucket: 'otherbucket'}, vector.secret).signature).not.toBe(reference);
		expect(signUploadPolicy(base, `${vector.secret}x`).signature).not.toBe(reference);
	});
});

describe('policySignatureMatches', () => {
	test('accepts the right signature', () => {
		expect(policySignatureMatches(vector.base64, vector.signature, vector.secret)).toBe(true);
	});

	test.each([
		['a wrong secret', vector.base64, vector.signature, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ'],
		['a tampered policy', `${vector.base64.slice(0, -2)}fQ`, vector.signature, vector.secret],
		['a tampered signature', vector.base64, '1g+EiGGuFlHHy+I/tcGYFsORXcs=', vector.secret],
		['a truncated signature', vector.base64, vector.signature.slice(0, -1), vector.secret],
		['an empty signature', vector.base64, '', vector.secret],
		['a longer signature', vector.base64, `${vector.signature}=`, vector.secret],
	])('rejects %s', (_label, policy, signature, secret) => {
		expect(policySignatureMatches(policy, signature, secret)).toBe(false);
	});
});
