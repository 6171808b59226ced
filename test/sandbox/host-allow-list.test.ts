/** DNS rebinding guard: only Host headers naming loopback/localhost with the sandbox's port are served. */
import {ListBucketsCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {isAllowedHost} from '../../source/sandbox/host-check.js';
import {signedListBuckets} from '../helpers/host-request.js';
import {s3Client, startTestSandbox} from '../helpers/sandbox.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

describe('Host allow-list', () => {
	test('a correctly signed request under a foreign host name (DNS rebinding) is refused before anything is read', async () => {
		const refused = await signedListBuckets(sandbox, `attacker.example:${sandbox.port}`);
		expect(refused.status).toBe(400);
		expect(refused.body).toContain('InvalidHostHeader');
		expect(refused.body).not.toContain('<Bucket>');
		expect(sandbox.requestLog().at(-1)).toMatchObject({action: 'InvalidHost', status: 400});
	});

	test('a loopback name with another port (a page coming in through a port forward) is refused', async () => {
		for (const host of [`127.0.0.1:${sandbox.port + 1}`, `localhost:${sandbox.port + 1}`, 'localhost', '[::1]:80']) {
			const refused = await signedListBuckets(sandbox, host);
			expect(refused.status, host).toBe(400);
			expect(refused.body).toContain('InvalidHostHeader');
			expect(refused.body).toContain(`port ${sandbox.port}`);
		}
	});

	test('127.0.0.1 and localhost with the sandbox port are served', async () => {
		expect((await signedListBuckets(sandbox, `127.0.0.1:${sandbox.port}`)).status).toBe(200);
		expect((await signedListBuckets(sandbox, `localhost:${sandbox.port}`)).status).toBe(200);
		expect((await signedListBuckets(sandbox, `[::1]:${sandbox.port}`)).status).toBe(200);
		const viaLocalhost = s3Client(sandbox, 'us-east-1', {
			endpoint: `http://localhost:${sandbox.port}`,
			forcePathStyle: true,
		});
		await expect(viaLocalhost.send(new ListBucketsCommand({}))).resolves.toBeDefined();
		viaLocalhost.destroy();
	});

	test('extraHostPorts (tests only: a relay in front of the sandbox) serves those ports and no others', async () => {
		const relayPort = sandbox.port === 65_535 ? 1 : sandbox.port + 1;
		const relayed = await startTestSandbox({extraHostPorts: [relayPort]});
		try {
			expect((await signedListBuckets(relayed, `127.0.0.1:${relayPort}`)).status).toBe(200);
			expect((await signedListBuckets(relayed, `127.0.0.1:${relayed.port}`)).status).toBe(200);
			expect((await signedListBuckets(relayed, `attacker.example:${relayPort}`)).status).toBe(400);
			expect((await signedListBuckets(relayed, `127.0.0.1:${relayPort + 1}`)).status).toBe(400);
		} finally {
			await relayed.close();
		}
	});

	test('the rule', () => {
		expect(isAllowedHost('127.0.0.1:9000', [9000])).toBe(true);
		expect(isAllowedHost('LOCALHOST:9000', [9000])).toBe(true);
		expect(isAllowedHost('bucket.localhost:9000', [9000])).toBe(true);
		expect(isAllowedHost('bucket.s3.localhost:9000', [9000])).toBe(true);
		expect(isAllowedHost('[::1]:9000', [9000])).toBe(true);
		expect(isAllowedHost('127.0.0.1', [80])).toBe(true);
		expect(isAllowedHost('127.0.0.1', [9000])).toBe(false);
		expect(isAllowedHost('127.0.0.1:9001', [9000])).toBe(false);
		expect(isAllowedHost('127.0.0.1:9001', [9000, 9001])).toBe(true);
		expect(isAllowedHost('localhost.attacker.example:9000', [9000])).toBe(false);
		expect(isAllowedHost('127.0.0.1.nip.io:9000', [9000])).toBe(false);
		expect(isAllowedHost('attacker.example', [80])).toBe(false);
		expect(isAllowedHost(undefined, [9000])).toBe(false);
		expect(isAllowedHost('127.0.0.1:9000:1', [9000])).toBe(false);
	});
});
