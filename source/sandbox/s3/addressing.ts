/**
 * Which bucket and key an S3 request addresses. Path style: http://127.0.0.1:PORT/bucket/key.
 * Virtual-host style: Host bucket.localhost:PORT (what the SDK sends for an http://localhost:PORT endpoint),
 * bucket.s3.localhost, or bucket.127.0.0.1 (for clients told to resolve it).
 */
import {SandboxError} from '../contracts.js';

export type S3Address = {bucket: string | undefined; key: string | undefined; style: 'path' | 'virtual'};

const virtualHostSuffixes = ['.s3.localhost', '.localhost', '.s3.127.0.0.1', '.127.0.0.1'];

function hostName(host: string | undefined): string {
	if (!host) {
		return '';
	}

	if (host.startsWith('[')) {
		return host.slice(0, host.indexOf(']') + 1).toLowerCase();
	}

	const index = host.lastIndexOf(':');
	return (index === -1 ? host : host.slice(0, index)).toLowerCase();
}

/** The bucket named by a virtual-host style Host header, or undefined for a path-style host. */
export function virtualHostBucket(host: string | undefined): string | undefined {
	const name = hostName(host);
	const suffix = virtualHostSuffixes.find((s) => name.endsWith(s) && name.length > s.length);
	if (!suffix) {
		return undefined;
	}

	const bucket = name.slice(0, -suffix.length);
	return bucket === 's3' ? undefined : bucket;
}

function decode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		throw new SandboxError('InvalidURI', "Couldn't parse the specified URI.", 400);
	}
}

export function resolveS3Address(host: string | undefined, rawPath: string): S3Address {
	const path = rawPath === '' ? '/' : rawPath;
	const bucket = virtualHostBucket(host);
	if (bucket !== undefined) {
		const key = path.slice(1);
		return {bucket, key: key === '' ? undefined : decode(key), style: 'virtual'};
	}

	const rest = path.slice(1);
	if (rest === '') {
		return {bucket: undefined, key: undefined, style: 'path'};
	}

	const index = rest.indexOf('/');
	if (index === -1) {
		return {bucket: decode(rest), key: undefined, style: 'path'};
	}

	const key = rest.slice(index + 1);
	return {bucket: decode(rest.slice(0, index)), key: key === '' ? undefined : decode(key), style: 'path'};
}
