/** The S3 REST subset: buckets, objects, copy, listing, POST Object. Errors are thrown as SandboxError / S3Error. */
import type {IncomingHttpHeaders} from 'node:http';
import {Readable} from 'node:stream';
import {XMLParser} from 'fast-xml-parser';
import {type SandboxAccount, SandboxError, type StoredBucket, sandboxRegions} from '../contracts.js';
import type {S3Address} from './addressing.js';
import {decodeContinuationToken, encodeContinuationToken, listPage} from './list-objects.js';
import type {MultipartUploads} from './multipart.js';
import {type DiskObjectStore, noSuchBucket, type StoredObjectDetails} from './object-store.js';
import {s3OperationName} from './operations.js';
import {formBoundary, readPostForm} from './post-form.js';
import {readSmallBody} from './request-body.js';
import {S3Error} from './s3-error.js';
import {
	aclXml,
	completeMultipartXml,
	copyObjectResultXml,
	copyPartResultXml,
	deleteResultXml,
	initiateMultipartXml,
	listBucketsXml,
	listMultipartUploadsXml,
	listObjectsV1Xml,
	listObjectsV2Xml,
	listPartsXml,
	locationXml,
	postResponseXml,
	taggingXml,
} from './xml.js';

export type S3Call = {
	method: string;
	address: S3Address;
	/** decoded query parameters */
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** undefined only for an unsigned POST Object (its policy authenticates it) */
	account: SandboxAccount | undefined;
	/** the SigV4 signing region; undefined for an unsigned POST Object */
	region: string | undefined;
	/** The decoded, verified request body (call at most once). */
	body: () => Readable;
	/** http://127.0.0.1:PORT */
	endpoint: string;
};

export type S3Reply = {status: number; headers: Record<string, string>; body?: string | Readable | undefined};

export type S3Context = {store: DiskObjectStore; uploads: MultipartUploads; accounts: SandboxAccount[]};

const maxObjectSize = 5 * 1024 ** 3;
const multipartOperations = new Set([
	'CreateMultipartUpload',
	'UploadPart',
	'UploadPartCopy',
	'ListParts',
	'CompleteMultipartUpload',
	'AbortMultipartUpload',
]);
/** S3 refuses POST uploads over 5 GB. */
const maxPostSize = 5 * 1024 ** 3;

export function operationOf(call: Pick<S3Call, 'method' | 'address' | 'query' | 'headers'>): string {
	return s3OperationName(call.method, call.address, call.query, call.headers['x-amz-copy-source'] !== undefined);
}

function noSuchKey(key: string): S3Error {
	return new S3Error('NoSuchKey', 'The specified key does not exist.', 404, {fields: {Key: key}});
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.join(',') : value;
}

function xmlReply(body: string, status = 200, headers: Record<string, string> = {}): S3Reply {
	return {status, headers: {'content-type': 'application/xml', ...headers}, body};
}

function objectUrl(call: S3Call, bucket: string, key: string): string {
	const encodedKey = key.split('/').map(encodeURIComponent).join('/');
	return `${call.endpoint}/${bucket}/${encodedKey}`;
}

function requireAccount(call: S3Call): SandboxAccount {
	if (!call.account) {
		throw new SandboxError('AccessDenied', 'Access Denied', 403);
	}

	return call.account;
}

/** The bucket, checked for existence, region (301 PermanentRedirect to its region) and ownership. */
function ownedBucket(call: S3Call, context: S3Context, name: string, options: {checkRegion: boolean}): StoredBucket {
	const account = requireAccount(call);
	const bucket = context.store.getBucket(name);
	if (!bucket) {
		throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, {fields: {BucketName: name}});
	}

	if (options.checkRegion && call.region !== undefined && bucket.region !== call.region) {
		throw new S3Error(
			'PermanentRedirect',
			`The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint: the bucket is in ${bucket.region}, this request was signed for ${call.region}.`,
			301,
			{
				headers: {'x-amz-bucket-region': bucket.region},
				fields: {Bucket: name, Endpoint: call.endpoint.replace(/^https?:\/\//, ''), Region: bucket.region},
			},
		);
	}

	if (bucket.ownerId !== account.id) {
		throw new S3Error('AccessDenied', 'Access Denied', 403, {headers: {'x-amz-bucket-region': bucket.region}});
	}

	return bucket;
}

function userMetadata(headers: IncomingHttpHeaders): Record<string, string> {
	const metadata: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (name.startsWith('x-amz-meta-') && value !== undefined) {
			metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
		}
	}

	return metadata;
}

