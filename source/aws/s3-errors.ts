/** Small readers for S3 SDK errors: HTTP status and the x-amz-bucket-region header of a failed response. */

type ErrorShape = {
	name?: unknown;
	$metadata?: {httpStatusCode?: unknown};
	$response?: {statusCode?: unknown; headers?: Record<string, string | undefined>};
};

export function httpStatus(error: unknown): number | undefined {
	if (typeof error !== 'object' || error === null) {
		return undefined;
	}

	const shape = error as ErrorShape;
	const status = shape.$metadata?.httpStatusCode ?? shape.$response?.statusCode;
	return typeof status === 'number' ? status : undefined;
}

export function errorName(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) {
		return undefined;
	}

	const {name} = error as ErrorShape;
	return typeof name === 'string' ? name : undefined;
}

export function isNotFound(error: unknown): boolean {
	const name = errorName(error);
	return httpStatus(error) === 404 || name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchBucket';
}

export function bucketRegionHeader(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) {
		return undefined;
	}

	const headers = (error as ErrorShape).$response?.headers;
	return headers?.['x-amz-bucket-region'] || undefined;
}
