/** STS (AWS Query, 2011-06-15): GetCallerIdentity, so clients can show which account they talk to. */
import {accountArn} from '../accounts.js';
import {type SandboxAccount, SandboxError} from '../contracts.js';
import {stsNamespace} from '../error-documents.js';
import {el, xmlDeclaration} from '../xml.js';

/** The IAM user id S3/STS report for the account's user (AIDA + 17 characters). */
export function userIdOf(account: SandboxAccount): string {
	return `AIDA${account.accessKeyId.slice(4).padEnd(17, '0').slice(0, 17)}`;
}

export function handleSts(action: string | undefined, account: SandboxAccount, requestId: string): string {
	if (action !== 'GetCallerIdentity') {
		throw new SandboxError(
			'InvalidAction',
			action
				? `Could not find operation ${action} for version 2011-06-15 (the sandbox implements GetCallerIdentity only).`
				: 'The request must contain the parameter Action.',
			400,
		);
	}

	return (
		xmlDeclaration +
		`<GetCallerIdentityResponse xmlns="${stsNamespace}"><GetCallerIdentityResult>` +
		`${el('Arn', accountArn(account))}${el('UserId', userIdOf(account))}${el('Account', account.id)}` +
		`</GetCallerIdentityResult><ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></GetCallerIdentityResponse>`
	);
}