function objectHeaders(info: StoredObjectDetails): Record<string, string> {
	const headers: Record<string, string> = {
		'content-type': info.contentType ?? 'binary/octet-stream',
		etag: info.etag,
		'last-modified': info.lastModified.toUTCString(),
		'accept-ranges': 'bytes',
	};
	for (const [name, value] of Object.entries(info.metadata)) {
		headers[`x-amz-meta-${name}`] = value;
	}

	return headers;
}

function etagMatches(list: string, etag: string): boolean {
	return list.split(',').some((item) => {
		const value = item.trim();
		return value === '*' || value === etag || `"${value}"` === etag;
	});
}

/** If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since; returns a 304 reply or throws 412. */
function checkConditions(headers: IncomingHttpHeaders, info: StoredObjectDetails): S3Reply | undefined {
	const ifMatch = header(headers, 'if-match');
	const ifNoneMatch = header(headers, 'if-none-match');
	const ifModifiedSince = header(headers, 'if-modified-since');
	const ifUnmodifiedSince = header(headers, 'if-unmodified-since');
	const modified = Math.floor(info.lastModified.getTime() / 1000) * 1000;
	const failed = () =>
		new SandboxError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);
	if (ifMatch !== undefined && !etagMatches(ifMatch, info.etag)) {
		throw failed();
	}

	if (ifMatch === undefined && ifUnmodifiedSince !== undefined && modified > Date.parse(ifUnmodifiedSince)) {
		throw failed();
	}

	const notModified = {status: 304, headers: {etag: info.etag, 'last-modified': info.lastModified.toUTCString()}};
	if (ifNoneMatch !== undefined) {
		return etagMatches(ifNoneMatch, info.etag) ? notModified : undefined;
	}

	if (ifModifiedSince !== undefined && modified <= Date.parse(ifModifiedSince)) {
		return notModified;
	}

	return undefined;
}

/** bytes=a-b | bytes=a- | bytes=-n. undefined: serve the whole object (no or unsupported Range). */
export function parseRange(
	value: string | undefined,
	size: number,
): {start: number; end: number} | 'unsatisfiable' | undefined {
	if (!value) {
		return undefined;
	}

	const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
	if (!match || (match[1] === '' && match[2] === '')) {
		return undefined;
	}

	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0 || size === 0) {
			return 'unsatisfiable';
		}

		return {start: Math.max(0, size - suffix), end: size - 1};
	}

	const start = Number(match[1]);
	const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	if (start >= size || (match[2] !== '' && Number(match[2]) < start)) {
		return start >= size ? 'unsatisfiable' : undefined;
	}

	return {start, end};
}

async function drain(call: S3Call): Promise<void> {
	const body = call.body();
	for await (const _chunk of body) {
		// Discard: this operation takes no body.
	}
}

async function listBuckets(call: S3Call, context: S3Context): Promise<S3Reply> {
	const account = requireAccount(call);
	return xmlReply(listBucketsXml(account, context.store.listBuckets(account.id)));
}

const configurationParser = new XMLParser({parseTagValue: false, processEntities: true, ignoreAttributes: true});

function malformedXml(): SandboxError {
	return new SandboxError(
		'MalformedXML',
		'The XML you provided was not well-formed or did not validate against our published schema',
		400,
	);
}

function locationConstraint(xml: string): string | undefined {
	if (xml.trim() === '') {
		return undefined;
	}

	let document: {CreateBucketConfiguration?: {LocationConstraint?: unknown} | string};
	try {
		document = configurationParser.parse(xml, true) as typeof document;
	} catch {
		throw malformedXml();
	}

	const configuration = document.CreateBucketConfiguration;
	if (configuration === undefined) {
		throw malformedXml();
	}

	const constraint = typeof configuration === 'object' ? configuration.LocationConstraint : undefined;
	return typeof constraint === 'string' && constraint.trim() !== '' ? constraint.trim() : undefined;
}

