import {GetObjectCommand, ListObjectsV2Command} from '@aws-sdk/client-s3';
import {describe, expect, test} from 'vitest';
import {signUploadPolicy} from '../../source/core/upload-policy.js';
import {defaultAccount, otherAccount, seededForeignBuckets} from '../../source/sandbox/accounts.js';
import {sandboxWithBucket} from '../helpers/sandbox.js';

const bucket = 'post-bucket';
const future = () => new Date(Date.now() + 60 * 60 * 1000);
const {sandbox, s3} = await sandboxWithBucket(bucket);

type FormInput = {
	key?: string;
	acl?: string;
	policy?: {bucket: string; prefix: string; expiration: Date; acl?: string};
	secret?: string;
	accessKeyId?: string;
	signature?: string;
	file?: Buffer;
	fileFirst?: boolean;
	target?: string;
};

/** A browser-style multipart/form-data POST: key, acl, policy, signature, AWSAccessKeyId, then file. */
async function post(input: FormInput = {}): Promise<Response> {
	const policy = signUploadPolicy(
		input.policy ?? {bucket, prefix: 'winami', expiration: future()},
		input.secret ?? defaultAccount.secretAccessKey,
	);
	const form = new FormData();
	const file = new Blob([new Uint8Array(input.file ?? Buffer.from('part bytes'))]);
	if (input.fileFirst) {
		form.append('file', file, 'part');
	}

	form.append('key', input.key ?? 'winami.part.0');
	form.append('acl', input.acl ?? 'ec2-bundle-read');
	form.append('policy', policy.base64);
	form.append('signature', input.signature ?? policy.signature);
	form.append('AWSAccessKeyId', input.accessKeyId ?? defaultAccount.accessKeyId);
	if (!input.fileFirst) {
		form.append('file', file, 'part');
	}

	return fetch(`${sandbox.endpoint}/${input.target ?? bucket}`, {method: 'POST', body: form});
}

async function keysIn(name: string): Promise<string[]> {
	const list = await s3.send(new ListObjectsV2Command({Bucket: name}));
	return (list.Contents ?? []).map((c) => c.Key!);
}

describe('S3 POST Object with the legacy policy form', () => {
	test('a good upload is stored (204, ETag, Location) and readable', async () => {
		const response = await post({key: 'winami.part.00', file: Buffer.from('good part')});
		expect(response.status).toBe(204);
		expect(response.headers.get('etag')).toMatch(/^"[\da-f]{32}"$/);
		expect(response.headers.get('location')).toBe(`${sandbox.endpoint}/${bucket}/winami.part.00`);
		const got = await s3.send(new GetObjectCommand({Bucket: bucket, Key: 'winami.part.00'}));
		expect(await got.Body?.transformToString()).toBe('good part');
		expect(sandbox.requestLog().find((entry) => entry.action === 'PostObject')).toMatchObject({
			service: 's3',
			action: 'PostObject',
			status: 204,
			accountId: undefined,
		});
	});

	const refusals: Array<[string, () => FormInput, RegExp]> = [
		['wrong signature (other secret)', () => ({secret: otherAccount.secretAccessKey}), /signature does not match/],
		['tampered signature', () => ({signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='}), /signature does not match/],
		[
			'expired policy',
			() => ({policy: {bucket, prefix: 'winami', expiration: new Date(Date.now() - 60_000)}}),
			/Policy expired/,
		],
		[
			'policy for another bucket',
			() => ({policy: {bucket: 'some-other-bucket', prefix: 'winami', expiration: future()}}),
			/Policy Condition failed: \["eq", "\$bucket", "some-other-bucket"\]/,
		],
		['key outside the prefix', () => ({key: 'elsewhere/winami.part.0'}), /\["starts-with", "\$key", "winami"\]/],
		['wrong acl', () => ({acl: 'public-read'}), /\["eq", "\$acl", "ec2-bundle-read"\]/],
	];

	for (const [name, input, message] of refusals) {
		test(`${name} -> 403 AccessDenied, nothing stored`, async () => {
			const before = await keysIn(bucket);
			const response = await post({...input(), key: input().key ?? `winami.refused.${before.length}`});
			expect(response.status).toBe(403);
			const text = (await response.text()).replaceAll('&quot;', '"');
			expect(text).toContain('<Code>AccessDenied</Code>');
			expect(text).toMatch(message);
			expect(text).not.toContain(defaultAccount.secretAccessKey);
			expect(await keysIn(bucket)).toEqual(before);
		});
	}

	test('unknown AWSAccessKeyId -> 403 InvalidAccessKeyId, nothing stored', async () => {
		const before = await keysIn(bucket);
		const response = await post({accessKeyId: 'AKIANOBODY0000000000', key: 'winami.unknown'});
		expect(response.status).toBe(403);
		expect(await response.text()).toContain('<Code>InvalidAccessKeyId</Code>');
		expect(await keysIn(bucket)).toEqual(before);
	});

	test("the other account's valid policy cannot write into this bucket; nor ours into the other account's bucket", async () => {
		const intoOurs = await post({
			secret: otherAccount.secretAccessKey,
			accessKeyId: otherAccount.accessKeyId,
			key: 'winami.foreign',
		});
		expect(intoOurs.status).toBe(403);
		const foreign = seededForeignBuckets[0]!.name;
		const intoTheirs = await post({target: foreign, policy: {bucket: foreign, prefix: 'winami', expiration: future()}});
		expect(intoTheirs.status).toBe(403);
		expect(await intoTheirs.text()).toContain('belongs to another account');
	});

	test('fields after the file are ignored: a form with the file first has no key', async () => {
		const response = await post({fileFirst: true});
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('must contain a field named &apos;key&apos;');
	});

	test('missing bucket -> 404 NoSuchBucket', async () => {
		const response = await post({target: 'post-no-such-bucket'});
		expect(response.status).toBe(404);
		expect(await response.text()).toContain('<Code>NoSuchBucket</Code>');
	});
});
