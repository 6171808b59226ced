/**
 * S3 multipart uploads (what the AWS CLI uses for files over 8 MB, and for copies of objects over 8 MB):
 * CreateMultipartUpload, UploadPart, UploadPartCopy, ListParts, CompleteMultipartUpload, AbortMultipartUpload.
 * State lives on disk under <dir>/s3/uploads/<uploadId>/ (upload.json, <n>.json + <n>.data per part), so uploads
 * survive a restart. Completion streams the parts, in order, into the object store.
 */
import {createHash, randomBytes} from 'node:crypto';
import {createReadStream, createWriteStream} from 'node:fs';
import {mkdir, readdir, rm} from 'node:fs/promises';
import path from 'node:path';
import {Readable, Transform} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {readJsonFile, writeJsonFile} from '../atomic-file.js';
import {SandboxError} from '../contracts.js';
import type {DiskObjectStore, ObjectMeta, StoredObjectDetails} from './object-store.js';

export type UploadInfo = {
	uploadId: string;
	bucket: string;
	key: string;
	initiated: string;
	meta: ObjectMeta;
};

export type PartInfo = {partNumber: number; etag: string; size: number; lastModified: string; file: string};

const minPartSize = 5 * 1024 * 1024;
const maxPartNumber = 10_000;

function noSuchUpload(): SandboxError {
	return new SandboxError(
		'NoSuchUpload',
		'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
		404,
	);
}

export class MultipartUploads {
	private readonly root: string;
	private readonly store: DiskObjectStore;

	constructor(dir: string, store: DiskObjectStore) {
		this.root = path.join(dir, 's3', 'uploads');
		this.store = store;
	}

	async create(bucket: string, key: string, meta: ObjectMeta): Promise<UploadInfo> {
		const upload: UploadInfo = {
			uploadId: randomBytes(24).toString('base64url'),
			bucket,
			key,
			initiated: new Date().toISOString(),
			meta,
		};
		await mkdir(this.uploadDir(upload.uploadId), {recursive: true, mode: 0o700});
		await writeJsonFile(path.join(this.uploadDir(upload.uploadId), 'upload.json'), upload);
		return upload;
	}

	/** The upload, checked against the bucket and key it was created for. */
	async get(bucket: string, key: string, uploadId: string): Promise<UploadInfo> {
		if (!/^[\w-]{8,64}$/.test(uploadId)) {
			throw noSuchUpload();
		}

		const upload = await readJsonFile<UploadInfo>(path.join(this.uploadDir(uploadId), 'upload.json'));
		if (!upload || upload.bucket !== bucket || upload.key !== key) {
			throw noSuchUpload();
		}

		return upload;
	}

