/** Which S3 REST operation a request is (method + bucket/key + sub-resource), as S3 and the request log name it. */
import type {S3Address} from './addressing.js';

/** Sub-resources the sandbox does not implement (answered with NotImplemented). */
const unsupportedSubresources = [
	'accelerate',
	'acl',
	'analytics',
	'attributes',
	'cors',
	'encryption',
	'intelligent-tiering',
	'inventory',
	'legal-hold',
	'lifecycle',
	'logging',
	'metrics',
	'notification',
	'object-lock',
	'ownershipControls',
	'policy',
	'policyStatus',
	'publicAccessBlock',
	'replication',
	'requestPayment',
	'restore',
	'retention',
	'select',
	'tagging',
	'torrent',
	'versioning',
	'versions',
	'website',
];

export function unsupportedSubresource(query: URLSearchParams): string | undefined {
	return unsupportedSubresources.find((name) => query.has(name));
}

/** Tagging and ACL reads the AWS CLI makes (s3 cp between buckets asks GetObjectTagging; ACLs show grants). */
function tagOrAclOperation(method: string, address: S3Address, query: URLSearchParams): string | undefined {
	if (query.has('tagging') && address.key !== undefined) {
		return {GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging'}[method];
	}

	if (query.has('acl') && method === 'GET' && address.bucket !== undefined) {
		return address.key === undefined ? 'GetBucketAcl' : 'GetObjectAcl';
	}

	if (query.has('uploads') && method === 'GET' && address.bucket !== undefined && address.key === undefined) {
		return 'ListMultipartUploads';
	}

	return undefined;
}

export function s3OperationName(
	method: string,
	address: S3Address,
	query: URLSearchParams,
	copySource: boolean,
): string {
	const tagOrAcl = tagOrAclOperation(method, address, query);
	if (tagOrAcl) {
		return tagOrAcl;
	}

	const unsupported = unsupportedSubresource(query);
	const multipart =
		address.key !== undefined && !unsupported ? multipartOperation(method, query, copySource) : undefined;
	if (multipart) {
		return multipart;
	}

	if (address.bucket === undefined) {
		return method === 'GET' ? 'ListBuckets' : 'Unsupported';
	}

	if (address.key === undefined) {
		switch (method) {
			case 'PUT': {
				return unsupported ? `PutBucket:${unsupported}` : 'CreateBucket';
			}

			case 'HEAD': {
				return 'HeadBucket';
			}

			case 'DELETE': {
				return unsupported ? `DeleteBucket:${unsupported}` : 'DeleteBucket';
			}

			case 'GET': {
				if (query.has('location')) {
					return 'GetBucketLocation';
				}

				if (unsupported) {
					return `GetBucket:${unsupported}`;
				}

				return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
			}

			case 'POST': {
				return query.has('delete') ? 'DeleteObjects' : 'PostObject';
			}

			default: {
				return 'Unsupported';
			}
		}
	}

	switch (method) {
		case 'PUT': {
			if (unsupported) {
				return `PutObject:${unsupported}`;
			}

			return copySource ? 'CopyObject' : 'PutObject';
		}

		case 'GET': {
			return unsupported ? `GetObject:${unsupported}` : 'GetObject';
		}

		case 'HEAD': {
			return 'HeadObject';
		}

		case 'DELETE': {
			return unsupported ? `DeleteObject:${unsupported}` : 'DeleteObject';
		}

		default: {
			return unsupported ? `PostObject:${unsupported}` : 'Unsupported';
		}
	}
}

function multipartOperation(method: string, query: URLSearchParams, copySource: boolean): string | undefined {
	if (method === 'POST' && query.has('uploads')) {
		return 'CreateMultipartUpload';
	}

	if (!query.has('uploadId')) {
		return undefined;
	}

	switch (method) {
		case 'PUT': {
			return copySource ? 'UploadPartCopy' : 'UploadPart';
		}

		case 'GET': {
			return 'ListParts';
		}

		case 'POST': {
			return 'CompleteMultipartUpload';
		}

		case 'DELETE': {
			return 'AbortMultipartUpload';
		}

		default: {
			return undefined;
		}
	}
}
