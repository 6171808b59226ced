/**
 * AWS Signature Version 4 verification, header auth and presigned query auth, computed from the request as it
 * arrived (method, raw path and query, the signed headers' raw values, the payload hash).
 */
import {createHash, createHmac, timingSafeEqual} from 'node:crypto';

export const emptySha256 = createHash('sha256').digest('hex');
const algorithm = 'AWS4-HMAC-SHA256';
const maxSkewMs = 15 * 60 * 1000;
const maxPresignedExpiresSeconds = 7 * 24 * 60 * 60;

export type SigV4Credential = {
	accessKeyId: string;
	/** yyyymmdd */
	date: string;
	region: string;
	service: string;
};

export type SigV4Auth = SigV4Credential & {
	kind: 'header' | 'query';
	signedHeaders: string[];
	signature: string;
	/** yyyymmddThhmmssZ */
	amzDate: string;
	/** Presigned URLs: seconds of validity */
	expires: number | undefined;
};

export type AuthParse =
	| {kind: 'none'}
	| {kind: 'malformed'; message: string; credential: Partial<SigV4Credential> | undefined}
	| {kind: 'signed'; auth: SigV4Auth};

export type RequestParts = {
	method: string;
	/** The request target exactly as received: path and query */
	url: string;
	/** node's req.rawHeaders: [name, value, name, value, ...] */
	rawHeaders: string[];
};

export type VerifyFailure = {kind: 'expired' | 'skewed' | 'mismatch' | 'malformed'; message: string};

