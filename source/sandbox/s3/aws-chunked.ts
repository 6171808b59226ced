/**
 * Decoder for S3 `Content-Encoding: aws-chunked` bodies:
 *   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n[<trailer>:<value>\r\n]*\r\n
 * Used by STREAMING-UNSIGNED-PAYLOAD-TRAILER (the SDK's default for streams), STREAMING-AWS4-HMAC-SHA256-PAYLOAD and
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER. Signed variants have every chunk's signature (and the trailer's)
 * verified against the seed signature of the request.
 */
import {createHash, createHmac} from 'node:crypto';
import {Transform, type TransformCallback} from 'node:stream';
import {SandboxError} from '../contracts.js';
import {emptySha256, sha256Hex, signaturesEqual} from '../sigv4.js';

export type ChunkSigning = {
	signingKey: Buffer;
	amzDate: string;
	scope: string;
	seedSignature: string;
};

const maxLineLength = 8192;
const crlf = Buffer.from('\r\n');

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

function incomplete(message: string): SandboxError {
	return new SandboxError('IncompleteBody', message, 400);
}

export class AwsChunkedDecoder extends Transform {
	/** Trailing headers (lower-case names), available once the stream has ended. */
	readonly trailers = new Map<string, string>();
	private readonly signing: ChunkSigning | undefined;
	private readonly trailerSigned: boolean;
	private state: State = 'size';
	private pending: Buffer = Buffer.alloc(0);
	private remaining = 0;
	private chunkSignature: string | undefined;
	private chunkHash = createHash('sha256');
	private previousSignature: string;
	private readonly trailerLines: string[] = [];
	private trailerSignature: string | undefined;

	constructor(options: {signing?: ChunkSigning | undefined; trailerSigned?: boolean}) {
		super();
		this.signing = options.signing;
		this.trailerSigned = options.trailerSigned ?? false;
		this.previousSignature = options.signing?.seedSignature ?? '';
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		try {
			this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
			this.consume();
			callback();
		} catch (error) {
			callback(error as Error);
		}
	}

	override _flush(callback: TransformCallback): void {
		if (this.state !== 'done') {
			callback(incomplete('The aws-chunked body ended before its final zero-length chunk and trailer.'));
			return;
		}

		callback();
	}

	private readLine(): string | undefined {
		const index = this.pending.indexOf(crlf);
		if (index === -1) {
			if (this.pending.length > maxLineLength) {
				throw new SandboxError('InvalidRequest', 'An aws-chunked chunk header or trailer line is too long.', 400);
			}

			return undefined;
		}

		const line = this.pending.subarray(0, index).toString('latin1');
		this.pending = this.pending.subarray(index + 2);
		return line;
	}

	private consume(): void {
		for (;;) {
			switch (this.state) {
				case 'size': {
					const line = this.readLine();
					if (line === undefined) {
						return;
					}

					this.startChunk(line);
					break;
				}

				case 'data': {
					if (this.pending.length === 0) {
						return;
					}

					const take = Math.min(this.remaining, this.pending.length);
					const data = this.pending.subarray(0, take);
					this.pending = this.pending.subarray(take);
					this.remaining -= take;
					if (this.signing) {
						this.chunkHash.update(data);
					}

					this.push(Buffer.from(data));
					if (this.remaining === 0) {
						this.state = 'data-end';
					}

					break;
				}

				case 'data-end': {
					if (this.pending.length < 2) {
						return;
					}

					if (this.pending[0] !== 0x0d || this.pending[1] !== 0x0a) {
						throw incomplete('An aws-chunked chunk is longer than its declared size.');
					}

					this.pending = this.pending.subarray(2);
					this.finishChunk(false);
					this.state = 'size';
					break;
				}

				case 'trailer': {
					const line = this.readLine();
					if (line === undefined) {
						return;
					}

					if (line === '') {
						this.finishTrailer();
						this.state = 'done';
						break;
					}

					this.addTrailer(line);
					break;
				}

				case 'done': {
					// Anything after the final CRLF is ignored, like S3 does with a trailing CRLF.
					this.pending = Buffer.alloc(0);
					return;
				}
			}
		}
	}

	private startChunk(line: string): void {
		const [sizeText, ...extensions] = line.split(';');
		if (!sizeText || !/^[\da-fA-F]+$/.test(sizeText.trim())) {
			throw new SandboxError('InvalidRequest', `Malformed aws-chunked chunk header '${line.slice(0, 80)}'.`, 400);
		}

		const size = Number.parseInt(sizeText.trim(), 16);
		this.chunkSignature = extensions
			.map((extension) => extension.trim())
			.find((extension) => extension.startsWith('chunk-signature='))
			?.slice('chunk-signature='.length);
		if (this.signing && !this.chunkSignature) {
			throw new SandboxError('SignatureDoesNotMatch', 'An aws-chunked chunk is missing its chunk-signature.', 403);
		}

		this.chunkHash = createHash('sha256');
		if (size === 0) {
			this.finishChunk(true);
			this.state = 'trailer';
			return;
		}

		this.remaining = size;
		this.state = 'data';
	}

	private finishChunk(final: boolean): void {
		if (!this.signing) {
			return;
		}

		const hash = final ? emptySha256 : this.chunkHash.digest('hex');
		const text = [
			'AWS4-HMAC-SHA256-PAYLOAD',
			this.signing.amzDate,
			this.signing.scope,
			this.previousSignature,
			emptySha256,
			hash,
		].join('\n');
		const expected = createHmac('sha256', this.signing.signingKey).update(text, 'utf8').digest('hex');
		if (!signaturesEqual(expected, this.chunkSignature ?? '')) {
			throw new SandboxError(
				'SignatureDoesNotMatch',
				'The chunk signature we calculated does not match the chunk-signature you provided.',
				403,
			);
		}

		this.previousSignature = expected;
	}

	private addTrailer(line: string): void {
		const index = line.indexOf(':');
		if (index <= 0) {
			throw new SandboxError('InvalidRequest', 'Malformed aws-chunked trailer line.', 400);
		}

		const name = line.slice(0, index).trim().toLowerCase();
		const value = line.slice(index + 1).trim();
		if (name === 'x-amz-trailer-signature') {
			this.trailerSignature = value;
			return;
		}

		this.trailers.set(name, value);
		this.trailerLines.push(`${name}:${value}`);
	}

	private finishTrailer(): void {
		if (!this.signing || !this.trailerSigned) {
			return;
		}

		const text = [
			'AWS4-HMAC-SHA256-TRAILER',
			this.signing.amzDate,
			this.signing.scope,
			this.previousSignature,
			sha256Hex(this.trailerLines.map((line) => `${line}\n`).join('')),
		].join('\n');
		const expected = createHmac('sha256', this.signing.signingKey).update(text, 'utf8').digest('hex');
		if (!signaturesEqual(expected, this.trailerSignature ?? '')) {
			throw new SandboxError(
				'SignatureDoesNotMatch',
				'The trailer signature we calculated does not match the x-amz-trailer-signature you provided.',
				403,
			);
		}
	}
}
