/**
 * The S3 upload policy that BundleInstance hands to EC2, built and signed exactly like the AWS CLI does.
 * policyBase64 = base64(utf8(json)); signature = base64(HMAC-SHA1(secret, policyBase64)).
 * Pure: node:crypto only (no I/O).
 */
import {nodeCrypto} from './crypto-on-demand.js';

export const bundleAcl = 'ec2-bundle-read';
export const defaultPolicyLifetimeMs = 24 * 60 * 60 * 1000;

export type UploadPolicyInput = {
	bucket: string;
	prefix: string;
	expiration: Date;
	acl?: string | undefined;
};

export type SignedUploadPolicy = {
	/** The raw policy JSON: what the SDK's Blob field takes (it base64-encodes it itself). */
	json: string;
	base64: string;
	signature: string;
	expiration: Date;
};

/** ISO-8601 without milliseconds, as AWS writes it: 2030-01-01T00:00:00Z */
export function formatPolicyTime(date: Date): string {
	return `${date.toISOString().slice(0, 19)}Z`;
}

export function buildUploadPolicyJson(input: UploadPolicyInput): string {
	const acl = input.acl ?? bundleAcl;
	return (
		`{"expiration": ${JSON.stringify(formatPolicyTime(input.expiration))},` +
		`"conditions": [{"bucket": ${JSON.stringify(input.bucket)}},{"acl": ${JSON.stringify(acl)}},` +
		`["starts-with", "$key", ${JSON.stringify(input.prefix)}]]}`
	);
}

export function signPolicyBase64(policyBase64: string, secretAccessKey: string): string {
	return nodeCrypto().createHmac('sha1', secretAccessKey).update(policyBase64, 'utf8').digest('base64');
}

export function signUploadPolicy(input: UploadPolicyInput, secretAccessKey: string): SignedUploadPolicy {
	const json = buildUploadPolicyJson(input);
	const base64 = Buffer.from(json, 'utf8').toString('base64');
	return {json, base64, signature: signPolicyBase64(base64, secretAccessKey), expiration: input.expiration};
}

/** Constant-time check of a policy signature (used by the sandbox's S3 POST endpoint). */
export function policySignatureMatches(policyBase64: string, signature: string, secretAccessKey: string): boolean {
	const expected = Buffer.from(signPolicyBase64(policyBase64, secretAccessKey));
	const given = Buffer.from(signature);
	return expected.length === given.length && nodeCrypto().timingSafeEqual(expected, given);
}
