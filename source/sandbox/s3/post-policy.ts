/**
 * Enforcement of the legacy (signature version 2) S3 POST policy form, the way S3 checks it:
 * signature (HMAC-SHA1 of the base64 policy with the secret of AWSAccessKeyId), expiration, and every condition
 * (exact match, eq, starts-with, content-length-range), plus "every form field must be covered by a condition".
 */
import {policySignatureMatches} from '../../core/upload-policy.js';
import {findAccountByAccessKey} from '../accounts.js';
import {type PostUploadForm, type SandboxAccount, SandboxError} from '../contracts.js';

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

/** Checks the signature and the policy; returns the account that signed it. Throws SandboxError otherwise. */
export function checkPostPolicy(form: PostUploadForm, accounts: SandboxAccount[], now: Date): SandboxAccount {
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

	let document: unknown;
	try {
		document = JSON.parse(Buffer.from(form.policy, 'base64').toString('utf8'));
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

	const values: FieldValues = {bucket: form.bucket, key: form.key, acl: form.acl};
	const covered = new Set<string>();
	for (const condition of conditions) {
		checkCondition(condition, values, form.body.length, covered);
	}

	const extra = ['key', 'acl'].filter((name) => values[name] !== undefined && !covered.has(name));
	if (extra.length > 0) {
		throw denied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
	}

	return account;
}

function checkCondition(condition: unknown, values: FieldValues, size: number, covered: Set<string>): void {
	if (Array.isArray(condition)) {
		const [operator, first, second] = condition as unknown[];
		const op = typeof operator === 'string' ? operator.toLowerCase() : operator;
		if (op === 'content-length-range') {
			if (typeof first !== 'number' || typeof second !== 'number') {
				throw denied(`Invalid Policy: Invalid condition ${JSON.stringify(condition)}.`);
			}

			if (size < first || size > second) {
				throw new SandboxError(
					size > second ? 'EntityTooLarge' : 'EntityTooSmall',
					`Your proposed upload is ${size > second ? 'larger than the maximum' : 'smaller than the minimum'} allowed size.`,
					400,
				);
			}

			return;
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

		return;
	}

	if (typeof condition === 'object' && condition !== null) {
		for (const [rawName, expected] of Object.entries(condition)) {
			const name = rawName.toLowerCase();
			covered.add(name);
			if (typeof expected !== 'string' || values[name] !== expected) {
				throw policyFailed(['eq', `$${rawName}`, expected]);
			}
		}

		return;
	}

	throw denied(`Invalid Policy: Invalid condition ${JSON.stringify(condition)}.`);
}
