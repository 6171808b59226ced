/**
 * Enforcement of the S3 POST policy form, the way S3 checks it: the signature (version 2: HMAC-SHA1 of the base64
 * policy with the secret of AWSAccessKeyId; version 4: x-amz-signature, HMAC-SHA256 with the signing key of
 * x-amz-credential, as boto3's generate_presigned_post and the SDK's createPresignedPost send), expiration, every
 * condition (exact match, eq, starts-with, content-length-range), and "every form field must be covered by a
 * condition". Checked from the fields alone, before the file is read.
 */
import {createHmac} from 'node:crypto';
import {policySignatureMatches} from '../../core/upload-policy.js';
import {findAccountByAccessKey} from '../accounts.js';
import {type PostUploadForm, type SandboxAccount, SandboxError} from '../contracts.js';
import {signaturesEqual, signingKey} from '../sigv4.js';

type FieldValues = Record<string, string | undefined>;

function denied(message: string): SandboxError {
	return new SandboxError('AccessDenied', message, 403);
}

function policyFailed(condition: unknown): SandboxError {
	const text = Array.isArray(condition)
		? `[${condition.map((part) => JSON.stringify(part)).join(', ')}]`
		: JSON.stringify(condition);
	return denied(`Invalid according to Policy: Policy Condition failed: ${text}`);
}

function fieldName(raw: unknown, condition: unknown): string {
	if (typeof raw !== 'string' || !raw.startsWith('$') || raw.length < 2) {
		throw denied(
			`Invalid Policy: Invalid condition ${JSON.stringify(condition)}: the field must be named like "$key".`,
		);
	}

	return raw.slice(1).toLowerCase();
}

export type CheckedPost = {
	account: SandboxAccount;
	/** content-length-range: the file's size must be within [min, max] (checked while it streams). */
	lengthRange: [number, number] | undefined;
};

/** Fields that sign the form or are the file: no condition needs to name them. */
const uncoveredFields = new Set(['awsaccesskeyid', 'signature', 'policy', 'file', 'x-amz-signature']);

/** The account whose SigV4 key signed the policy (x-amz-* fields). */
function sigV4Signer(fields: Map<string, string>, policy: string, accounts: SandboxAccount[]): SandboxAccount {
	const algorithm = fields.get('x-amz-algorithm');
	const credential = fields.get('x-amz-credential') ?? '';
	const signature = fields.get('x-amz-signature');
	if (algorithm !== 'AWS4-HMAC-SHA256') {
		throw new SandboxError('InvalidArgument', `Unsupported x-amz-algorithm '${algorithm}': use AWS4-HMAC-SHA256.`, 400);
	}

	const [accessKeyId, date, region, service, terminal] = credential.split('/');
	if (!accessKeyId || !date || !region || service !== 's3' || terminal !== 'aws4_request' || !signature) {
		throw new SandboxError(
			'InvalidArgument',
			`Invalid x-amz-credential '${credential}' or missing x-amz-signature.`,
			400,
		);
	}

	const account = findAccountByAccessKey(accounts, accessKeyId);
	if (!account) {
		throw new SandboxError(
			'InvalidAccessKeyId',
			'The AWS Access Key Id you provided does not exist in our records.',
			403,
		);
	}

	const expected = createHmac('sha256', signingKey(account.secretAccessKey, {accessKeyId, date, region, service}))
		.update(policy)
		.digest('hex');
	if (!signaturesEqual(expected, signature)) {
		throw new SandboxError(
			'SignatureDoesNotMatch',
			'The request signature we calculated does not match the signature you provided.',
			403,
		);
	}

	return account;
}

/** Checks the signature and the policy; returns the account that signed it. Throws SandboxError otherwise. */
export function checkPostPolicy(form: PostUploadForm, accounts: SandboxAccount[], now: Date): CheckedPost {
	const fields = form.fields ?? new Map<string, string>();
	const sigV4 = fields.has('x-amz-algorithm') || fields.has('x-amz-signature');
	if (sigV4 && form.policy) {
		return checkPolicyDocument(form, fields, sigV4Signer(fields, form.policy, accounts), now);
	}

	if (!form.awsAccessKeyId || !form.policy || !form.signature) {
		const missing = [
			form.awsAccessKeyId ? undefined : 'AWSAccessKeyId',
			form.policy ? undefined : 'policy',
			form.signature ? undefined : 'signature',
		].filter(Boolean);
		throw denied(`Anonymous POST uploads are not allowed: the form has no ${missing.join(', ')} field.`);
	}

	const account = findAccountByAccessKey(accounts, form.awsAccessKeyId);
	if (!account) {
		throw new SandboxError(
			'InvalidAccessKeyId',
			'The AWS Access Key Id you provided does not exist in our records.',
			403,
		);
	}

	if (!policySignatureMatches(form.policy, form.signature, account.secretAccessKey)) {
		throw denied(
			`Invalid according to Policy: the signature does not match the policy signed with the secret key of ${account.accessKeyId}.`,
		);
	}

	return checkPolicyDocument(form, fields, account, now);
}

