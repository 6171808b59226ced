/** STS GetCallerIdentity: the one call that says whether the credentials themselves are good. */
import {GetCallerIdentityCommand, type GetCallerIdentityCommandOutput} from '@aws-sdk/client-sts';
import {type AwsContext, attempt} from './context.js';

/** Resolves with the identity, or throws the AppError that says what is wrong with the credentials. */
export async function verifyCredentials(context: AwsContext): Promise<GetCallerIdentityCommandOutput> {
	return attempt(context, {operation: 'GetCallerIdentity', region: context.defaultRegion}, async () =>
		context.clients.sts(context.defaultRegion).send(new GetCallerIdentityCommand({})),
	);
}
