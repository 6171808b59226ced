/**
 * The sandbox's S3 object store, on disk under <dir>/s3:
 *   buckets.json                          every bucket (name, region, owner, creation time), written atomically
 *   objects/<bucket>/<sha256(key)>.json   one object's metadata (key, size, ETag, ...), written atomically
 *   objects/<bucket>/<sha256(key)>.<version>.data   its bytes; a new version per write, the old one removed after
 * A write streams the body to a new data file, then commits by replacing the metadata file; leftovers of a crash
 * (data files no metadata refers to) are removed at the next start. Everything survives a restart.
 */
import {createHash, randomBytes} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import {copyFile, type FileHandle, mkdir, open, readdir, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {Readable, Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {seededForeignBuckets} from '../accounts.js';
import {isNotFound, readJsonFile, writeJsonFile} from '../atomic-file.js';
import {
	type ObjectStore,
	type PostUploadForm,
	type SandboxAccount,
	SandboxError,
	type StoredBucket,
	type StoredObjectInfo,
} from '../contracts.js';
import {bucketNameProblem} from './bucket-name.js';
import {checkLength, checkPostPolicy} from './post-policy.js';

export type ObjectMeta = {
	acl?: string | undefined;
	contentType?: string | undefined;
	/** x-amz-meta-* user metadata, names lower-cased without the prefix */
	metadata?: Record<string, string> | undefined;
	/** Object tags (x-amz-tagging, PutObjectTagging) */
	tags?: Record<string, string> | undefined;
};

export type StoredObjectDetails = StoredObjectInfo & {metadata: Record<string, string>; tags?: Record<string, string>};

export type PutStreamOptions = {
	/** Content-MD5 header (base64): the upload fails with BadDigest when the body differs. */
	expectedMd5Base64?: string | undefined;
	/** Declared length: the upload fails with IncompleteBody when the body is shorter or longer. */
	expectedSize?: number | undefined;
	/** The ETag to record instead of the MD5 of the body (multipart uploads: md5-of-part-md5s-N). */
	etag?: string | undefined;
};

export type OpenedObject = {info: StoredObjectDetails; handle: FileHandle};

/** The ObjectStore contract plus what the S3 REST server needs (streaming, bucket deletion). */
export type DiskObjectStore = Omit<
	ObjectStore,
	'headObject' | 'listObjects' | 'copyObject' | 'postObject' | 'putObject'
> & {
	putObject(bucket: string, key: string, body: Buffer, meta?: ObjectMeta): Promise<StoredObjectDetails>;
	postObject(form: PostUploadForm): Promise<StoredObjectDetails>;
	headObject(bucket: string, key: string): Promise<StoredObjectDetails | undefined>;
	listObjects(bucket: string, prefix: string): Promise<StoredObjectDetails[]>;
	putObjectStream(
		bucket: string,
		key: string,
		body: Iterable<Uint8Array> | AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
		meta?: ObjectMeta,
		options?: PutStreamOptions,
	): Promise<StoredObjectDetails>;
	setObjectTags(bucket: string, key: string, tags: Record<string, string>): Promise<StoredObjectDetails | undefined>;
	/** Opens the object's current bytes (safe against a concurrent overwrite or delete); the caller closes the handle. */
	openObject(bucket: string, key: string): Promise<OpenedObject | undefined>;
	/** Throws NoSuchBucket / BucketNotEmpty. */
	deleteBucket(name: string): Promise<void>;
	copyObject(
		source: {bucket: string; key: string},
		destination: {bucket: string; key: string; acl?: string; contentType?: string; metadata?: Record<string, string>},
	): Promise<StoredObjectDetails>;
};

type Entry = {info: StoredObjectDetails; file: string};

type MetaFile = {
	key: string;
	size: number;
	etag: string;
	lastModified: string;
	acl: string | undefined;
	contentType: string | undefined;
	metadata: Record<string, string>;
	tags?: Record<string, string> | undefined;
	file: string;
};

type BucketFile = {name: string; region: string; ownerId: string; createdAt: string};

const maxKeyBytes = 1024;

export function noSuchBucket(): SandboxError {
	return new SandboxError('NoSuchBucket', 'The specified bucket does not exist', 404);
}

export function noSuchKey(): SandboxError {
	return new SandboxError('NoSuchKey', 'The specified key does not exist.', 404);
}

function checkKey(key: string): void {
	if (key.length === 0) {
		throw new SandboxError('InvalidArgument', 'The object key must not be empty.', 400);
	}

	if (Buffer.byteLength(key, 'utf8') > maxKeyBytes) {
		throw new SandboxError('KeyTooLongError', 'Your key is too long', 400);
	}
}

/** S3 lists keys in UTF-8 binary order. */
function compareKeys(a: string, b: string): number {
	return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function quotedMd5(hex: string): string {
	return `"${hex}"`;
}

export async function createObjectStore(options: {dir: string; accounts: SandboxAccount[]}): Promise<DiskObjectStore> {
	const root = path.join(options.dir, 's3');
	const objectsRoot = path.join(root, 'objects');
	const bucketsFile = path.join(root, 'buckets.json');
	const buckets = new Map<string, StoredBucket>();
	const objects = new Map<string, Map<string, Entry>>();
	const locks = new Map<string, Promise<unknown>>();

	const bucketDir = (bucket: string) => path.join(objectsRoot, bucket);
	const keyHash = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
	const metaPath = (bucket: string, key: string) => path.join(bucketDir(bucket), `${keyHash(key)}.json`);
	const dataPath = (bucket: string, file: string) => path.join(bucketDir(bucket), file);
	const newDataFile = (key: string) =>
		`${keyHash(key)}.${Date.now().toString(36)}${randomBytes(6).toString('hex')}.data`;

	/** Runs fn after every earlier fn with the same name has settled. */
	async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
		const previous = locks.get(name) ?? Promise.resolve();
		const run = previous.then(fn, fn);
		const settled = run.then(
			() => undefined,
			() => undefined,
		);
		locks.set(name, settled);
		try {
			return await run;
		} finally {
			if (locks.get(name) === settled) {
				locks.delete(name);
			}
		}
	}

	function objectsOf(bucket: string): Map<string, Entry> {
		const map = objects.get(bucket);
		if (!buckets.has(bucket) || !map) {
			throw noSuchBucket();
		}

		return map;
	}

	async function persistBuckets(): Promise<void> {
		const list: BucketFile[] = [...buckets.values()].map((b) => ({
			name: b.name,
			region: b.region,
			ownerId: b.ownerId,
			createdAt: b.createdAt.toISOString(),
		}));
		await writeJsonFile(bucketsFile, list);
	}

	async function load(): Promise<void> {
		await mkdir(objectsRoot, {recursive: true, mode: 0o700});
		const list = (await readJsonFile<BucketFile[]>(bucketsFile)) ?? [];
		for (const item of list) {
			buckets.set(item.name, {
				name: item.name,
				region: item.region,
				ownerId: item.ownerId,
				createdAt: new Date(item.createdAt),
			});
			objects.set(item.name, await loadBucketObjects(item.name));
		}

		let seeded = false;
		for (const seed of seededForeignBuckets) {
			if (!buckets.has(seed.name)) {
				buckets.set(seed.name, {...seed, createdAt: new Date()});
				objects.set(seed.name, new Map());
				await mkdir(bucketDir(seed.name), {recursive: true, mode: 0o700});
				seeded = true;
			}
		}

		if (seeded) {
			await persistBuckets();
		}
	}

	async function loadBucketObjects(bucket: string): Promise<Map<string, Entry>> {
		const map = new Map<string, Entry>();
		const directory = bucketDir(bucket);
		await mkdir(directory, {recursive: true, mode: 0o700});
		const names = await readdir(directory);
		const referenced = new Set<string>();
		for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
			const meta = await readJsonFile<MetaFile>(path.join(directory, name));
			if (!meta) {
				continue;
			}

			try {
				await stat(path.join(directory, meta.file));
			} catch (error) {
				if (!isNotFound(error)) {
					throw error;
				}

				// The bytes are gone (crash during a delete): the object is gone.
				await rm(path.join(directory, name), {force: true});
				continue;
			}

			referenced.add(meta.file);
			map.set(meta.key, {
				file: meta.file,
				info: {
					bucket,
					key: meta.key,
					size: meta.size,
					etag: meta.etag,
					lastModified: new Date(meta.lastModified),
					acl: meta.acl,
					contentType: meta.contentType,
					metadata: meta.metadata ?? {},
					...(meta.tags ? {tags: meta.tags} : {}),
				},
			});
		}

		for (const name of names) {
			if ((name.endsWith('.data') && !referenced.has(name)) || name.endsWith('.tmp')) {
				await rm(path.join(directory, name), {force: true});
			}
		}

		return map;
	}

	async function commit(bucket: string, entry: Entry): Promise<StoredObjectDetails> {
		const {key} = entry.info;
		return withLock(`${bucket}/${key}`, async () => {
			let map: Map<string, Entry>;
			try {
				map = objectsOf(bucket);
			} catch (error) {
				await rm(dataPath(bucket, entry.file), {force: true});
				throw error;
			}

			const meta: MetaFile = {
				key,
				size: entry.info.size,
				etag: entry.info.etag,
				lastModified: entry.info.lastModified.toISOString(),
				acl: entry.info.acl,
				contentType: entry.info.contentType,
				metadata: entry.info.metadata,
				tags: entry.info.tags,
				file: entry.file,
			};
			await writeJsonFile(metaPath(bucket, key), meta);
			const previous = map.get(key);
			map.set(key, entry);
			if (previous && previous.file !== entry.file) {
				await rm(dataPath(bucket, previous.file), {force: true});
			}

			return entry.info;
		});
	}

	function details(
		bucket: string,
		key: string,
		size: number,
		md5Hex: string,
		meta: ObjectMeta | undefined,
	): StoredObjectDetails {
		return {
			bucket,
			key,
			size,
			etag: quotedMd5(md5Hex),
			lastModified: new Date(),
			acl: meta?.acl,
			contentType: meta?.contentType,
			metadata: meta?.metadata ?? {},
			...(meta?.tags ? {tags: meta.tags} : {}),
		};
	}

	async function putObjectStream(
		bucket: string,
		key: string,
		body: Iterable<Uint8Array> | AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
		meta?: ObjectMeta,
		putOptions?: PutStreamOptions,
	): Promise<StoredObjectDetails> {
		checkKey(key);
		objectsOf(bucket);
		const file = newDataFile(key);
		const target = dataPath(bucket, file);
		const md5 = createHash('md5');
		let size = 0;
		const counter = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				md5.update(chunk);
				size += chunk.length;
				callback(null, chunk);
			},
		});
		try {
			const source =
				body instanceof Readable ? body : Readable.from(body as Iterable<Uint8Array> | AsyncIterable<Uint8Array>);
			await pipeline(source, counter, createWriteStream(target, {flush: true, mode: 0o600}));
			if (putOptions?.expectedSize !== undefined && putOptions.expectedSize !== size) {
				throw new SandboxError(
					'IncompleteBody',
					`You did not provide the number of bytes specified by the Content-Length HTTP header (${putOptions.expectedSize} declared, ${size} received).`,
					400,
				);
			}

			const digest = md5.digest();
			if (putOptions?.expectedMd5Base64 !== undefined && putOptions.expectedMd5Base64 !== digest.toString('base64')) {
				throw new SandboxError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
			}

			const info = details(bucket, key, size, digest.toString('hex'), meta);
			if (putOptions?.etag !== undefined) {
				info.etag = putOptions.etag;
			}

			return await commit(bucket, {file, info});
		} catch (error) {
			await rm(target, {force: true});
			throw error;
		}
	}

	async function putObject(bucket: string, key: string, body: Buffer, meta?: ObjectMeta): Promise<StoredObjectDetails> {
		return putObjectStream(bucket, key, [body], meta);
	}

	/** Replaces an object's tags (PutObjectTagging / DeleteObjectTagging); undefined when the object is missing. */
	async function setObjectTags(
		bucket: string,
		key: string,
		tags: Record<string, string>,
	): Promise<StoredObjectDetails | undefined> {
		const entry = objects.get(bucket)?.get(key);
		if (!entry) {
			return undefined;
		}

		return commit(bucket, {file: entry.file, info: {...entry.info, tags}});
	}

	async function headObject(bucket: string, key: string): Promise<StoredObjectDetails | undefined> {
		return objects.get(bucket)?.get(key)?.info;
	}

	async function openObject(bucket: string, key: string): Promise<OpenedObject | undefined> {
		return withLock(`${bucket}/${key}`, async () => {
			const entry = objects.get(bucket)?.get(key);
			if (!entry) {
				return undefined;
			}

			const handle = await open(dataPath(bucket, entry.file), 'r');
			return {info: entry.info, handle};
		});
	}

	async function readObject(bucket: string, key: string): Promise<Buffer | undefined> {
		const opened = await openObject(bucket, key);
		if (!opened) {
			return undefined;
		}

		try {
			return await opened.handle.readFile();
		} finally {
			await opened.handle.close();
		}
	}

	async function deleteObject(bucket: string, key: string): Promise<void> {
		objectsOf(bucket);
		await withLock(`${bucket}/${key}`, async () => {
			const map = objects.get(bucket);
			const entry = map?.get(key);
			if (!map || !entry) {
				return;
			}

			map.delete(key);
			await rm(metaPath(bucket, key), {force: true});
			await rm(dataPath(bucket, entry.file), {force: true});
		});
	}

	async function listObjects(bucket: string, prefix: string): Promise<StoredObjectDetails[]> {
		const map = objectsOf(bucket);
		return [...map.values()]
			.map((entry) => entry.info)
			.filter((info) => info.key.startsWith(prefix))
			.sort((a, b) => compareKeys(a.key, b.key));
	}

	async function copyObject(
		source: {bucket: string; key: string},
		destination: {bucket: string; key: string; acl?: string; contentType?: string; metadata?: Record<string, string>},
	): Promise<StoredObjectDetails> {
		checkKey(destination.key);
		objectsOf(source.bucket);
		objectsOf(destination.bucket);
		const file = newDataFile(destination.key);
		const target = dataPath(destination.bucket, file);
		const sourceInfo = await withLock(`${source.bucket}/${source.key}`, async () => {
			const entry = objects.get(source.bucket)?.get(source.key);
			if (!entry) {
				throw noSuchKey();
			}

			await copyFile(dataPath(source.bucket, entry.file), target);
			return entry.info;
		});
		try {
			return await commit(destination.bucket, {
				file,
				info: {
					bucket: destination.bucket,
					key: destination.key,
					size: sourceInfo.size,
					etag: sourceInfo.etag,
					lastModified: new Date(),
					acl: destination.acl,
					contentType: destination.contentType ?? sourceInfo.contentType,
					metadata: destination.metadata ?? sourceInfo.metadata,
				},
			});
		} catch (error) {
			await rm(target, {force: true});
			throw error;
		}
	}

	async function createBucket(ownerId: string, name: string, region: string): Promise<StoredBucket> {
		const problem = bucketNameProblem(name);
		if (problem) {
			throw new SandboxError('InvalidBucketName', `The specified bucket is not valid. ${problem}`, 400);
		}

		return withLock('buckets', async () => {
			const existing = buckets.get(name);
			if (existing) {
				throw existing.ownerId === ownerId
					? new SandboxError(
							'BucketAlreadyOwnedByYou',
							'Your previous request to create the named bucket succeeded and you already own it.',
							409,
						)
					: new SandboxError(
							'BucketAlreadyExists',
							'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
							409,
						);
			}

			const bucket: StoredBucket = {name, region, ownerId, createdAt: new Date()};
			await mkdir(bucketDir(name), {recursive: true, mode: 0o700});
			buckets.set(name, bucket);
			objects.set(name, new Map());
			await persistBuckets();
			return bucket;
		});
	}

	async function deleteBucket(name: string): Promise<void> {
		await withLock('buckets', async () => {
			const map = objectsOf(name);
			if (map.size > 0) {
				throw new SandboxError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409);
			}

			buckets.delete(name);
			objects.delete(name);
			await persistBuckets();
			await rm(bucketDir(name), {recursive: true, force: true});
		});
	}

	async function postObject(form: PostUploadForm): Promise<StoredObjectDetails> {
		const {account: signer, lengthRange} = checkPostPolicy(form, options.accounts, new Date());
		if (!form.key) {
			throw new SandboxError('InvalidArgument', "Bucket POST must contain a field named 'key'.", 400);
		}

		const bucket = buckets.get(form.bucket);
		if (!bucket) {
			throw noSuchBucket();
		}

		if (bucket.ownerId !== signer.id) {
			throw new SandboxError(
				'AccessDenied',
				`Access Denied: bucket ${form.bucket} belongs to another account; ${signer.accessKeyId} may not write to it.`,
				403,
			);
		}

		const meta = {acl: form.acl, contentType: form.fields?.get('content-type')};
		if (Buffer.isBuffer(form.body)) {
			return putObject(form.bucket, form.key, form.body, meta);
		}

		return putObjectStream(form.bucket, form.key, withinRange(form.body, lengthRange), meta);
	}

	await load();

	const store: DiskObjectStore = {
		getBucket: (name) => buckets.get(name),
		listBuckets: (ownerId) =>
			[...buckets.values()].filter((b) => b.ownerId === ownerId).sort((a, b) => compareKeys(a.name, b.name)),
		createBucket,
		deleteBucket,
		putObject,
		putObjectStream,
		headObject,
		setObjectTags,
		openObject,
		readObject,
		deleteObject,
		listObjects,
		copyObject,
		postObject,
	};
	// The store is usable wherever the shared ObjectStore contract is expected.
	return store satisfies ObjectStore;
}

/** For tests and diagnostics: the bytes on disk of a bucket directory (to prove nothing was stored). */
export async function readBucketFiles(dir: string, bucket: string): Promise<string[]> {
	try {
		return await readdir(path.join(dir, 's3', 'objects', bucket));
	} catch (error) {
		if (isNotFound(error)) {
			return [];
		}

		throw error;
	}
}

/** The streamed file, refused as soon as it outgrows content-length-range (nothing is stored then). */
async function* withinRange(body: AsyncIterable<Buffer>, range: [number, number] | undefined): AsyncGenerator<Buffer> {
	let size = 0;
	for await (const chunk of body) {
		size += chunk.length;
		if (range && size > range[1]) {
			checkLength(size, range);
		}

		yield chunk;
	}

	if (range) {
		checkLength(size, range);
	}
}
