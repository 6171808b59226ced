/** What every aws/ operation needs: the clients, the session's default region and the secrets to keep out of errors. */
import type {Mode} from '../core/types.js';
import type {ClientFactory} from './clients.js';
import {type ErrorContext, toAppError} from './errors.js';

export type AwsContext = {
	readonly mode: Mode;
	readonly clients: ClientFactory;
	readonly defaultRegion: string;
	/** Secret access key, session token (filled once credentials resolve): redacted from every message. */
	readonly secrets: Set<string>;
	/** Bucket name -> region, learned from HeadBucket / GetBucketLocation. */
	readonly bucketRegions: Map<string, string>;
};

/** Runs one AWS step; any failure leaves as an AppError (never a raw SDK error, never a secret). */
export async function attempt<T>(context: AwsContext, errorContext: ErrorContext, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		throw toAppError(error, {
			...errorContext,
			secrets: [...context.secrets],
			sandbox: context.mode === 'sandbox',
		});
	}
}

/** Resolves the credentials and remembers their secret parts for redaction. */
export async function activeCredentials(context: AwsContext) {
	const credentials = await context.clients.credentials();
	context.secrets.add(credentials.secretAccessKey);
	if (credentials.sessionToken) {
		context.secrets.add(credentials.sessionToken);
	}

	return credentials;
}