	async uploadPart(
		upload: UploadInfo,
		partNumberText: string,
		body: NodeJS.ReadableStream | Readable,
	): Promise<PartInfo> {
		const partNumber = Number(partNumberText);
		if (!/^\d+$/.test(partNumberText) || partNumber < 1 || partNumber > maxPartNumber) {
			throw new SandboxError(
				'InvalidArgument',
				`Part number must be an integer between 1 and ${maxPartNumber}, inclusive`,
				400,
			);
		}

		const directory = this.uploadDir(upload.uploadId);
		const file = `${partNumber}.${randomBytes(6).toString('hex')}.data`;
		const md5 = createHash('md5');
		let size = 0;
		const counter = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				md5.update(chunk);
				size += chunk.length;
				callback(null, chunk);
			},
		});
		const target = path.join(directory, file);
		try {
			await pipeline(
				body instanceof Readable ? body : Readable.from(body),
				counter,
				createWriteStream(target, {mode: 0o600}),
			);
		} catch (error) {
			await rm(target, {force: true});
			throw error;
		}

		const part: PartInfo = {
			partNumber,
			etag: `"${md5.digest('hex')}"`,
			size,
			lastModified: new Date().toISOString(),
			file,
		};
		const previous = await readJsonFile<PartInfo>(path.join(directory, `${partNumber}.json`));
		await writeJsonFile(path.join(directory, `${partNumber}.json`), part);
		if (previous && previous.file !== file) {
			await rm(path.join(directory, previous.file), {force: true});
		}

		return part;
	}

	async listParts(upload: UploadInfo): Promise<PartInfo[]> {
		const directory = this.uploadDir(upload.uploadId);
		const names = await readdir(directory);
		const parts: PartInfo[] = [];
		for (const name of names.filter((n) => /^\d+\.json$/.test(n))) {
			const part = await readJsonFile<PartInfo>(path.join(directory, name));
			if (part) {
				parts.push(part);
			}
		}

		return parts.sort((a, b) => a.partNumber - b.partNumber);
	}

	async complete(
		upload: UploadInfo,
		requested: Array<{partNumber: number; etag: string}>,
	): Promise<StoredObjectDetails> {
		if (requested.length === 0) {
			throw new SandboxError(
				'MalformedXML',
				'The XML you provided was not well-formed or did not validate against our published schema',
				400,
			);
		}

		const stored = new Map((await this.listParts(upload)).map((part) => [part.partNumber, part]));
		const chosen: PartInfo[] = [];
		for (const [index, item] of requested.entries()) {
			if (index > 0 && item.partNumber <= requested[index - 1]!.partNumber) {
				throw new SandboxError(
					'InvalidPartOrder',
					'The list of parts was not in ascending order. Parts must be ordered by part number.',
					400,
				);
			}
		}

		for (const [index, item] of requested.entries()) {
			const part = stored.get(item.partNumber);
			const etag = item.etag.startsWith('"') ? item.etag : `"${item.etag}"`;
			if (!part || part.etag !== etag) {
				throw new SandboxError(
					'InvalidPart',
					"One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
					400,
				);
			}

			if (index < requested.length - 1 && part.size < minPartSize) {
				throw new SandboxError(
					'EntityTooSmall',
					'Your proposed upload is smaller than the minimum allowed object size.',
					400,
				);
			}

			chosen.push(part);
		}

		const combined = createHash('md5');
		for (const part of chosen) {
			combined.update(Buffer.from(part.etag.slice(1, -1), 'hex'));
		}

		const directory = this.uploadDir(upload.uploadId);
		// One stream over the part files in order. (A pipeline per part into one PassThrough with end: false left
		// listeners on it for every part: MaxListenersExceededWarning past ten parts.)
		async function* partBytes() {
			for (const part of chosen) {
				for await (const chunk of createReadStream(path.join(directory, part.file))) {
					yield chunk as Buffer;
				}
			}
		}

		const info = await this.store.putObjectStream(upload.bucket, upload.key, Readable.from(partBytes()), upload.meta, {
			etag: `"${combined.digest('hex')}-${chosen.length}"`,
		});
		await rm(directory, {recursive: true, force: true});
		return info;
	}

	/** Uploads started and neither completed nor aborted, in a bucket (ListMultipartUploads), oldest first. */
	async list(bucket: string, prefix = ''): Promise<UploadInfo[]> {
		const uploads = await this.all();
		return uploads
			.filter((upload) => upload.bucket === bucket && upload.key.startsWith(prefix))
			.sort((a, b) => (a.key === b.key ? a.initiated.localeCompare(b.initiated) : a.key < b.key ? -1 : 1));
	}

	/**
	 * Removes uploads started more than maxAgeMs ago (a client killed mid-upload leaves its parts behind; S3
	 * lifecycle rules do the same). Returns how many were removed.
	 */
	async removeAbandoned(maxAgeMs: number, now = Date.now()): Promise<number> {
		let removed = 0;
		for (const upload of await this.all()) {
			if (now - Date.parse(upload.initiated) > maxAgeMs) {
				await this.abort(upload);
				removed++;
			}
		}

		return removed;
	}

	private async all(): Promise<UploadInfo[]> {
		const names = await readdir(this.root).catch(() => [] as string[]);
		const uploads: UploadInfo[] = [];
		for (const name of names) {
			const upload = await readJsonFile<UploadInfo>(path.join(this.root, name, 'upload.json')).catch(() => undefined);
			if (upload) {
				uploads.push(upload);
			} else {
				// A directory without its upload.json: a create that died half-way.
				await rm(path.join(this.root, name), {recursive: true, force: true});
			}
		}

		return uploads;
	}

	async abort(upload: UploadInfo): Promise<void> {
		await rm(this.uploadDir(upload.uploadId), {recursive: true, force: true});
	}

	/** A file-safe path for an upload id (ids are base64url). */
	private uploadDir(uploadId: string): string {
		return path.join(this.root, uploadId);
	}
}
