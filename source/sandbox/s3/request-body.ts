/**
 * The decoded, verified body of an S3 request as a stream: aws-chunked decoding (with chunk signatures), the
 * x-amz-content-sha256 payload hash, x-amz-checksum-* headers or trailers, and the declared decoded length are
 * checked as the bytes pass; the stream errors at its end (before a write is committed) when anything differs.
 */
import {createHash} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import {pipeline, type Readable, Transform, type TransformCallback} from 'node:stream';
import {SandboxError} from '../contracts.js';
import {AwsChunkedDecoder, type ChunkSigning} from './aws-chunked.js';
import {type Checksum, checksumFor, checksumLabel} from './checksums.js';

export type BodyOptions = {
	/** x-amz-content-sha256 (undefined for presigned or anonymous requests) */
	contentSha256: string | undefined;
	/** Signing material for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] */
	signing: ChunkSigning | undefined;
};

const streamingModes = new Set([
	'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
	'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
	'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
]);

/** Throws SandboxError for an x-amz-content-sha256 value the sandbox cannot honour. */
export function checkContentSha256(value: string | undefined): void {
	if (value === undefined || value === 'UNSIGNED-PAYLOAD' || streamingModes.has(value) || /^[\da-f]{64}$/.test(value)) {
		return;
	}

	if (value.startsWith('STREAMING-')) {
		throw new SandboxError('NotImplemented', `The payload signing mode ${value} is not supported by the sandbox.`, 501);
	}

	throw new SandboxError(
		'InvalidArgument',
		"x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* mode, or the body's hex SHA-256.",
		400,
	);
}

class BodyVerifier extends Transform {
	private readonly sha256 = createHash('sha256');
	private size = 0;
	private readonly options: {
		expectedSha256: string | undefined;
		checksumHeader: string | undefined;
		checksumValue: () => string | undefined;
		checksum: Checksum | undefined;
		expectedSize: number | undefined;
	};

	constructor(options: BodyVerifier['options']) {
		super();
		this.options = options;
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.size += chunk.length;
		if (this.options.expectedSha256) {
			this.sha256.update(chunk);
		}

		this.options.checksum?.update(chunk);
		callback(null, chunk);
	}

	override _flush(callback: TransformCallback): void {
		const {expectedSha256, expectedSize, checksum, checksumHeader} = this.options;
		if (expectedSize !== undefined && expectedSize !== this.size) {
			callback(
				new SandboxError(
					'IncompleteBody',
					`The body has ${this.size} bytes but x-amz-decoded-content-length declares ${expectedSize}.`,
					400,
				),
			);
			return;
		}

		if (expectedSha256 && this.sha256.digest('hex') !== expectedSha256) {
			callback(
				new SandboxError(
					'XAmzContentSHA256Mismatch',
					"The provided 'x-amz-content-sha256' header does not match what was computed.",
					400,
				),
			);
			return;
		}

		if (checksum && checksumHeader) {
			const given = this.options.checksumValue();
			if (given === undefined) {
				callback(
					new SandboxError(
						'InvalidRequest',
						`The request declared the trailer ${checksumHeader} but did not send it.`,
						400,
					),
				);
				return;
			}

			if (given !== checksum.digestBase64()) {
				const label = checksumLabel(checksumHeader);
				callback(
					new SandboxError('BadDigest', `The ${label} you specified did not match the calculated checksum.`, 400),
				);
				return;
			}
		}

		callback();
	}
}

/** The request's decoded body. Consume it fully (or destroy it); errors carry SandboxError. */
export function requestBody(request: IncomingMessage, options: BodyOptions): Readable {
	const mode = options.contentSha256;
	const headers = request.headers;
	const streaming = mode !== undefined && streamingModes.has(mode);
	const trailerHeader = headers['x-amz-trailer'];
	const declaredTrailer = typeof trailerHeader === 'string' ? trailerHeader.trim().toLowerCase() : undefined;
	const checksumHeaderName =
		declaredTrailer?.startsWith('x-amz-checksum-') === true
			? declaredTrailer
			: Object.keys(headers).find((name) => name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type');
	const checksum = checksumHeaderName ? checksumFor(checksumHeaderName) : undefined;
	const decodedLength = headers['x-amz-decoded-content-length'];

	if (streaming) {
		const decoder = new AwsChunkedDecoder({
			signing: mode.startsWith('STREAMING-AWS4-HMAC-SHA256') ? options.signing : undefined,
			trailerSigned: mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
		});
		const verifier = new BodyVerifier({
			expectedSha256: undefined,
			checksumHeader: checksumHeaderName,
			checksum,
			checksumValue: () =>
				checksumHeaderName === declaredTrailer
					? decoder.trailers.get(declaredTrailer ?? '')
					: (headers[checksumHeaderName ?? ''] as string | undefined),
			expectedSize: typeof decodedLength === 'string' ? Number(decodedLength) : undefined,
		});
		return pipeline(request, decoder, verifier, () => {
			// Errors surface on the returned stream.
		});
	}

	const verifier = new BodyVerifier({
		expectedSha256: mode !== undefined && /^[\da-f]{64}$/.test(mode) ? mode : undefined,
		checksumHeader: checksumHeaderName,
		checksum,
		checksumValue: () => headers[checksumHeaderName ?? ''] as string | undefined,
		expectedSize: undefined,
	});
	return pipeline(request, verifier, () => {
		// Errors surface on the returned stream.
	});
}

/** Reads a small decoded body fully (XML configuration documents); rejects beyond limit bytes. */
export async function readSmallBody(body: Readable, limit = 1024 * 1024): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		size += (chunk as Buffer).length;
		if (size > limit) {
			body.destroy();
			throw new SandboxError('MaxMessageLengthExceeded', 'Your request was too big.', 400);
		}

		chunks.push(chunk as Buffer);
	}

	return Buffer.concat(chunks);
}