async function createBucket(call: S3Call, context: S3Context, name: string): Promise<S3Reply> {
	const account = requireAccount(call);
	const xml = (await readSmallBody(call.body())).toString('utf8');
	const constraint = locationConstraint(xml);
	const target = constraint === 'EU' ? 'eu-west-1' : constraint;
	if (target !== undefined && (target === 'us-east-1' || !(sandboxRegions as readonly string[]).includes(target))) {
		throw new S3Error(
			'InvalidLocationConstraint',
			`The specified location-constraint is not valid${target === 'us-east-1' ? ' (us-east-1 is the default: send no LocationConstraint)' : `; the sandbox has ${sandboxRegions.filter((r) => r !== 'us-east-1').join(', ')} besides us-east-1`}.`,
			400,
			{fields: {LocationConstraint: target}},
		);
	}

	const region = target ?? 'us-east-1';
	// As S3: the bucket's region must be the one the request is signed for, us-east-1 included (a us-east-1 client
	// cannot create a bucket in eu-west-1; send CreateBucket with a client for the bucket's region).
	if (call.region !== undefined && call.region !== region) {
		throw new SandboxError(
			'IllegalLocationConstraintException',
			`The ${target ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to (${call.region}).`,
			400,
		);
	}

	const existing = context.store.getBucket(name);
	if (existing?.ownerId === account.id && existing.region === 'us-east-1' && region === 'us-east-1') {
		// S3 answers 200 to re-creating your own bucket in us-east-1 (BucketAlreadyOwnedByYou elsewhere).
		return {status: 200, headers: {location: `/${name}`}};
	}

	await context.store.createBucket(account.id, name, region);
	return {status: 200, headers: {location: `/${name}`}};
}

async function headBucket(call: S3Call, context: S3Context, name: string): Promise<S3Reply> {
	const bucket = ownedBucket(call, context, name, {checkRegion: true});
	return {status: 200, headers: {'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false'}};
}

async function getBucketLocation(call: S3Call, context: S3Context, name: string): Promise<S3Reply> {
	const bucket = ownedBucket(call, context, name, {checkRegion: false});
	return xmlReply(locationXml(bucket.region));
}

async function deleteBucket(call: S3Call, context: S3Context, name: string): Promise<S3Reply> {
	ownedBucket(call, context, name, {checkRegion: true});
	await context.store.deleteBucket(name);
	return {status: 204, headers: {}};
}

function maxKeysOf(query: URLSearchParams): number {
	const text = query.get('max-keys');
	if (text === null) {
		return 1000;
	}

	const value = Number(text);
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
		throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400, {
			fields: {ArgumentName: 'max-keys', ArgumentValue: text},
		});
	}

	return Math.min(value, 1000);
}

function encodingTypeOf(query: URLSearchParams): 'url' | undefined {
	const value = query.get('encoding-type');
	if (value === null) {
		return undefined;
	}

	if (value !== 'url') {
		throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', 400, {
			fields: {ArgumentName: 'encoding-type', ArgumentValue: value},
		});
	}

	return 'url';
}

async function listObjects(call: S3Call, context: S3Context, name: string, version: 1 | 2): Promise<S3Reply> {
	ownedBucket(call, context, name, {checkRegion: true});
	const {query} = call;
	const prefix = query.get('prefix') ?? '';
	const delimiter = query.get('delimiter') || undefined;
	const maxKeys = maxKeysOf(query);
	const encodingType = encodingTypeOf(query);
	const objects = await context.store.listObjects(name, prefix);
	const account = requireAccount(call);
	if (version === 1) {
		const marker = query.get('marker') ?? '';
		const page = listPage(objects, {prefix, delimiter, after: marker || undefined, maxKeys});
		return xmlReply(
			listObjectsV1Xml({bucket: name, prefix, delimiter, maxKeys, encodingType, page, marker, owner: account}),
		);
	}

	const continuationToken = query.get('continuation-token') ?? undefined;
	const startAfter = query.get('start-after') ?? undefined;
	let after = startAfter;
	if (continuationToken !== undefined) {
		after = decodeContinuationToken(continuationToken);
		if (after === undefined) {
			throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', 400, {
				fields: {ArgumentName: 'continuation-token'},
			});
		}
	}

	const page = listPage(objects, {prefix, delimiter, after, maxKeys});
	return xmlReply(
		listObjectsV2Xml({
			bucket: name,
			prefix,
			delimiter,
			maxKeys,
			encodingType,
			page,
			continuationToken,
			nextContinuationToken:
				page.isTruncated && page.last !== undefined ? encodeContinuationToken(page.last) : undefined,
			startAfter,
			owner: query.get('fetch-owner') === 'true' ? account : undefined,
		}),
	);
}

