import {createHash, createHmac} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable} from 'node:stream';
import {crc32} from 'node:zlib';
import {Sha256} from '@aws-crypto/sha256-js';
import {GetObjectCommand, PutObjectCommand} from '@aws-sdk/client-s3';
import {SignatureV4} from '@smithy/signature-v4';
import {describe, expect, test} from 'vitest';
import {s3Client, sandboxWithBucket} from '../helpers/sandbox.js';

const bucket = 'chunked-bucket';
const {sandbox, s3} = await sandboxWithBucket(bucket);

async function read(key: string): Promise<Buffer | undefined> {
	try {
		const got = await s3.send(new GetObjectCommand({Bucket: bucket, Key: key}));
		return Buffer.from((await got.Body?.transformToByteArray()) ?? []);
	} catch (error) {
		if ((error as Error).name === 'NoSuchKey') {
			return undefined;
		}

		throw error;
	}
}

function patterned(size: number): Buffer {
	const data = Buffer.alloc(size);
	for (let i = 0; i < size; i++) {
		data[i] = (i * 7 + (i >> 8)) & 0xff;
	}

	return data;
}

const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

type Mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** Signs the request headers with @smithy/signature-v4, then frames the body as aws-chunked (signing chunks by hand). */
async function chunkedPut(
	key: string,
	data: Buffer,
	options: {
		mode: Mode;
		chunkSize?: number;
		trailer?: string;
		decodedLength?: number;
		tamper?: boolean;
		truncate?: boolean;
	},
): Promise<Response> {
	const url = new URL(sandbox.endpoint);
	const amzDate = new Date();
	const headers: Record<string, string> = {
		host: url.host,
		'x-amz-content-sha256': options.mode,
		'content-encoding': 'aws-chunked',
		'x-amz-decoded-content-length': String(options.decodedLength ?? data.length),
	};
	if (options.trailer !== undefined) {
		headers['x-amz-trailer'] = 'x-amz-checksum-crc32';
	}

	const signer = new SignatureV4({
		credentials: sandbox.credentials,
		region: 'us-east-1',
		service: 's3',
		sha256: Sha256,
		uriEscapePath: false,
	});
	const signed = await signer.sign(
		{
			method: 'PUT',
			protocol: 'http:',
			hostname: url.hostname,
			port: Number(url.port),
			path: `/${bucket}/${key}`,
			query: {},
			headers,
		},
		{signingDate: amzDate},
	);
	const authorization = signed.headers['authorization']!;
	const seed = /Signature=([\da-f]{64})/.exec(authorization)![1]!;
	const dateStamp = signed.headers['x-amz-date']!;
	const scope = `${dateStamp.slice(0, 8)}/us-east-1/s3/aws4_request`;
	let signingKey = hmac(`AWS4${sandbox.credentials.secretAccessKey}`, dateStamp.slice(0, 8));
	for (const part of ['us-east-1', 's3', 'aws4_request']) {
		signingKey = hmac(signingKey, part);
	}

	let previous = seed;
	const frame = (chunk: Buffer): Buffer => {
		if (options.mode === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
			return Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
		}

		const text = ['AWS4-HMAC-SHA256-PAYLOAD', dateStamp, scope, previous, sha256(''), sha256(chunk)].join('\n');
		previous = hmac(signingKey, text).toString('hex');
		const sent = options.tamper && chunk.length > 0 ? Buffer.from(chunk).fill(0x41, 0, 1) : chunk;
		return Buffer.concat([
			Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`),
			sent,
			Buffer.from('\r\n'),
		]);
	};

	const pieces: Buffer[] = [];
	const size = options.chunkSize ?? 64 * 1024;
	for (let offset = 0; offset < data.length; offset += size) {
		pieces.push(frame(data.subarray(offset, offset + size)));
	}

	if (!options.truncate) {
		const last = frame(Buffer.alloc(0));
		pieces.push(
			options.mode === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'
				? Buffer.from(`0\r\n${options.trailer === undefined ? '' : `x-amz-checksum-crc32:${options.trailer}\r\n`}\r\n`)
				: Buffer.concat([last.subarray(0, last.length - 2), Buffer.from('\r\n')]),
		);
	}

	const {host: _host, ...sendHeaders} = signed.headers;
	return fetch(`${sandbox.endpoint}/${bucket}/${key}`, {
		method: 'PUT',
		headers: sendHeaders,
		body: Buffer.concat(pieces),
	});
}

function crc32Base64(data: Buffer): string {
	const value = Buffer.alloc(4);
	value.writeUInt32BE(crc32(data));
	return value.toString('base64');
}

describe('aws-chunked uploads', () => {
	test('the SDK default for a file stream (STREAMING-UNSIGNED-PAYLOAD-TRAILER, CRC32 trailer) stores the exact bytes', async () => {
		const seen: Array<Record<string, string>> = [];
		const client = s3Client(sandbox);
		client.middlewareStack.add(
			(next) => async (args) => {
				seen.push({...(args.request as {headers: Record<string, string>}).headers});
				return next(args);
			},
			{step: 'finalizeRequest', priority: 'low', name: 'observeHeaders'},
		);
		const dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-chunked-'));
		try {
			const data = patterned(5 * 1024 * 1024 + 3);
			await writeFile(path.join(dir, 'f'), data);
			await client.send(
				new PutObjectCommand({Bucket: bucket, Key: 'sdk-stream', Body: createReadStream(path.join(dir, 'f'))}),
			);
			expect(seen[0]?.['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
			expect(seen[0]?.['content-encoding']).toBe('aws-chunked');
			expect((await read('sdk-stream'))?.equals(data)).toBe(true);
		} finally {
			client.destroy();
			await rm(dir, {recursive: true, force: true});
		}
	});

	test('the SDK default for a generic Readable with a ContentLength stores the exact bytes', async () => {
		const data = patterned(1024 * 1024 + 5);
		const pieces = [data.subarray(0, 300_000), data.subarray(300_000, 700_000), data.subarray(700_000)];
		await s3.send(
			new PutObjectCommand({
				Bucket: bucket,
				Key: 'sdk-readable',
				Body: Readable.from(pieces),
				ContentLength: data.length,
			}),
		);
		expect((await read('sdk-readable'))?.equals(data)).toBe(true);
	});

	test('signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are verified and decoded', async () => {
		const data = patterned(200_000);
		const response = await chunkedPut('signed', data, {mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'});
		expect(response.status).toBe(200);
		expect((await read('signed'))?.equals(data)).toBe(true);
	});

	test('a tampered signed chunk -> 403 SignatureDoesNotMatch, nothing stored', async () => {
		const response = await chunkedPut('signed-tampered', patterned(100_000), {
			mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
			tamper: true,
		});
		expect(response.status).toBe(403);
		expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
		expect(await read('signed-tampered')).toBeUndefined();
	});

	test('a correct CRC32 trailer is accepted; a wrong one -> 400 BadDigest, nothing stored', async () => {
		const data = patterned(150_000);
		const good = await chunkedPut('trailer-good', data, {
			mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
			trailer: crc32Base64(data),
		});
		expect(good.status).toBe(200);
		expect((await read('trailer-good'))?.equals(data)).toBe(true);
		const bad = await chunkedPut('trailer-bad', data, {
			mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
			trailer: 'AAAAAA==',
		});
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('<Code>BadDigest</Code>');
		expect(await read('trailer-bad')).toBeUndefined();
	});

	test('a body without its final chunk, or with a wrong decoded length -> 400 IncompleteBody, nothing stored', async () => {
		const data = patterned(10_000);
		const truncated = await chunkedPut('truncated', data, {mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', truncate: true});
		expect(truncated.status).toBe(400);
		expect(await truncated.text()).toContain('<Code>IncompleteBody</Code>');
		const wrongLength = await chunkedPut('wrong-length', data, {
			mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
			decodedLength: data.length + 1,
			trailer: crc32Base64(data),
		});
		expect(wrongLength.status).toBe(400);
		expect(await read('truncated')).toBeUndefined();
		expect(await read('wrong-length')).toBeUndefined();
	});
});
