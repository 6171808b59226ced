/** DNS rebinding guard: only Host headers naming loopback/localhost with the sandbox's port are served. */
import {request} from 'node:http';
import {Sha256} from '@aws-crypto/sha256-js';
import {ListBucketsCommand, S3Client} from '@aws-sdk/client-s3';
import {SignatureV4} from '@smithy/signature-v4';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {isAllowedHost} from '../../source/sandbox/host-check.js';
import {startTestSandbox} from '../helpers/sandbox.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

/** A ListBuckets correctly signed for `host`, sent to the sandbox's socket. */
async function signedListBuckets(host: string): Promise<{status: number; body: string}> {
	const signer = new SignatureV4({
		credentials: sandbox.credentials,
		region: 'us-east-1',
		service: 's3',
		sha256: Sha256,
		uriEscapePath: false,
	});
	const signed = await signer.sign({
		method: 'GET',
		protocol: 'http:',
		hostname: host.replace(/:\d+$/, ''),
		path: '/',
		query: {},
		headers: {host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD'},
	});
	return new Promise((resolve, reject) => {
		const outgoing = request(
			{host: '127.0.0.1', port: sandbox.port, method: 'GET', path: '/', headers: signed.headers, setHost: false},
			(response) => {
				let body = '';
				response.on('data', (chunk: Buffer) => {
					body += chunk.toString('utf8');
				});
				response.on('end', () => {
					resolve({status: response.statusCode ?? 0, body});
				});
			},
		);
		outgoing.on('error', reject);
		outgoing.end();
	});
}

describe('Host allow-list', () => {
	test('a correctly signed request under a foreign host name (DNS rebinding) is refused before anything is read', async () => {
		const refused = await signedListBuckets(`attacker.example:${sandbox.port}`);
		expect(refused.status).toBe(400);
		expect(refused.body).toContain('InvalidHostHeader');
		expect(refused.body).not.toContain('<Bucket>');
		expect(sandbox.requestLog().at(-1)).toMatchObject({action: 'InvalidHost', status: 400});
	});

	test('a loopback name through a port forward (another port) is served', async () => {
		expect((await signedListBuckets(`127.0.0.1:${sandbox.port + 1}`)).status).toBe(200);
	});

	test('127.0.0.1 and localhost with the sandbox port are served', async () => {
		expect((await signedListBuckets(`127.0.0.1:${sandbox.port}`)).status).toBe(200);
		expect((await signedListBuckets(`localhost:${sandbox.port}`)).status).toBe(200);
		const viaLocalhost = new S3Client({
			region: 'us-east-1',
			endpoint: `http://localhost:${sandbox.port}`,
			credentials: sandbox.credentials,
			forcePathStyle: true,
		});
		await expect(viaLocalhost.send(new ListBucketsCommand({}))).resolves.toBeDefined();
		viaLocalhost.destroy();
	});

	test('the rule', () => {
		expect(isAllowedHost('127.0.0.1:9000')).toBe(true);
		expect(isAllowedHost('LOCALHOST:9000')).toBe(true);
		expect(isAllowedHost('bucket.localhost:9000')).toBe(true);
		expect(isAllowedHost('bucket.s3.localhost:9000')).toBe(true);
		expect(isAllowedHost('[::1]:9000')).toBe(true);
		expect(isAllowedHost('127.0.0.1')).toBe(true);
		expect(isAllowedHost('localhost.attacker.example:9000')).toBe(false);
		expect(isAllowedHost('127.0.0.1.nip.io:9000')).toBe(false);
		expect(isAllowedHost('attacker.example')).toBe(false);
		expect(isAllowedHost(undefined)).toBe(false);
		expect(isAllowedHost('127.0.0.1:9000:1')).toBe(false);
	});
});
