/** What the EC2 side needs of S3 beyond the ObjectStore contract: the multipart path and streamed reads. */
import {Readable} from 'node:stream';
import type {MultipartWriter, ObjectStreamOpener} from '../contracts.js';
import type {MultipartUploads} from './multipart.js';
import type {DiskObjectStore} from './object-store.js';

export function ec2ObjectAccess(
	store: DiskObjectStore,
	uploads: MultipartUploads,
): {multipart: MultipartWriter; openObjectStream: ObjectStreamOpener} {
	return {
		multipart: {
			async create(bucket, key, metadata) {
				return (await uploads.create(bucket, key, {metadata, contentType: 'application/octet-stream'})).uploadId;
			},
			async uploadPart(bucket, key, uploadId, partNumber, body) {
				const upload = await uploads.get(bucket, key, uploadId);
				return (await uploads.uploadPart(upload, String(partNumber), Readable.from([body]))).etag;
			},
			async complete(bucket, key, uploadId, parts) {
				await uploads.complete(await uploads.get(bucket, key, uploadId), parts);
			},
			async abort(bucket, key, uploadId) {
				// Already gone (completed, aborted, or never created): nothing to abort
				const upload = await uploads.get(bucket, key, uploadId).catch(() => undefined);
				if (upload) {
					await uploads.abort(upload);
				}
			},
		},
		async openObjectStream(bucket, key) {
			const opened = await store.openObject(bucket, key);
			if (!opened) {
				return undefined;
			}

			const stream = opened.handle.createReadStream({autoClose: true});
			return {size: opened.info.size, metadata: opened.info.metadata, stream};
		},
	};
}
