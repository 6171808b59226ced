import {createHash} from 'node:crypto';
import {
	AbortMultipartUploadCommand,
	CompleteMultipartUploadCommand,
	CreateMultipartUploadCommand,
	GetObjectCommand,
	ListPartsCommand,
	PutObjectCommand,
	S3ServiceException,
	UploadPartCommand,
	UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import {describe, expect, test} from 'vitest';
import {sandboxWithBucket} from '../helpers/sandbox.js';

const bucket = 'multipart-bucket';
const mib = 1024 * 1024;
const {s3} = await sandboxWithBucket(bucket);

function filled(size: number, seed: number): Buffer {
	const data = Buffer.alloc(size);
	for (let i = 0; i < size; i++) {
		data[i] = (i * seed + (i >> 12)) & 0xff;
	}

	return data;
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest();

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
	const error = await promise.then(
		() => undefined,
		(error_: unknown) => error_,
	);
	expect(error, 'the request should have failed').toBeInstanceOf(S3ServiceException);
	return error as S3ServiceException;
}

describe('multipart uploads', () => {
	test('completing an upload of many parts emits no MaxListenersExceededWarning (listeners do not pile up per part)', async () => {
		const warnings: Error[] = [];
		const onWarning = (warning: Error) => {
			warnings.push(warning);
		};

		process.on('warning', onWarning);
		try {
			// More parts than the default limit of 10 listeners per event: one part each would exceed it
			const partCount = 14;
			const part = Buffer.alloc(5 * mib, 7);
			const key = 'many-parts.bin';
			const {UploadId} = await s3.send(new CreateMultipartUploadCommand({Bucket: bucket, Key: key}));
			const parts: Array<{PartNumber: number; ETag: string}> = [];
			for (let number = 1; number <= partCount; number++) {
				const {ETag} = await s3.send(
					new UploadPartCommand({Bucket: bucket, Key: key, UploadId, PartNumber: number, Body: part}),
				);
				parts.push({PartNumber: number, ETag: ETag!});
			}

			await s3.send(
				new CompleteMultipartUploadCommand({Bucket: bucket, Key: key, UploadId, MultipartUpload: {Parts: parts}}),
			);
			const head = await s3.send(new GetObjectCommand({Bucket: bucket, Key: key}));
			expect(head.ContentLength).toBe(partCount * 5 * mib);
			await head.Body?.transformToByteArray();
			// Process warnings are emitted on a later tick
			await new Promise((resolve) => {
				setImmediate(resolve);
			});
			expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
		} finally {
			process.off('warning', onWarning);
		}
	});

	test('create, upload parts (out of order), list, complete: bytes and the md5-of-md5s-N ETag', async () => {
		const one = filled(5 * mib, 3);
		const two = filled(5 * mib, 5);
		const three = filled(123_457, 7);
		const {UploadId} = await s3.send(
			new CreateMultipartUploadCommand({Bucket: bucket, Key: 'big/object.bin', ContentType: 'application/x-test'}),
		);
		expect(UploadId).toBeTruthy();
		const etags: Record<number, string> = {};
		for (const [number, data] of [
			[2, two],
			[1, one],
			[3, three],
		] as const) {
			const part = await s3.send(
				new UploadPartCommand({Bucket: bucket, Key: 'big/object.bin', UploadId, PartNumber: number, Body: data}),
			);
			expect(part.ETag).toBe(`"${md5(data).toString('hex')}"`);
			etags[number] = part.ETag!;
		}

		const listed = await s3.send(new ListPartsCommand({Bucket: bucket, Key: 'big/object.bin', UploadId}));
		expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
			[1, 5 * mib],
			[2, 5 * mib],
			[3, 123_457],
		]);
		const done = await s3.send(
			new CompleteMultipartUploadCommand({
				Bucket: bucket,
				Key: 'big/object.bin',
				UploadId,
				MultipartUpload: {Parts: [1, 2, 3].map((n) => ({PartNumber: n, ETag: etags[n]}))},
			}),
		);
		const expectedEtag = `"${createHash('md5')
			.update(Buffer.concat([md5(one), md5(two), md5(three)]))
			.digest('hex')}-3"`;
		expect(done.ETag).toBe(expectedEtag);
		const got = await s3.send(new GetObjectCommand({Bucket: bucket, Key: 'big/object.bin'}));
		expect(got.ETag).toBe(expectedEtag);
		expect(got.ContentType).toBe('application/x-test');
		expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(Buffer.concat([one, two, three]))).toBe(
			true,
		);
		const gone = await failure(s3.send(new ListPartsCommand({Bucket: bucket, Key: 'big/object.bin', UploadId})));
		expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(['NoSuchUpload', 404]);
	});

	test('InvalidPart (wrong ETag), EntityTooSmall (small non-last part), InvalidPartOrder; abort -> NoSuchUpload', async () => {
		const {UploadId} = await s3.send(new CreateMultipartUploadCommand({Bucket: bucket, Key: 'bad.bin'}));
		const small = await s3.send(
			new UploadPartCommand({Bucket: bucket, Key: 'bad.bin', UploadId, PartNumber: 1, Body: Buffer.from('tiny')}),
		);
		const second = await s3.send(
			new UploadPartCommand({Bucket: bucket, Key: 'bad.bin', UploadId, PartNumber: 2, Body: Buffer.from('also tiny')}),
		);
		const complete = (parts: Array<{PartNumber: number; ETag: string}>) =>
			s3.send(
				new CompleteMultipartUploadCommand({Bucket: bucket, Key: 'bad.bin', UploadId, MultipartUpload: {Parts: parts}}),
			);
		expect((await failure(complete([{PartNumber: 1, ETag: '"00000000000000000000000000000000"'}]))).name).toBe(
			'InvalidPart',
		);
		expect(
			(
				await failure(
					complete([
						{PartNumber: 1, ETag: small.ETag!},
						{PartNumber: 2, ETag: second.ETag!},
					]),
				)
			).name,
		).toBe('EntityTooSmall');
		expect(
			(
				await failure(
					complete([
						{PartNumber: 2, ETag: second.ETag!},
						{PartNumber: 1, ETag: small.ETag!},
					]),
				)
			).name,
		).toBe('InvalidPartOrder');
		await s3.send(new AbortMultipartUploadCommand({Bucket: bucket, Key: 'bad.bin', UploadId}));
		const aborted = await failure(
			s3.send(new UploadPartCommand({Bucket: bucket, Key: 'bad.bin', UploadId, PartNumber: 3, Body: Buffer.from('x')})),
		);
		expect(aborted.name).toBe('NoSuchUpload');
		expect((await failure(s3.send(new GetObjectCommand({Bucket: bucket, Key: 'bad.bin'})))).name).toBe('NoSuchKey');
	});

	test('UploadPartCopy with source ranges builds a copy of another object', async () => {
		const source = filled(6 * mib + 10, 11);
		await s3.send(new PutObjectCommand({Bucket: bucket, Key: 'copy/source.bin', Body: source}));
		const {UploadId} = await s3.send(new CreateMultipartUploadCommand({Bucket: bucket, Key: 'copy/target.bin'}));
		const first = await s3.send(
			new UploadPartCopyCommand({
				Bucket: bucket,
				Key: 'copy/target.bin',
				UploadId,
				PartNumber: 1,
				CopySource: `${bucket}/copy/source.bin`,
				CopySourceRange: `bytes=0-${5 * mib - 1}`,
			}),
		);
		const second = await s3.send(
			new UploadPartCopyCommand({
				Bucket: bucket,
				Key: 'copy/target.bin',
				UploadId,
				PartNumber: 2,
				CopySource: `${bucket}/copy/source.bin`,
				CopySourceRange: `bytes=${5 * mib}-${source.length - 1}`,
			}),
		);
		await s3.send(
			new CompleteMultipartUploadCommand({
				Bucket: bucket,
				Key: 'copy/target.bin',
				UploadId,
				MultipartUpload: {
					Parts: [
						{PartNumber: 1, ETag: first.CopyPartResult?.ETag},
						{PartNumber: 2, ETag: second.CopyPartResult?.ETag},
					],
				},
			}),
		);
		const got = await s3.send(new GetObjectCommand({Bucket: bucket, Key: 'copy/target.bin'}));
		expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(source)).toBe(true);
	});
});
