/**
 * The sandbox's accounts. Their keys are local throwaway keys that only this sandbox accepts; they are printed by
 * `bundledeck sandbox` on purpose so other clients (AWS CLI) can use them.
 */
import type {SandboxAccount, SandboxRegion} from './contracts.js';

export const defaultAccount: SandboxAccount = {
	id: '210987654321',
	name: 'sandbox',
	accessKeyId: 'AKIASANDBOXLOCAL0001',
	secretAccessKey: 'bundledeckSandboxLocalOnlySecretKey00001',
};

/** A second account: owns a bucket, so "the bucket belongs to another account" can be exercised. */
export const otherAccount: SandboxAccount = {
	id: '345678901234',
	name: 'other-account',
	accessKeyId: 'AKIASANDBOXOTHER0002',
	secretAccessKey: 'bundledeckSandboxOtherAccountSecretKey02',
};

export const sandboxAccounts: SandboxAccount[] = [defaultAccount, otherAccount];

/** Buckets seeded at every start (when missing) for the other account. */
export const seededForeignBuckets: Array<{name: string; region: SandboxRegion; ownerId: string}> = [
	{name: 'bundledeck-other-account-bucket', region: 'us-east-1', ownerId: otherAccount.id},
];

export function findAccountByAccessKey(accounts: SandboxAccount[], accessKeyId: string): SandboxAccount | undefined {
	return accounts.find((account) => account.accessKeyId === accessKeyId);
}

export function findAccountById(accounts: SandboxAccount[], id: string): SandboxAccount | undefined {
	return accounts.find((account) => account.id === id);
}

/** The IAM-style ARN the sandbox reports for an account (GetCallerIdentity). */
export function accountArn(account: SandboxAccount): string {
	return `arn:aws:iam::${account.id}:user/${account.name}`;
}
