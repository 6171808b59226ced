/**
 * toAppError: any failure of an SDK call (service errors, credential provider errors, network errors, aborts)
 * -> AppError {code, message, hint, requestId, retryable}. Wording comes from core's error catalogue; every
 * message and hint is run through redactSecrets with the session's secret key, session token and signatures.
 */
import {AppError, isAppError} from '../core/app-error.js';
import {describeAwsError, type ErrorDescription, isThrottlingCode, redactSecrets} from '../core/error-catalogue.js';

export type ErrorContext = {
	/** SDK operation (or step) that failed: "BundleInstance", "HeadBucket", "LoadCredentials"... */
	operation: string;
	region?: string | undefined;
	/** The bucket, key, instance, bundle or image the call was about. */
	resource?: string | undefined;
	/**
	 * The resource an error code is about when it is not `resource`: RegisterImage's InvalidAMIName.* is about the
	 * name, not the manifest; GetObject's NoSuchBucket is about the bucket, not the whole key.
	 */
	resourceFor?: ((code: string) => string | undefined) | undefined;
};

export type ToAppErrorContext = ErrorContext & {
	/** Values that must never appear in output (secret key, session token, policy signature). */
	secrets?: readonly string[] | undefined;
	/** The session talks to the sandbox: its refusal of a region it does not serve is not a credentials problem. */
	sandbox?: boolean | undefined;
};

const regionRefusals = new Set(['AuthFailure', 'AuthorizationHeaderMalformed', 'AuthorizationQueryParametersError']);

/**
 * The sandbox refuses a request signed for a region it does not serve with AWS's signature-scope error plus
 * "The sandbox serves <regions>." (AWS CLI users read that); bundledeck says it in its own words instead of
 * "could not validate your credentials". The region and the list as the sandbox gave them.
 */
function sandboxRegionRefusal(code: string, raw: string): {region: string | undefined; served: string} | undefined {
	if (!regionRefusals.has(code)) {
		return undefined;
	}

	const served = /the sandbox serves ([^.]+)\./i.exec(raw)?.[1];
	if (!served) {
		return undefined;
	}

	const region = /(?:not|the region) '([^']+)'/.exec(raw)?.[1];
	return {region, served};
}

type SdkErrorShape = {
	name?: unknown;
	message?: unknown;
	code?: unknown;
	Code?: unknown;
	RequestId?: unknown;
	RequestID?: unknown;
	$fault?: unknown;
	$retryable?: unknown;
	$metadata?: {requestId?: unknown; httpStatusCode?: unknown};
	$response?: {statusCode?: unknown; headers?: Record<string, string | undefined>};
};

const networkCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ETIMEDOUT',
	'EPIPE',
	'EPROTO',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ECONNABORTED',
	'UND_ERR_SOCKET',
]);