async function putObject(call: S3Call, context: S3Context, name: string, key: string): Promise<S3Reply> {
	ownedBucket(call, context, name, {checkRegion: true});
	const {headers} = call;
	const declared = header(headers, 'x-amz-decoded-content-length') ?? header(headers, 'content-length');
	if (declared === undefined && header(headers, 'transfer-encoding') === undefined) {
		throw new SandboxError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
	}

	if (declared !== undefined && Number(declared) > maxObjectSize) {
		throw new SandboxError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.', 400);
	}

	const md5 = header(headers, 'content-md5');
	if (md5 !== undefined && !/^[A-Za-z\d+/]{22}==$/.test(md5.trim())) {
		throw new SandboxError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400);
	}

	const info = await context.store.putObjectStream(
		name,
		key,
		call.body(),
		{
			acl: header(headers, 'x-amz-acl'),
			contentType: header(headers, 'content-type'),
			metadata: userMetadata(headers),
			tags: taggingHeader(headers),
		},
		{expectedMd5Base64: header(headers, 'content-md5')},
	);
	return {status: 200, headers: {etag: info.etag}};
}

function copySource(value: string): {bucket: string; key: string} {
	let text = value;
	const question = text.indexOf('?');
	if (question !== -1) {
		text = text.slice(0, question);
	}

	let decoded: string;
	try {
		decoded = decodeURIComponent(text);
	} catch {
		decoded = text;
	}

	if (decoded.startsWith('/')) {
		decoded = decoded.slice(1);
	}

	const slash = decoded.indexOf('/');
	if (slash <= 0 || slash === decoded.length - 1) {
		throw new SandboxError(
			'InvalidArgument',
			'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
			400,
		);
	}

	return {bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1)};
}

async function copyObject(call: S3Call, context: S3Context, name: string, key: string): Promise<S3Reply> {
	await drain(call);
	const {headers} = call;
	const source = copySource(header(headers, 'x-amz-copy-source') ?? '');
	ownedBucket(call, context, source.bucket, {checkRegion: false});
	ownedBucket(call, context, name, {checkRegion: true});
	const sourceInfo = await context.store.headObject(source.bucket, source.key);
	if (!sourceInfo) {
		throw noSuchKey(source.key);
	}

	const directive = header(headers, 'x-amz-metadata-directive') ?? 'COPY';
	if (directive !== 'COPY' && directive !== 'REPLACE') {
		throw new SandboxError('InvalidArgument', 'Unknown metadata directive.', 400);
	}

	const acl = header(headers, 'x-amz-acl');
	if (source.bucket === name && source.key === key && directive === 'COPY' && acl === undefined) {
		throw new SandboxError(
			'InvalidRequest',
			"This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
			400,
		);
	}

	const info = await context.store.copyObject(
		source,
		directive === 'REPLACE'
			? {bucket: name, key, acl, contentType: header(headers, 'content-type'), metadata: userMetadata(headers)}
			: {bucket: name, key, acl},
	);
	return xmlReply(copyObjectResultXml(info));
}

async function getObject(call: S3Call, context: S3Context, name: string, key: string, head: boolean): Promise<S3Reply> {
	ownedBucket(call, context, name, {checkRegion: true});
	const missing = () => noSuchKey(key);
	if (head) {
		const info = await context.store.headObject(name, key);
		if (!info) {
			throw missing();
		}

		const conditional = checkConditions(call.headers, info);
		if (conditional) {
			return conditional;
		}

		const range = parseRange(header(call.headers, 'range'), info.size);
		if (range === 'unsatisfiable') {
			throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, {
				headers: {'content-range': `bytes */${info.size}`},
			});
		}

		const headers = objectHeaders(info);
		if (range) {
			headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
			headers['content-length'] = String(range.end - range.start + 1);
			return {status: 206, headers};
		}

		headers['content-length'] = String(info.size);
		return {status: 200, headers};
	}

	const opened = await context.store.openObject(name, key);
	if (!opened) {
		throw missing();
	}

	const {info, handle} = opened;
	try {
		const conditional = checkConditions(call.headers, info);
		if (conditional) {
			await handle.close();
			return conditional;
		}

		const range = parseRange(header(call.headers, 'range'), info.size);
		if (range === 'unsatisfiable') {
			throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, {
				headers: {'content-range': `bytes */${info.size}`},
				fields: {ActualObjectSize: String(info.size), RangeRequested: header(call.headers, 'range')},
			});
		}

		const headers = objectHeaders(info);
		const contentTypeOverride = call.query.get('response-content-type');
		if (contentTypeOverride) {
			headers['content-type'] = contentTypeOverride;
		}

		const disposition = call.query.get('response-content-disposition');
		if (disposition) {
			headers['content-disposition'] = disposition;
		}

		if (info.size === 0) {
			await handle.close();
			headers['content-length'] = '0';
			return {status: 200, headers, body: ''};
		}

		if (range) {
			headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
			headers['content-length'] = String(range.end - range.start + 1);
			return {status: 206, headers, body: handle.createReadStream({start: range.start, end: range.end})};
		}

		headers['content-length'] = String(info.size);
		return {status: 200, headers, body: handle.createReadStream()};
	} catch (error) {
		await handle.close().catch(() => undefined);
		throw error;
	}
}

