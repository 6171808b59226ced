/**
 * S3 POST Object read as a stream: the policy is checked from the fields before the file, so a hostile local
 * client's large unauthenticated POST is refused without being read or stored; content-length-range is enforced
 * while the file streams; fields no condition covers are refused; SigV4 policy fields (boto3's
 * generate_presigned_post, the SDK's createPresignedPost) are accepted. Memory: test/bench/post-memory.bench.ts.
 */
import {GetObjectCommand, ListObjectsV2Command} from '@aws-sdk/client-s3';
import {describe, expect, test} from 'vitest';
import {defaultAccount} from '../../source/sandbox/accounts.js';
import {sandboxWithBucket} from '../helpers/sandbox.js';
import {sigV4PostFields, streamPost as streamPostTo} from '../helpers/stream-post.js';

const bucket = 'stream-post-bucket';
const mib = 1024 * 1024;
const {sandbox, s3} = await sandboxWithBucket(bucket);

async function keys(): Promise<string[]> {
	const listed = await s3.send(new ListObjectsV2Command({Bucket: bucket}));
	return (listed.Contents ?? []).map((object) => object.Key!);
}

const streamPost = async (fields: Array<[string, string]>, size: number) =>
	streamPostTo(sandbox.port, bucket, fields, size);
const sigV4Fields = (document: object) => sigV4PostFields(document, defaultAccount);
const expiration = () => new Date(Date.now() + 3_600_000).toISOString();

describe('S3 POST read as a stream', () => {
	test('a large unauthenticated POST is refused from its fields, before its file is read; nothing is stored', async () => {
		const size = 512 * mib;
		const result = await streamPost([['key', 'hostile/big']], size);
		expect(result.status).toBe(403);
		expect(result.body).toContain('<Code>AccessDenied</Code>');
		expect(result.sent).toBeLessThan(size);
		expect(await keys()).not.toContain('hostile/big');
	});

	test('a file over content-length-range is refused while it streams; nothing is stored', async () => {
		const fields = sigV4Fields({
			expiration: expiration(),
			conditions: [{bucket}, ['starts-with', '$key', 'ranged/'], ['content-length-range', 0, mib]],
		});
		const result = await streamPost([['key', 'ranged/too-big'], ...fields], 64 * mib);
		expect(result.status).toBe(400);
		expect(result.body).toContain('<Code>EntityTooLarge</Code>');
		expect(await keys()).not.toContain('ranged/too-big');
	});

	test('a SigV4 policy (x-amz-algorithm, x-amz-credential, x-amz-date, x-amz-signature) uploads the file', async () => {
		const fields = sigV4Fields({
			expiration: expiration(),
			conditions: [{bucket}, ['starts-with', '$key', 'v4/'], ['content-length-range', 1, 8 * mib]],
		});
		const result = await streamPost([['key', 'v4/object'], ...fields], 3 * mib + 5);
		expect(result.status).toBe(204);
		const object = await s3.send(new GetObjectCommand({Bucket: bucket, Key: 'v4/object'}));
		expect(object.ContentLength).toBe(3 * mib + 5);
	});

	test('a SigV4 policy signed with another secret: SignatureDoesNotMatch, nothing stored', async () => {
		const fields = sigV4Fields({expiration: expiration(), conditions: [{bucket}, ['starts-with', '$key', 'v4/']]});
		const tampered = fields.map(([name, value]): [string, string] =>
			name === 'x-amz-signature' ? [name, '0'.repeat(64)] : [name, value],
		);
		const result = await streamPost([['key', 'v4/forged'], ...tampered], mib);
		expect(result.status).toBe(403);
		expect(result.body).toContain('SignatureDoesNotMatch');
		expect(await keys()).not.toContain('v4/forged');
	});

	test('a field no condition covers is refused, as S3 does', async () => {
		const fields = sigV4Fields({expiration: expiration(), conditions: [{bucket}, ['starts-with', '$key', 'v4/']]});
		const result = await streamPost([['key', 'v4/extra'], ['x-amz-meta-owner', 'me'], ...fields], 10);
		expect(result.status).toBe(403);
		expect(result.body).toContain('Extra input fields: x-amz-meta-owner');
		const ignored = await streamPost([['key', 'v4/ignored'], ['x-ignore-note', 'fine'], ...fields], 10);
		expect(ignored.status).toBe(204);
	});
});
