/** S3 REST response documents (namespace http://s3.amazonaws.com/doc/2006-03-01/). */
import {createHash} from 'node:crypto';
import type {SandboxAccount, StoredBucket} from '../contracts.js';
import {el, escapeXml, node, xmlDeclaration} from '../xml.js';
import type {ListPage} from './list-objects.js';
import type {PartInfo} from './multipart.js';
import type {StoredObjectDetails} from './object-store.js';

export const s3Namespace = 'http://s3.amazonaws.com/doc/2006-03-01/';

function root(name: string, ...children: string[]): string {
	return `${xmlDeclaration}<${name} xmlns="${s3Namespace}">${children.join('')}</${name}>`;
}

/** S3 timestamps in XML: 2026-11-26T14:32:01.000Z */
export function s3Time(date: Date): string {
	return date.toISOString();
}

/** The 64-hex canonical user id S3 shows for an account. */
export function canonicalUserId(account: SandboxAccount): string {
	return createHash('sha256').update(`bundledeck-sandbox:${account.id}`).digest('hex');
}

function owner(account: SandboxAccount, element = 'Owner'): string {
	return node(element, el('ID', canonicalUserId(account)), el('DisplayName', account.name));
}

/** A multipart upload's <Initiator> and <Owner>: the same account in the sandbox. */
function initiatorAndOwner(account: SandboxAccount): string {
	return owner(account, 'Initiator') + owner(account);
}

export function listBucketsXml(account: SandboxAccount, buckets: StoredBucket[]): string {
	return root(
		'ListAllMyBucketsResult',
		owner(account),
		node(
			'Buckets',
			...buckets.map((b) =>
				node('Bucket', el('Name', b.name), el('CreationDate', s3Time(b.createdAt)), el('BucketRegion', b.region)),
			),
		),
	);
}

export function locationXml(region: string): string {
	return region === 'us-east-1'
		? `${xmlDeclaration}<LocationConstraint xmlns="${s3Namespace}"/>`
		: `${xmlDeclaration}<LocationConstraint xmlns="${s3Namespace}">${escapeXml(region)}</LocationConstraint>`;
}

type Encode = (value: string) => string;

function contents(object: StoredObjectDetails, encode: Encode, account: SandboxAccount | undefined): string {
	return node(
		'Contents',
		el('Key', encode(object.key)),
		el('LastModified', s3Time(object.lastModified)),
		el('ETag', object.etag),
		el('Size', object.size),
		account ? owner(account) : '',
		el('StorageClass', 'STANDARD'),
	);
}

export type ListXmlInput = {
	bucket: string;
	prefix: string;
	delimiter: string | undefined;
	maxKeys: number;
	encodingType: 'url' | undefined;
	page: ListPage;
};

function encoder(encodingType: 'url' | undefined): Encode {
	return encodingType === 'url' ? (value) => encodeURIComponent(value).replaceAll('%2F', '/') : (value) => value;
}

export function listObjectsV2Xml(
	input: ListXmlInput & {
		continuationToken: string | undefined;
		nextContinuationToken: string | undefined;
		startAfter: string | undefined;
		owner: SandboxAccount | undefined;
	},
): string {
	const encode = encoder(input.encodingType);
	const {page} = input;
	return root(
		'ListBucketResult',
		el('Name', input.bucket),
		el('Prefix', encode(input.prefix)),
		input.delimiter === undefined ? '' : el('Delimiter', encode(input.delimiter)),
		el('MaxKeys', input.maxKeys),
		el('KeyCount', page.contents.length + page.commonPrefixes.length),
		el('IsTruncated', page.isTruncated),
		el('ContinuationToken', input.continuationToken),
		el('NextContinuationToken', input.nextContinuationToken),
		el('StartAfter', input.startAfter === undefined ? undefined : encode(input.startAfter)),
		el('EncodingType', input.encodingType),
		...page.contents.map((object) => contents(object, encode, input.owner)),
		...page.commonPrefixes.map((prefix) => node('CommonPrefixes', el('Prefix', encode(prefix)))),
	);
}

export function listObjectsV1Xml(input: ListXmlInput & {marker: string; owner: SandboxAccount}): string {
	const encode = encoder(input.encodingType);
	const {page} = input;
	return root(
		'ListBucketResult',
		el('Name', input.bucket),
		el('Prefix', encode(input.prefix)),
		el('Marker', encode(input.marker)),
		page.isTruncated && input.delimiter !== undefined && page.last !== undefined
			? el('NextMarker', encode(page.last))
			: '',
		el('MaxKeys', input.maxKeys),
		input.delimiter === undefined ? '' : el('Delimiter', encode(input.delimiter)),
		el('IsTruncated', page.isTruncated),
		el('EncodingType', input.encodingType),
		...page.contents.map((object) => contents(object, encode, input.owner)),
		...page.commonPrefixes.map((prefix) => node('CommonPrefixes', el('Prefix', encode(prefix)))),
	);
}