async function deleteObject(call: S3Call, context: S3Context, name: string, key: string): Promise<S3Reply> {
	await drain(call);
	ownedBucket(call, context, name, {checkRegion: true});
	await context.store.deleteObject(name, key);
	return {status: 204, headers: {}};
}

const deleteParser = new XMLParser({
	isArray: (name) => name === 'Object',
	parseTagValue: false,
	processEntities: true,
	ignoreAttributes: true,
});

async function deleteObjects(call: S3Call, context: S3Context, name: string): Promise<S3Reply> {
	ownedBucket(call, context, name, {checkRegion: true});
	const xml = (await readSmallBody(call.body(), 2 * 1024 * 1024)).toString('utf8');
	let document: {Delete?: {Quiet?: string; Object?: Array<{Key?: unknown}>}};
	try {
		document = deleteParser.parse(xml, true) as typeof document;
	} catch {
		document = {};
	}

	const objects = document.Delete?.Object;
	if (!objects || objects.length > 1000 || objects.some((object) => typeof object.Key !== 'string')) {
		throw new SandboxError(
			'MalformedXML',
			'The XML you provided was not well-formed or did not validate against our published schema',
			400,
		);
	}

	const deleted: string[] = [];
	for (const object of objects) {
		const key = object.Key as string;
		await context.store.deleteObject(name, key);
		deleted.push(key);
	}

	return xmlReply(deleteResultXml(deleted, [], document.Delete?.Quiet === 'true'));
}

async function postObject(call: S3Call, context: S3Context, name: string): Promise<S3Reply> {
	const boundary = formBoundary(header(call.headers, 'content-type'));
	if (!boundary) {
		throw new SandboxError('PreconditionFailed', 'Bucket POST must be of the enclosure-type multipart/form-data', 412);
	}

	if (Number(header(call.headers, 'content-length') ?? 0) > maxPostSize) {
		throw new SandboxError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', 400);
	}

	// Fields first; the policy is checked from them before a byte of the file is read (store.postObject).
	const form = await readPostForm(call.body(), boundary);
	if (!form.file) {
		throw new SandboxError('InvalidArgument', 'POST requires exactly one file upload per request.', 400);
	}

	const field = (fieldName: string) => form.fields.get(fieldName);
	const rawKey = field('key');
	if (rawKey === undefined) {
		throw new S3Error(
			'InvalidArgument',
			"Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
			400,
			{
				fields: {ArgumentName: 'key'},
			},
		);
	}

	const filenamePlaceholder = ['$', '{filename}'].join('');
	const key = rawKey.replaceAll(filenamePlaceholder, form.file.filename ?? '');
	if (!context.store.getBucket(name)) {
		throw noSuchBucket();
	}

	const info = await context.store.postObject({
		bucket: name,
		key,
		acl: field('acl'),
		policy: field('policy'),
		signature: field('signature'),
		awsAccessKeyId: field('awsaccesskeyid'),
		fields: form.fields,
		body: form.file.data,
	});
	const location = objectUrl(call, name, key);
	const headers = {etag: info.etag, location};
	switch (field('success_action_status')) {
		case '200': {
			return {status: 200, headers};
		}

		case '201': {
			return {
				status: 201,
				headers: {...headers, 'content-type': 'application/xml'},
				body: postResponseXml(location, info),
			};
		}

		default: {
			return {status: 204, headers};
		}
	}
}

