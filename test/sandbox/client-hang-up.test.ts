// A client that hangs up in the middle of an upload is not a fault of the sandbox: it is recorded as such (499, the
// "client closed request" status of web servers) and not reported on stderr as an internal error.
import {Readable} from 'node:stream';
import {PutObjectCommand} from '@aws-sdk/client-s3';
import {afterEach, expect, test, vi} from 'vitest';
import {sandboxWithBucket} from '../helpers/sandbox.js';

const bucket = 'hang-up-bucket';
const {sandbox, s3} = await sandboxWithBucket(bucket);

afterEach(() => {
	vi.restoreAllMocks();
});

test('an upload the client abandons half-way is logged as the client leaving, not as an internal error', async () => {
	const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
	const abort = new AbortController();
	const first = Buffer.alloc(256 * 1024, 1);
	// A body that sends a first piece, then stops: the client gives up once the sandbox has started reading.
	const body = new Readable({
		read() {
			if (first.length > 0 && !this.readableEnded) {
				this.push(Buffer.from(first));
				first.fill(0);
				// Long enough for the request to reach the sandbox and its body to be read.
				setTimeout(() => abort.abort(), 300);
			}
		},
	});
	await expect(
		s3.send(new PutObjectCommand({Bucket: bucket, Key: 'left.bin', Body: body, ContentLength: 4 * 1024 * 1024}), {
			abortSignal: abort.signal,
		}),
	).rejects.toThrow();
	await vi.waitFor(
		() => {
			expect(sandbox.requestLog().some((entry) => entry.action === 'PutObject')).toBe(true);
		},
		{timeout: 10_000},
	);
	const put = sandbox.requestLog().find((entry) => entry.action === 'PutObject');
	expect(put?.status).toBe(499);
	expect(errors.mock.calls.flat().join('\n')).not.toMatch(/internal error/);
});
