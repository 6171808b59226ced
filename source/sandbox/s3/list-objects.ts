/** ListObjects / ListObjectsV2 paging: prefix, delimiter -> common prefixes, max-keys, marker / continuation. */
import type {StoredObjectDetails} from './object-store.js';

export type ListPage = {
	contents: StoredObjectDetails[];
	commonPrefixes: string[];
	isTruncated: boolean;
	/** The last key or common prefix returned (the next marker) */
	last: string | undefined;
};

export function listPage(
	sorted: StoredObjectDetails[],
	options: {prefix: string; delimiter: string | undefined; after: string | undefined; maxKeys: number},
): ListPage {
	const {prefix, delimiter, after, maxKeys} = options;
	const contents: StoredObjectDetails[] = [];
	const commonPrefixes: string[] = [];
	let last: string | undefined;
	let isTruncated = false;
	const afterBytes = after === undefined ? undefined : Buffer.from(after, 'utf8');
	for (const object of sorted) {
		if (!object.key.startsWith(prefix)) {
			continue;
		}

		if (afterBytes && Buffer.compare(Buffer.from(object.key, 'utf8'), afterBytes) <= 0) {
			continue;
		}

		let commonPrefix: string | undefined;
		if (delimiter) {
			const index = object.key.indexOf(delimiter, prefix.length);
			if (index !== -1) {
				commonPrefix = object.key.slice(0, index + delimiter.length);
			}
		}

		// Keys under a common prefix already returned (in this page or an earlier one) are folded into it.
		if (commonPrefix !== undefined && (commonPrefix === last || commonPrefix === after)) {
			continue;
		}

		if (contents.length + commonPrefixes.length >= maxKeys) {
			isTruncated = true;
			break;
		}

		if (commonPrefix === undefined) {
			contents.push(object);
			last = object.key;
		} else {
			commonPrefixes.push(commonPrefix);
			last = commonPrefix;
		}
	}

	return {contents, commonPrefixes, isTruncated, last};
}

export function encodeContinuationToken(marker: string): string {
	return Buffer.from(JSON.stringify({after: marker}), 'utf8').toString('base64');
}

export function decodeContinuationToken(token: string): string | undefined {
	try {
		const value = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {after?: unknown};
		return typeof value.after === 'string' ? value.after : undefined;
	} catch {
		return undefined;
	}
}