const completeParser = new XMLParser({
	isArray: (name) => name === 'Part',
	parseTagValue: false,
	processEntities: true,
	ignoreAttributes: true,
});

async function multipart(
	call: S3Call,
	context: S3Context,
	operation: string,
	name: string,
	key: string,
): Promise<S3Reply> {
	ownedBucket(call, context, name, {checkRegion: true});
	const {headers, query} = call;
	if (operation === 'CreateMultipartUpload') {
		await drain(call);
		const upload = await context.uploads.create(name, key, {
			acl: header(headers, 'x-amz-acl'),
			contentType: header(headers, 'content-type'),
			metadata: userMetadata(headers),
			tags: taggingHeader(headers),
		});
		return xmlReply(initiateMultipartXml(name, key, upload.uploadId));
	}

	const upload = await context.uploads.get(name, key, query.get('uploadId') ?? '');
	switch (operation) {
		case 'UploadPart': {
			const part = await context.uploads.uploadPart(upload, query.get('partNumber') ?? '', call.body());
			return {status: 200, headers: {etag: part.etag}};
		}

		case 'UploadPartCopy': {
			await drain(call);
			const source = copySource(header(headers, 'x-amz-copy-source') ?? '');
			ownedBucket(call, context, source.bucket, {checkRegion: false});
			const opened = await context.store.openObject(source.bucket, source.key);
			if (!opened) {
				throw noSuchKey(source.key);
			}

			const rangeHeader = header(headers, 'x-amz-copy-source-range');
			const range = parseRange(rangeHeader, opened.info.size);
			if (range === 'unsatisfiable' || (rangeHeader !== undefined && range === undefined)) {
				await opened.handle.close();
				throw new SandboxError(
					'InvalidArgument',
					'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
					400,
				);
			}

			let stream: Readable;
			if (opened.info.size === 0) {
				await opened.handle.close();
				stream = Readable.from([]);
			} else {
				stream = opened.handle.createReadStream(range ? {start: range.start, end: range.end} : {});
			}

			const part = await context.uploads.uploadPart(upload, query.get('partNumber') ?? '', stream);
			return xmlReply(copyPartResultXml(part));
		}

		case 'ListParts': {
			await drain(call);
			return xmlReply(
				listPartsXml({
					bucket: name,
					key,
					uploadId: upload.uploadId,
					parts: await context.uploads.listParts(upload),
					account: requireAccount(call),
				}),
			);
		}

		case 'CompleteMultipartUpload': {
			const xml = (await readSmallBody(call.body(), 2 * 1024 * 1024)).toString('utf8');
			let document: {CompleteMultipartUpload?: {Part?: Array<{PartNumber?: unknown; ETag?: unknown}>}};
			try {
				document = completeParser.parse(xml, true) as typeof document;
			} catch {
				document = {};
			}

			const parts = document.CompleteMultipartUpload?.Part ?? [];
			if (parts.some((part) => typeof part.PartNumber !== 'string' || typeof part.ETag !== 'string')) {
				throw new SandboxError(
					'MalformedXML',
					'The XML you provided was not well-formed or did not validate against our published schema',
					400,
				);
			}

			const info = await context.uploads.complete(
				upload,
				parts.map((part) => ({partNumber: Number(part.PartNumber), etag: part.ETag as string})),
			);
			return xmlReply(completeMultipartXml(objectUrl(call, name, key), info));
		}

		default: {
			await drain(call);
			await context.uploads.abort(upload);
			return {status: 204, headers: {}};
		}
	}
}

const tagAclOperations = new Set([
	'GetObjectTagging',
	'PutObjectTagging',
	'DeleteObjectTagging',
	'GetObjectAcl',
	'GetBucketAcl',
	'ListMultipartUploads',
]);

const taggingParser = new XMLParser({
	isArray: (name) => name === 'Tag',
	parseTagValue: false,
	processEntities: true,
	ignoreAttributes: true,
});

/** x-amz-tagging (URL-encoded, as PutObject and CreateMultipartUpload take it); undefined when absent. */
function taggingHeader(headers: IncomingHttpHeaders): Record<string, string> | undefined {
	const value = header(headers, 'x-amz-tagging');
	return value === undefined ? undefined : Object.fromEntries(new URLSearchParams(value));
}