export function toAppError(error: unknown, context: ToAppErrorContext): AppError {
	if (isAppError(error)) {
		return error;
	}

	const secrets = (context.secrets ?? []).filter((secret) => secret.length > 0);
	const clean = (text: string) => redactSecrets(text, secrets);
	const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
	const name = stringOf(shape.name) ?? 'Error';
	const rawMessage = stringOf(shape.message) ?? (typeof error === 'string' ? error : '');
	const where = describeWhere(context);

	const status = numberOf(shape.$metadata?.httpStatusCode) ?? numberOf(shape.$response?.statusCode);
	const describe = (
		code: string,
		raw: string | undefined,
		resource: string | null = context.resourceFor?.(code) ?? context.resource ?? null,
	) =>
		describeAwsError(code, raw, {
			action: context.operation,
			region: context.region,
			resource: resource ?? undefined,
			httpStatus: status,
		});
	const build = (
		code: string,
		described: ErrorDescription,
		extra: {requestId?: string | undefined; message?: string},
	) =>
		new AppError({
			code,
			message: clean(extra.message ?? described.message),
			hint: described.hint ? clean(described.hint) : undefined,
			requestId: extra.requestId,
			retryable: described.retryable,
			cause: error,
		});

	if (name === 'AbortError' || shape.code === 'ABORT_ERR') {
		return build('Aborted', describe('Aborted', undefined), {message: `${context.operation}${where} was cancelled`});
	}

	if (isCredentialsError(name, rawMessage)) {
		return build('NoCredentials', describe('NoCredentials', rawMessage), {});
	}

	const networkCode = networkErrorCode(error);
	if (networkCode) {
		// The resource (a bucket, an instance) is not what could not be reached: leave it out of the sentence.
		const described = describe(networkCode, rawMessage, null);
		return build(
			'NetworkError',
			// A TLS mismatch (EPROTO) stays the same however often it is retried.
			{...described, retryable: networkCode !== 'EPROTO'},
			{message: `${described.message} (${networkCode} during ${context.operation}${where})`},
		);
	}

	const isServiceError = shape.$metadata !== undefined || shape.$fault !== undefined;
	if (!isServiceError) {
		const code = /deserialization error/i.test(rawMessage) ? 'InvalidResponse' : 'UnexpectedError';
		return build(code, describe(code, oneLine(rawMessage) || name), {});
	}

	const code = serviceCode(shape, name, status);
	const refusal = context.sandbox ? sandboxRegionRefusal(code, rawMessage) : undefined;
	if (refusal) {
		const described = describeAwsError('SandboxRegionNotServed', refusal.served, {
			action: context.operation,
			region: refusal.region ?? context.region,
		});
		return build('SandboxRegionNotServed', described, {requestId: requestIdOf(shape)});
	}

	const described = describe(code, rawMessage === 'UnknownError' ? '' : rawMessage);
	const retryable =
		described.retryable ||
		shape.$retryable !== undefined ||
		isThrottlingCode(code) ||
		(status !== undefined && status >= 500);
	return build(code, {...described, retryable}, {requestId: requestIdOf(shape)});
}

/** Service error code: the error's name (the SDK sets it from <Code>), else a name for bodiless HEAD errors. */
function serviceCode(shape: SdkErrorShape, name: string, status: number | undefined): string {
	const code = stringOf(shape.Code) ?? name;
	if (code && !['Error', 'Unknown', 'UnknownError'].includes(code) && !/^\d+$/.test(code)) {
		return code;
	}

	switch (status) {
		case 301: {
			return 'PermanentRedirect';
		}

		case 400: {
			return 'BadRequest';
		}

		case 403: {
			return 'AccessDenied';
		}

		case 404: {
			return 'NotFound';
		}

		case 503: {
			return 'ServiceUnavailable';
		}

		default: {
			return status !== undefined && status >= 500 ? 'InternalError' : 'UnknownError';
		}
	}
}

function requestIdOf(shape: SdkErrorShape): string | undefined {
	const headers = shape.$response?.headers ?? {};
	return (
		stringOf(shape.$metadata?.requestId) ??
		stringOf(shape.RequestId) ??
		stringOf(shape.RequestID) ??
		stringOf(headers['x-amzn-requestid']) ??
		stringOf(headers['x-amz-request-id'])
	);
}

function isCredentialsError(name: string, message: string): boolean {
	return (
		name === 'CredentialsProviderError' ||
		name === 'ProviderError' ||
		name === 'TokenProviderError' ||
		/could not load credentials/i.test(message)
	);
}

function networkErrorCode(error: unknown): string | undefined {
	for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
		const {code, name} = current as {code?: unknown; name?: unknown};
		if (typeof code === 'string' && networkCodes.has(code)) {
			return code;
		}

		if (name === 'TimeoutError') {
			return 'ETIMEDOUT';
		}

		current = (current as {cause?: unknown}).cause;
	}

	return undefined;
}

function describeWhere(context: ErrorContext): string {
	const parts = [context.resource, context.region ? `in ${context.region}` : undefined].filter(Boolean);
	return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

function oneLine(text: string): string {
	return text.replaceAll(/\s+/g, ' ').trim();
}

function stringOf(value: unknown): string | undefined {
	return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
	return typeof value === 'number' ? value : undefined;
}
