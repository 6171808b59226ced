/**
 * multipart/form-data for S3 POST Object, read as a stream: the fields before the file part are read (at most
 * maxFieldBytes) and returned with the file's bytes still unread, so the policy is checked before the file is read
 * and the file goes to disk as it arrives. The file must be the last field (S3 ignores anything after it). Field
 * names are case-insensitive, as in S3.
 */
import type {Readable} from 'node:stream';
import {SandboxError} from '../contracts.js';

export type StreamedPostForm = {
	/** lower-cased field name -> value (fields before the file) */
	fields: Map<string, string>;
	file:
		| {
				filename: string | undefined;
				contentType: string | undefined;
				/** The file's bytes, read from the request as they are consumed. */
				data: AsyncIterable<Buffer>;
		  }
		| undefined;
};

/** All the fields before the file together (S3 allows 20 KB of policy; this leaves room for the rest). */
export const maxFieldBytes = 1024 * 1024;

function invalid(message: string): SandboxError {
	return new SandboxError('MalformedPOSTRequest', message, 400);
}

export function formBoundary(contentType: string | undefined): string | undefined {
	if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) {
		return undefined;
	}

	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match?.[1] ?? match?.[2];
}

function dispositionParameter(disposition: string, name: string): string | undefined {
	const match =
		new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(disposition) ??
		new RegExp(`;\\s*${name}=([^;\\s]*)`, 'i').exec(disposition);
	return match?.[1];
}

/** Pulls bytes from the body on demand, keeping what has been read but not consumed. */
class Reader {
	buffer: Buffer = Buffer.alloc(0);
	private readonly chunks: AsyncIterator<Buffer>;
	private consumed = 0;

	constructor(body: Readable) {
		this.chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
	}

	/** Reads more; false at the end of the body. Throws when the fields before the file outgrow the limit. */
	async more(limitFields: boolean): Promise<boolean> {
		const next = await this.chunks.next();
		if (next.done) {
			return false;
		}

		if (limitFields && this.consumed + this.buffer.length + next.value.length > maxFieldBytes + 4096) {
			throw new SandboxError(
				'MaxPostPreDataLengthExceededError',
				'Your POST request fields preceeding the upload file were too large.',
				400,
			);
		}

		this.buffer = this.buffer.length === 0 ? next.value : Buffer.concat([this.buffer, next.value]);
		return true;
	}

	take(length: number): Buffer {
		const taken = this.buffer.subarray(0, length);
		this.buffer = this.buffer.subarray(length);
		this.consumed += length;
		return taken;
	}

	/** Reads until `marker` is in the buffer at or after `from`; its index, or -1 at the end of the body. */
	async find(marker: Buffer, from = 0): Promise<number> {
		for (;;) {
			const index = this.buffer.indexOf(marker, from);
			if (index !== -1) {
				return index;
			}

			if (!(await this.more(true))) {
				return -1;
			}
		}
	}

	async drain(): Promise<void> {
		this.buffer = Buffer.alloc(0);
		while (await this.more(false)) {
			this.buffer = Buffer.alloc(0);
		}
	}

	/** The bytes up to `end` (not included), streamed; the body is drained after it. */
	async *until(end: Buffer): AsyncGenerator<Buffer> {
		for (;;) {
			const index = this.buffer.indexOf(end);
			if (index !== -1) {
				if (index > 0) {
					yield this.take(index);
				}

				await this.drain();
				return;
			}

			// Keep a tail that may be the start of the delimiter.
			const keep = Math.min(this.buffer.length, end.length - 1);
			if (this.buffer.length > keep) {
				yield this.take(this.buffer.length - keep);
			}

			if (!(await this.more(false))) {
				throw invalid('The body of your POST request ended before its closing boundary.');
			}
		}
	}
}

export async function readPostForm(body: Readable, boundary: string): Promise<StreamedPostForm> {
	const reader = new Reader(body);
	const delimiter = Buffer.from(`--${boundary}`);
	const next = Buffer.from(`\r\n--${boundary}`);
	const fields = new Map<string, string>();
	let position = await reader.find(delimiter);
	if (position === -1) {
		throw invalid('The body of your POST request is not well-formed multipart/form-data.');
	}

	for (;;) {
		position += delimiter.length;
		while (reader.buffer.length < position + 2 && (await reader.more(true))) {
			// need the two bytes after the delimiter
		}

		const after = reader.buffer.subarray(position, position + 2).toString();
		if (after === '--') {
			return {fields, file: undefined};
		}

		if (after !== '\r\n') {
			throw invalid('The body of your POST request is not well-formed multipart/form-data.');
		}

		position += 2;
		const headerEnd = await reader.find(Buffer.from('\r\n\r\n'), position);
		if (headerEnd === -1) {
			throw invalid('A part of your POST request has no header terminator.');
		}

		const headers = new Map<string, string>();
		for (const line of reader.buffer.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
			const index = line.indexOf(':');
			if (index > 0) {
				headers.set(line.slice(0, index).trim().toLowerCase(), line.slice(index + 1).trim());
			}
		}

		const disposition = headers.get('content-disposition') ?? '';
		const name = dispositionParameter(disposition, 'name');
		if (!name) {
			throw invalid('A part of your POST request has no form field name.');
		}

		if (name.toLowerCase() === 'file') {
			reader.take(headerEnd + 4);
			return {
				fields,
				file: {
					filename: dispositionParameter(disposition, 'filename'),
					contentType: headers.get('content-type'),
					data: reader.until(next),
				},
			};
		}

		const end = await reader.find(next, headerEnd + 4);
		if (end === -1) {
			throw invalid('The body of your POST request ended before its closing boundary.');
		}

		fields.set(name.toLowerCase(), reader.buffer.subarray(headerEnd + 4, end).toString('utf8'));
		reader.take(end + 2);
		position = 0;
	}
}
