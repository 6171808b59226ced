/**
 * The SDK's provider chain reports every profile problem as "Could not load credentials from any providers". Asking
 * the ini provider alone for the same profile gives the precise reason: a failing credential_process, a
 * source_profile cycle, expired process credentials.
 */
import {fromIni} from '@aws-sdk/credential-providers';
import {field} from './region.js';

/** The ini provider's own error for the profile when it is one of those precise reasons; undefined otherwise. */
export async function profileProblem(
	profile: string,
	env: NodeJS.ProcessEnv,
	region: string,
): Promise<Error | undefined> {
	const configFilepath = field(env, 'AWS_CONFIG_FILE');
	const filepath = field(env, 'AWS_SHARED_CREDENTIALS_FILE');
	try {
		await fromIni({
			profile,
			ignoreCache: true,
			...(configFilepath ? {configFilepath} : {}),
			...(filepath ? {filepath} : {}),
			clientConfig: {region},
		})();
		return undefined;
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		if (/Detected a cycle|returned expired credentials/i.test(message)) {
			return error as Error;
		}

		if (/^Command failed:/.test(message)) {
			// "Command failed: <command>\n<stderr>": the process's own last line says why (the command line is left out).
			const said =
				message
					.split('\n')
					.slice(1)
					.map((line) => line.trim())
					.filter(Boolean)
					.at(-1) ?? '';
			const failed = new Error(`Profile ${profile} credential_process failed: ${said.slice(0, 200)}`);
			failed.name = 'CredentialsProviderError';
			return failed;
		}

		return undefined;
	}
}
