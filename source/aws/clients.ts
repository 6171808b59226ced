/**
 * The client factory: one SDK client per service + region, created on first use and reused, all sharing one
 * credentials provider. The only place that configures @aws-sdk clients.
 */
import {EC2Client} from '@aws-sdk/client-ec2';
import {S3Client} from '@aws-sdk/client-s3';
import {STSClient} from '@aws-sdk/client-sts';
import {fromNodeProviderChain} from '@aws-sdk/credential-providers';
import type {AwsCredentialIdentity, AwsCredentialIdentityProvider, Logger} from '@smithy/types';
import {bodyRequestIdPlugin} from './body-request-id.js';
import {field} from './region.js';
import {type WarningReporter, warningLogger} from './sdk-warnings.js';

export type EndpointSource = string | (() => Promise<string>);

export type ExplicitCredentials = {accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined};

export type ClientFactoryOptions = {
	/** Used for credentials (and the SDK's own per-profile settings) when no explicit credentials are given. */
	profile?: string | undefined;
	/**
	 * --endpoint-url; when absent the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2 / _S3 handling applies.
	 * A function is asked before every request (the sandbox service may have moved to another port).
	 */
	endpointUrl?: EndpointSource | undefined;
	credentials?: ExplicitCredentials | undefined;
	env: NodeJS.ProcessEnv;
	/** Total attempts per call (first try + retries), default 5. */
	maxAttempts?: number | undefined;
	/** Region the credential providers' own clients (SSO, STS assume-role) use. */
	region: string;
	/** Where the SDK's warnings go, one line each (none: they are dropped). */
	onWarning?: WarningReporter | undefined;
};

export type ClientFactory = {
	ec2(region: string): EC2Client;
	s3(region: string): S3Client;
	sts(region: string): STSClient;
	/** Resolves (and refreshes when they expire) the active credentials. */
	credentials(): Promise<AwsCredentialIdentity>;
	close(): void;
};

export const defaultMaxAttempts = 5;

/** Socket timeouts: a dead endpoint is reported instead of hanging the dashboard. */
const requestHandler = {connectionTimeout: 5000, requestTimeout: 120_000};

export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
	// The SDK prints a "Node < 22 will lose support in 2027" process warning on first use: it would land in the
	// middle of the dashboard's frame. Node 20 is this tool's supported floor; an explicit setting is respected.
	process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
	const logger = warningLogger(options.onWarning);
	const provider = credentialsProvider(options, logger);
	const common = {
		credentials: provider,
		logger,
		retryMode: 'adaptive',
		maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
		requestHandler,
		...endpointConfig(options.endpointUrl),
		...(options.profile && !options.credentials ? {profile: options.profile} : {}),
	} as const;

	const ec2Clients = new Map<string, EC2Client>();
	const s3Clients = new Map<string, S3Client>();
	const stsClients = new Map<string, STSClient>();

	function cached<T>(map: Map<string, T>, region: string, create: () => T): T {
		let client = map.get(region);
		if (!client) {
			client = create();
			map.set(region, client);
		}

		return client;
	}

	return {
		ec2: (region) =>
			cached(ec2Clients, region, () => {
				const client = new EC2Client({...common, region});
				client.middlewareStack.use(bodyRequestIdPlugin);
				return client;
			}),
		// followRegionRedirects: a bucket in another region than the client answers 301 on real S3; the SDK
		// then retries against the bucket's own region instead of failing.
		s3: (region) => cached(s3Clients, region, () => new S3Client({...common, region, followRegionRedirects: true})),
		sts: (region) => cached(stsClients, region, () => new STSClient({...common, region})),
		credentials: async () => provider(),
		close() {
			for (const map of [ec2Clients, s3Clients, stsClients] as Array<Map<string, {destroy(): void}>>) {
				for (const client of map.values()) {
					client.destroy();
				}

				map.clear();
			}
		},
	};
}

/** The SDK takes a URL string or a provider of one (it parses either with toEndpointV1). */
function endpointConfig(source: EndpointSource | undefined): {endpoint?: string} {
	if (source === undefined || source === '') {
		return {};
	}

	return {endpoint: source as string};
}

function credentialsProvider(options: ClientFactoryOptions, logger: Logger): AwsCredentialIdentityProvider {
	const explicit = options.credentials;
	if (explicit) {
		const identity: AwsCredentialIdentity = {
			accessKeyId: explicit.accessKeyId,
			secretAccessKey: explicit.secretAccessKey,
			...(explicit.sessionToken ? {sessionToken: explicit.sessionToken} : {}),
		};
		return async () => identity;
	}

	const configFilepath = field(options.env, 'AWS_CONFIG_FILE');
	const filepath = field(options.env, 'AWS_SHARED_CREDENTIALS_FILE');
	return fromNodeProviderChain({
		...(options.profile ? {profile: options.profile} : {}),
		...(configFilepath ? {configFilepath} : {}),
		...(filepath ? {filepath} : {}),
		clientConfig: {region: options.region},
		logger,
	});
}