function checkPolicyDocument(
	form: PostUploadForm,
	fields: Map<string, string>,
	account: SandboxAccount,
	now: Date,
): CheckedPost {
	const policy = form.policy ?? '';
	let document: unknown;
	try {
		document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
	} catch {
		throw denied('Invalid Policy: the policy is not base64-encoded JSON.');
	}

	if (typeof document !== 'object' || document === null || Array.isArray(document)) {
		throw denied('Invalid Policy: the policy document must be a JSON object.');
	}

	const {expiration, conditions} = document as {expiration?: unknown; conditions?: unknown};
	if (typeof expiration !== 'string') {
		throw denied('Invalid Policy: Policy missing expiration.');
	}

	const expiresAt = Date.parse(expiration);
	if (Number.isNaN(expiresAt)) {
		throw denied(`Invalid Policy: Invalid 'expiration' value: '${expiration}'.`);
	}

	if (expiresAt <= now.getTime()) {
		throw denied('Invalid according to Policy: Policy expired.');
	}

	if (!Array.isArray(conditions)) {
		throw denied('Invalid Policy: Policy missing conditions.');
	}

	const values: FieldValues = {...Object.fromEntries(fields), bucket: form.bucket, key: form.key, acl: form.acl};
	const covered = new Set<string>();
	let lengthRange: [number, number] | undefined;
	for (const condition of conditions) {
		lengthRange = checkCondition(condition, values, covered) ?? lengthRange;
	}

	const present = new Set([
		...fields.keys(),
		...(['key', 'acl'] as const).filter((name) => values[name] !== undefined),
	]);
	const extra = [...present].filter(
		(name) => !uncoveredFields.has(name) && !name.startsWith('x-ignore-') && !covered.has(name),
	);
	if (extra.length > 0) {
		throw denied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
	}

	if (Buffer.isBuffer(form.body) && lengthRange) {
		checkLength(form.body.length, lengthRange);
	}

	return {account, lengthRange};
}

/** content-length-range, as S3 words it. */
export function checkLength(size: number, [min, max]: [number, number]): void {
	if (size < min || size > max) {
		throw new SandboxError(
			size > max ? 'EntityTooLarge' : 'EntityTooSmall',
			`Your proposed upload is ${size > max ? 'larger than the maximum' : 'smaller than the minimum'} allowed size.`,
			400,
		);
	}
}

function checkCondition(condition: unknown, values: FieldValues, covered: Set<string>): [number, number] | undefined {
	if (Array.isArray(condition)) {
		const [operator, first, second] = condition as unknown[];
		const op = typeof operator === 'string' ? operator.toLowerCase() : operator;
		if (op === 'content-length-range') {
			if (typeof first !== 'number' || typeof second !== 'number') {
				throw denied(`Invalid Policy: Invalid condition ${JSON.stringify(condition)}.`);
			}

			return [first, second];
		}

		if ((op !== 'eq' && op !== 'starts-with') || condition.length !== 3 || typeof second !== 'string') {
			throw denied(`Invalid Policy: Invalid condition ${JSON.stringify(condition)}.`);
		}

		const name = fieldName(first, condition);
		covered.add(name);
		const value = values[name];
		const ok = value !== undefined && (op === 'eq' ? value === second : value.startsWith(second));
		if (!ok) {
			throw policyFailed(condition);
		}

		return undefined;
	}

	if (typeof condition === 'object' && condition !== null) {
		for (const [rawName, expected] of Object.entries(condition)) {
			const name = rawName.toLowerCase();
			covered.add(name);
			if (typeof expected !== 'string' || values[name] !== expected) {
				throw policyFailed(['eq', `$${rawName}`, expected]);
			}
		}

		return undefined;
	}

	throw denied(`Invalid Policy: Invalid condition ${JSON.stringify(condition)}.`);
}