export function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: string | Uint8Array, data: string): Buffer {
	return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signingKey(secretAccessKey: string, credential: SigV4Credential): Buffer {
	const kDate = hmac(`AWS4${secretAccessKey}`, credential.date);
	const kRegion = hmac(kDate, credential.region);
	const kService = hmac(kRegion, credential.service);
	return hmac(kService, 'aws4_request');
}

export function credentialScope(credential: SigV4Credential): string {
	return `${credential.date}/${credential.region}/${credential.service}/aws4_request`;
}

export function signaturesEqual(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

function headerValues(rawHeaders: string[], name: string): string[] {
	const values: string[] = [];
	for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
		if (rawHeaders[index]!.toLowerCase() === name) {
			values.push(rawHeaders[index + 1]!);
		}
	}

	return values;
}

export function firstHeader(rawHeaders: string[], name: string): string | undefined {
	return headerValues(rawHeaders, name)[0];
}

function splitTarget(url: string): {path: string; query: string} {
	const index = url.indexOf('?');
	return index === -1 ? {path: url, query: ''} : {path: url.slice(0, index), query: url.slice(index + 1)};
}

export function encodeRfc3986(value: string): string {
	return encodeURIComponent(value).replaceAll(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Raw query string -> decoded [name, value] pairs, in order. Throws URIError on a malformed escape. */
export function parseRawQuery(query: string): Array<[string, string]> {
	if (query === '') {
		return [];
	}

	return query
		.split('&')
		.filter((part) => part !== '')
		.map((part) => {
			const index = part.indexOf('=');
			const name = index === -1 ? part : part.slice(0, index);
			const value = index === -1 ? '' : part.slice(index + 1);
			return [decodeURIComponent(name), decodeURIComponent(value)];
		});
}

function parseCredential(text: string): SigV4Credential | undefined {
	const parts = text.split('/');
	if (parts.length !== 5 || parts[4] !== 'aws4_request') {
		return undefined;
	}

	const [accessKeyId, date, region, service] = parts as [string, string, string, string];
	if (!accessKeyId || !/^\d{8}$/.test(date) || !region || !service) {
		return undefined;
	}

	return {accessKeyId, date, region, service};
}

function partialCredential(text: string | undefined): Partial<SigV4Credential> | undefined {
	if (!text) {
		return undefined;
	}

	const [accessKeyId, date, region, service] = text.split('/');
	return {accessKeyId, date, region, service};
}

/** Finds and parses the SigV4 authentication of a request (Authorization header or X-Amz-* query parameters). */
export function parseAuth(request: RequestParts): AuthParse {
	const authorization = firstHeader(request.rawHeaders, 'authorization');
	const {query} = splitTarget(request.url);
	let params: Array<[string, string]>;
	try {
		params = parseRawQuery(query);
	} catch {
		params = [];
	}

	const queryParam = (name: string) => params.find(([key]) => key === name)?.[1];

	if (authorization !== undefined) {
		if (!authorization.startsWith(`${algorithm} `)) {
			return {
				kind: 'malformed',
				message: authorization.startsWith('AWS ')
					? 'Signature version 2 is not supported; sign requests with AWS Signature Version 4 (AWS4-HMAC-SHA256).'
					: `The authorization header must use ${algorithm}.`,
				credential: undefined,
			};
		}

		const fields = new Map<string, string>();
		for (const item of authorization.slice(algorithm.length + 1).split(',')) {
			const index = item.indexOf('=');
			if (index > 0) {
				fields.set(item.slice(0, index).trim(), item.slice(index + 1).trim());
			}
		}

		const credentialText = fields.get('Credential');
		const credential = credentialText ? parseCredential(credentialText) : undefined;
		const signedHeaders = fields.get('SignedHeaders');
		const signature = fields.get('Signature');
		const amzDate = firstHeader(request.rawHeaders, 'x-amz-date');
		if (!credential || !signedHeaders || !signature) {
			return {
				kind: 'malformed',
				message:
					'The authorization header is malformed; it must contain Credential=AKID/yyyymmdd/region/service/aws4_request, SignedHeaders and Signature.',
				credential: partialCredential(credentialText),
			};
		}

		if (!amzDate) {
			return {
				kind: 'malformed',
				message: 'The request is missing the X-Amz-Date header that SigV4 signs.',
				credential,
			};
		}

		return {
			kind: 'signed',
			auth: {
				...credential,
				kind: 'header',
				signedHeaders: signedHeaders.split(';'),
				signature,
				amzDate,
				expires: undefined,
			},
		};
	}

	const queryAlgorithm = queryParam('X-Amz-Algorithm');
	if (queryAlgorithm === undefined) {
		return {kind: 'none'};
	}

	const credentialText = queryParam('X-Amz-Credential');
	const credential = credentialText ? parseCredential(credentialText) : undefined;
	const signedHeaders = queryParam('X-Amz-SignedHeaders');
	const signature = queryParam('X-Amz-Signature');
	const amzDate = queryParam('X-Amz-Date');
	const expires = Number(queryParam('X-Amz-Expires') ?? Number.NaN);
	if (queryAlgorithm !== algorithm || !credential || !signedHeaders || !signature || !amzDate) {
		return {
			kind: 'malformed',
			message:
				'The presigned URL is malformed; it must contain X-Amz-Algorithm=AWS4-HMAC-SHA256, X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Signature.',
			credential: partialCredential(credentialText),
		};
	}

	if (!Number.isInteger(expires) || expires < 1 || expires > maxPresignedExpiresSeconds) {
		return {
			kind: 'malformed',
			message: `X-Amz-Expires must be a whole number of seconds between 1 and ${maxPresignedExpiresSeconds}.`,
			credential,
		};
	}

	return {
		kind: 'signed',
		auth: {...credential, kind: 'query', signedHeaders: signedHeaders.split(';'), signature, amzDate, expires},
	};
}

export function parseAmzDate(value: string): Date | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
	if (!match) {
		return undefined;
	}

	const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
	return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

function canonicalUri(path: string, service: string): string {
	if (path === '') {
		return '/';
	}

	if (service === 's3') {
		return path;
	}

	const segments: string[] = [];
	for (const segment of path.split('/')) {
		if (segment === '' || segment === '.') {
			continue;
		}

		if (segment === '..') {
			segments.pop();
		} else {
			segments.push(segment);
		}
	}

	const normalized = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
	return encodeURIComponent(normalized).replaceAll('%2F', '/');
}

function canonicalQuery(query: string, kind: 'header' | 'query'): string {
	return parseRawQuery(query)
		.filter(([name]) => kind === 'header' || name !== 'X-Amz-Signature')
		.map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
		.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
		.map(([name, value]) => `${name}=${value}`)
		.join('&');
}

export function canonicalRequest(request: RequestParts, auth: SigV4Auth, payloadHash: string): string {
	const {path, query} = splitTarget(request.url);
	const headers = auth.signedHeaders
		.map((name) => {
			const value = headerValues(request.rawHeaders, name)
				.map((v) => v.trim().replaceAll(/\s+/g, ' '))
				.join(',');
			return `${name}:${value}\n`;
		})
		.join('');
	return [
		request.method,
		canonicalUri(path, auth.service),
		canonicalQuery(query, auth.kind),
		headers,
		auth.signedHeaders.join(';'),
		payloadHash,
	].join('\n');
}

export function stringToSign(auth: SigV4Auth, canonical: string): string {
	return [algorithm, auth.amzDate, credentialScope(auth), sha256Hex(canonical)].join('\n');
}

/**
 * Checks the request's time and recomputes its signature with the secret. payloadHash: for S3 the
 * x-amz-content-sha256 value (or UNSIGNED-PAYLOAD for presigned URLs), for the Query APIs the body's SHA-256.
 */
export function verifySigV4(
	request: RequestParts,
	auth: SigV4Auth,
	secretAccessKey: string,
	payloadHash: string,
	now: Date,
): VerifyFailure | undefined {
	const signedAt = parseAmzDate(auth.amzDate);
	if (!signedAt) {
		return {kind: 'malformed', message: `X-Amz-Date '${auth.amzDate}' is not in the form yyyymmddThhmmssZ.`};
	}

	if (!auth.amzDate.startsWith(auth.date)) {
		return {
			kind: 'malformed',
			message: `The credential date ${auth.date} does not match the request date ${auth.amzDate.slice(0, 8)}.`,
		};
	}

	if (!auth.signedHeaders.includes('host')) {
		return {kind: 'malformed', message: 'The host header must be among the signed headers.'};
	}

	if (auth.kind === 'query') {
		if (now.getTime() > signedAt.getTime() + (auth.expires ?? 0) * 1000) {
			return {kind: 'expired', message: 'Request has expired'};
		}

		if (signedAt.getTime() - now.getTime() > maxSkewMs) {
			return {kind: 'skewed', message: 'The request was signed more than 15 minutes in the future.'};
		}
	} else if (Math.abs(now.getTime() - signedAt.getTime()) > maxSkewMs) {
		return {
			kind: 'skewed',
			message: `The difference between the request time (${signedAt.toISOString()}) and the current time (${now.toISOString()}) is too large.`,
		};
	}

	let canonical: string;
	try {
		canonical = canonicalRequest(request, auth, payloadHash);
	} catch {
		return {kind: 'malformed', message: 'The query string contains a malformed percent-encoding.'};
	}

	const expected = createHmac('sha256', signingKey(secretAccessKey, auth))
		.update(stringToSign(auth, canonical), 'utf8')
		.digest('hex');
	if (!signaturesEqual(expected, auth.signature)) {
		return {
			kind: 'mismatch',
			message:
				'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
		};
	}

	return undefined;
}