function parseTagging(xml: string): Record<string, string> {
	let document: {Tagging?: {TagSet?: {Tag?: Array<{Key?: unknown; Value?: unknown}>} | string}};
	try {
		document = taggingParser.parse(xml, true) as typeof document;
	} catch {
		throw malformedXml();
	}

	const set = document.Tagging?.TagSet;
	if (document.Tagging === undefined || set === undefined) {
		throw malformedXml();
	}

	const tags: Record<string, string> = {};
	for (const tag of typeof set === 'object' ? (set.Tag ?? []) : []) {
		if (typeof tag.Key !== 'string') {
			throw malformedXml();
		}

		tags[tag.Key] = typeof tag.Value === 'string' ? tag.Value : '';
	}

	if (Object.keys(tags).length > 10) {
		throw new SandboxError('BadRequest', 'Object tags cannot be greater than 10', 400);
	}

	return tags;
}

async function tagsAclsAndUploads(
	call: S3Call,
	context: S3Context,
	operation: string,
	name: string,
	key: string | undefined,
): Promise<S3Reply> {
	const bucket = ownedBucket(call, context, name, {checkRegion: true});
	const account = requireAccount(call);
	if (operation === 'PutObjectTagging') {
		const tags = parseTagging((await readSmallBody(call.body())).toString('utf8'));
		if (!(await context.store.setObjectTags(name, key ?? '', tags))) {
			throw noSuchKey(key ?? '');
		}

		return {status: 200, headers: {}};
	}

	await drain(call);
	switch (operation) {
		case 'GetBucketAcl': {
			return xmlReply(aclXml(account, undefined));
		}

		case 'ListMultipartUploads': {
			const prefix = call.query.get('prefix') ?? '';
			const uploads = await context.uploads.list(bucket.name, prefix);
			return xmlReply(listMultipartUploadsXml({bucket: bucket.name, prefix, account, uploads}));
		}

		default: {
			const info = await context.store.headObject(name, key ?? '');
			if (!info) {
				throw noSuchKey(key ?? '');
			}

			if (operation === 'DeleteObjectTagging') {
				await context.store.setObjectTags(name, info.key, {});
				return {status: 204, headers: {}};
			}

			return xmlReply(operation === 'GetObjectAcl' ? aclXml(account, info.acl) : taggingXml(info.tags ?? {}));
		}
	}
}

/** Runs one S3 REST request. */
export async function handleS3(call: S3Call, context: S3Context): Promise<S3Reply> {
	const operation = operationOf(call);
	const {bucket, key} = call.address;
	if (operation.includes(':') || operation === 'Unsupported') {
		throw new SandboxError(
			'NotImplemented',
			`The sandbox does not implement this S3 request (${call.method} ${operation.replace('Unsupported', 'with this method')}).`,
			501,
		);
	}

	if (operation === 'ListBuckets') {
		await drain(call);
		return listBuckets(call, context);
	}

	if (bucket === undefined) {
		throw new SandboxError('InvalidRequest', 'The request does not name a bucket.', 400);
	}

	if (operation === 'PostObject') {
		return postObject(call, context, bucket);
	}

	if (tagAclOperations.has(operation)) {
		return tagsAclsAndUploads(call, context, operation, bucket, key);
	}

	if (multipartOperations.has(operation) && key !== undefined) {
		return multipart(call, context, operation, bucket, key);
	}

	if (key === undefined) {
		switch (operation) {
			case 'CreateBucket': {
				return createBucket(call, context, bucket);
			}

			case 'DeleteObjects': {
				return deleteObjects(call, context, bucket);
			}

			default: {
				await drain(call);
			}
		}

		switch (operation) {
			case 'HeadBucket': {
				return headBucket(call, context, bucket);
			}

			case 'GetBucketLocation': {
				return getBucketLocation(call, context, bucket);
			}

			case 'DeleteBucket': {
				return deleteBucket(call, context, bucket);
			}

			case 'ListObjectsV2': {
				return listObjects(call, context, bucket, 2);
			}

			default: {
				return listObjects(call, context, bucket, 1);
			}
		}
	}

	switch (operation) {
		case 'PutObject': {
			return putObject(call, context, bucket, key);
		}

		case 'CopyObject': {
			return copyObject(call, context, bucket, key);
		}

		case 'DeleteObject': {
			return deleteObject(call, context, bucket, key);
		}

		default: {
			await drain(call);
			return getObject(call, context, bucket, key, operation === 'HeadObject');
		}
	}
}
