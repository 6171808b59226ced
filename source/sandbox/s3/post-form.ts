/**
 * multipart/form-data parsing for S3 POST Object. Fields before the file part are the form; the file must be the
 * last field (S3 ignores anything after it). Field names are case-insensitive, as in S3.
 */
import {SandboxError} from '../contracts.js';

export type ParsedPostForm = {
	/** lower-cased field name -> value (fields before the file) */
	fields: Map<string, string>;
	file: {filename: string | undefined; contentType: string | undefined; data: Buffer} | undefined;
};

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

export function parsePostForm(body: Buffer, boundary: string): ParsedPostForm {
	const delimiter = Buffer.from(`--${boundary}`);
	const fields = new Map<string, string>();
	let position = body.indexOf(delimiter);
	if (position === -1) {
		throw invalid('The body of your POST request is not well-formed multipart/form-data.');
	}

	for (;;) {
		position += delimiter.length;
		if (body.subarray(position, position + 2).toString() === '--') {
			break;
		}

		if (body.subarray(position, position + 2).toString() !== '\r\n') {
			throw invalid('The body of your POST request is not well-formed multipart/form-data.');
		}

		position += 2;
		const headerEnd = body.indexOf('\r\n\r\n', position);
		if (headerEnd === -1) {
			throw invalid('A part of your POST request has no header terminator.');
		}

		const headers = new Map<string, string>();
		for (const line of body.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
			const index = line.indexOf(':');
			if (index > 0) {
				headers.set(line.slice(0, index).trim().toLowerCase(), line.slice(index + 1).trim());
			}
		}

		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
		if (next === -1) {
			throw invalid('The body of your POST request ended before its closing boundary.');
		}

		const data = body.subarray(headerEnd + 4, next);
		const disposition = headers.get('content-disposition') ?? '';
		const name = dispositionParameter(disposition, 'name');
		if (!name) {
			throw invalid('A part of your POST request has no form field name.');
		}

		if (name.toLowerCase() === 'file') {
			return {
				fields,
				file: {filename: dispositionParameter(disposition, 'filename'), contentType: headers.get('content-type'), data},
			};
		}

		fields.set(name.toLowerCase(), data.toString('utf8'));
		position = next + 2;
	}

	return {fields, file: undefined};
}