export function copyObjectResultXml(info: StoredObjectDetails): string {
	return root('CopyObjectResult', el('LastModified', s3Time(info.lastModified)), el('ETag', info.etag));
}

export function deleteResultXml(
	deleted: string[],
	errors: Array<{key: string; code: string; message: string}>,
	quiet: boolean,
): string {
	return root(
		'DeleteResult',
		...(quiet ? [] : deleted.map((key) => node('Deleted', el('Key', key)))),
		...errors.map((error) => node('Error', el('Key', error.key), el('Code', error.code), el('Message', error.message))),
	);
}

export function postResponseXml(location: string, info: StoredObjectDetails): string {
	return `${xmlDeclaration}${node('PostResponse', el('Location', location), el('Bucket', info.bucket), el('Key', info.key), el('ETag', info.etag))}`;
}

export function initiateMultipartXml(bucket: string, key: string, uploadId: string): string {
	return root('InitiateMultipartUploadResult', el('Bucket', bucket), el('Key', key), el('UploadId', uploadId));
}

export function completeMultipartXml(location: string, info: StoredObjectDetails): string {
	return root(
		'CompleteMultipartUploadResult',
		el('Location', location),
		el('Bucket', info.bucket),
		el('Key', info.key),
		el('ETag', info.etag),
	);
}

export function copyPartResultXml(part: PartInfo): string {
	return root('CopyPartResult', el('LastModified', part.lastModified), el('ETag', part.etag));
}

export function listPartsXml(input: {
	bucket: string;
	key: string;
	uploadId: string;
	parts: PartInfo[];
	account: SandboxAccount;
}): string {
	return root(
		'ListPartsResult',
		el('Bucket', input.bucket),
		el('Key', input.key),
		el('UploadId', input.uploadId),
		initiatorAndOwner(input.account),
		el('StorageClass', 'STANDARD'),
		el('PartNumberMarker', 0),
		el('NextPartNumberMarker', input.parts.at(-1)?.partNumber ?? 0),
		el('MaxParts', 1000),
		el('IsTruncated', false),
		...input.parts.map((part) =>
			node(
				'Part',
				el('PartNumber', part.partNumber),
				el('LastModified', part.lastModified),
				el('ETag', part.etag),
				el('Size', part.size),
			),
		),
	);
}

export function taggingXml(tags: Record<string, string>): string {
	return root(
		'Tagging',
		node('TagSet', ...Object.entries(tags).map(([key, value]) => node('Tag', el('Key', key), el('Value', value)))),
	);
}

/** EC2's bundling service, as an ACL grantee: the `ec2-bundle-read` canned ACL grants it READ. */
const ec2BundleGrantee = {
	id: createHash('sha256').update('bundledeck-sandbox:ec2-bundle').digest('hex'),
	name: 'ec2-bundle',
};

function grant(grantee: string, permission: string): string {
	return node('Grant', grantee, el('Permission', permission));
}

function canonicalGrantee(id: string, name: string): string {
	return `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${el('ID', id)}${el('DisplayName', name)}</Grantee>`;
}

function groupGrantee(uri: string): string {
	return `<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">${el('URI', uri)}</Grantee>`;
}

/** GetObjectAcl / GetBucketAcl: the owner's FULL_CONTROL plus what the canned ACL grants. */
export function aclXml(account: SandboxAccount, acl: string | undefined): string {
	const grants = [grant(canonicalGrantee(canonicalUserId(account), account.name), 'FULL_CONTROL')];
	if (acl === 'ec2-bundle-read') {
		grants.push(grant(canonicalGrantee(ec2BundleGrantee.id, ec2BundleGrantee.name), 'READ'));
	} else if (acl === 'public-read' || acl === 'public-read-write') {
		grants.push(grant(groupGrantee('http://acs.amazonaws.com/groups/global/AllUsers'), 'READ'));
	} else if (acl === 'authenticated-read') {
		grants.push(grant(groupGrantee('http://acs.amazonaws.com/groups/global/AuthenticatedUsers'), 'READ'));
	}

	return root('AccessControlPolicy', owner(account), node('AccessControlList', ...grants));
}

export function listMultipartUploadsXml(input: {
	bucket: string;
	prefix: string;
	account: SandboxAccount;
	uploads: Array<{key: string; uploadId: string; initiated: string}>;
}): string {
	return root(
		'ListMultipartUploadsResult',
		el('Bucket', input.bucket),
		el('KeyMarker', ''),
		el('UploadIdMarker', ''),
		el('NextKeyMarker', input.uploads.at(-1)?.key ?? ''),
		el('NextUploadIdMarker', input.uploads.at(-1)?.uploadId ?? ''),
		el('Prefix', input.prefix),
		el('MaxUploads', 1000),
		el('IsTruncated', false),
		...input.uploads.map((upload) =>
			node(
				'Upload',
				el('Key', upload.key),
				el('UploadId', upload.uploadId),
				initiatorAndOwner(input.account),
				el('StorageClass', 'STANDARD'),
				el('Initiated', upload.initiated),
			),
		),
	);
}
