/** A SandboxError carrying what S3 adds to some errors: extra response headers and extra <Error> fields. */
import {SandboxError} from '../contracts.js';

export class S3Error extends SandboxError {
	readonly headers: Record<string, string>;
	readonly fields: Record<string, string | undefined>;

	constructor(
		code: string,
		message: string,
		status: number,
		extra: {headers?: Record<string, string>; fields?: Record<string, string | undefined>} = {},
	) {
		super(code, message, status);
		this.headers = extra.headers ?? {};
		this.fields = extra.fields ?? {};
	}
}
