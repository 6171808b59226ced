/**
 * The sandbox's HTTP server stops with a request still being handled: close() returns only once that handler has
 * ended, so no request writes into the data directory after it. The EC2 side here holds the request open until the
 * test releases it, so the order is the same on every run. A request held by a latency fault ends at close.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {DescribeRegionsCommand} from '@aws-sdk/client-ec2';
import {afterEach, expect, test} from 'vitest';
import {sandboxAccounts} from '../../source/sandbox/accounts.js';
import type {Ec2Service} from '../../source/sandbox/contracts.js';
import {FaultInjector} from '../../source/sandbox/faults.js';
import {MultipartUploads} from '../../source/sandbox/s3/multipart.js';
import {createObjectStore} from '../../source/sandbox/s3/object-store.js';
import {SandboxServer} from '../../source/sandbox/server.js';
import {ec2Client} from '../helpers/sandbox.js';

let dir: string | undefined;
afterEach(async () => {
	if (dir) {
		await rm(dir, {recursive: true, force: true});
		dir = undefined;
	}
});

test('close() waits for a request still being handled', async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-server-shutdown-'));
	const accounts = sandboxAccounts.map((entry) => ({...entry}));
	const store = await createObjectStore({dir, accounts});
	const events: string[] = [];
	let requestArrived: (() => void) | undefined;
	const arrived = new Promise<void>((resolve) => {
		requestArrived = resolve;
	});
	let releaseRequest: (() => void) | undefined;
	const released = new Promise<void>((resolve) => {
		releaseRequest = resolve;
	});
	const ec2: Ec2Service = {
		async handle() {
			requestArrived?.();
			await released;
			events.push('request handled');
			return {status: 200, body: '<DescribeRegionsResponse/>'};
		},
		async close() {},
	};
	const server = new SandboxServer({
		accounts,
		store,
		uploads: new MultipartUploads(dir, store),
		ec2,
		faults: new FaultInjector({throttleRate: 0, serverErrorRate: 0, latencyMs: 0}),
		log() {},
	});
	await server.listen(0);
	const client = ec2Client(
		{
			endpoint: server.endpoint,
			credentials: {accessKeyId: accounts[0]!.accessKeyId, secretAccessKey: accounts[0]!.secretAccessKey},
		},
		'us-east-1',
		{maxAttempts: 1},
	);
	const call = client.send(new DescribeRegionsCommand({})).catch(() => undefined);
	await arrived;

	const closing = server.close().then(() => events.push('closed'));
	// Enough turns of the event loop for a close() that does not wait to have finished
	for (let turn = 0; turn < 20; turn++) {
		await new Promise((resolve) => {
			setImmediate(resolve);
		});
	}

	releaseRequest?.();
	await closing;
	await call;
	client.destroy();
	expect(events).toEqual(['request handled', 'closed']);
});

test('close() ends a request held by a latency fault at once, without running it', async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-server-shutdown-'));
	const accounts = sandboxAccounts.map((entry) => ({...entry}));
	const store = await createObjectStore({dir, accounts});
	let handled = 0;
	const ec2: Ec2Service = {
		async handle() {
			handled++;
			return {status: 200, body: '<DescribeRegionsResponse/>'};
		},
		async close() {},
	};
	const faults = new FaultInjector({throttleRate: 0, serverErrorRate: 0, latencyMs: 600_000});
	let decided: (() => void) | undefined;
	const held = new Promise<void>((resolve) => {
		decided = resolve;
	});
	const decide = faults.decide.bind(faults);
	faults.decide = (action) => {
		decided?.();
		return decide(action);
	};
	const server = new SandboxServer({
		accounts,
		store,
		uploads: new MultipartUploads(dir, store),
		ec2,
		faults,
		log() {},
	});
	await server.listen(0);
	const client = ec2Client(
		{
			endpoint: server.endpoint,
			credentials: {accessKeyId: accounts[0]!.accessKeyId, secretAccessKey: accounts[0]!.secretAccessKey},
		},
		'us-east-1',
		{maxAttempts: 1},
	);
	const call = client.send(new DescribeRegionsCommand({})).then(
		() => 'answered',
		() => 'failed',
	);
	await held;

	// Ten minutes of latency: the test would time out if close() waited for it
	await server.close();
	expect(await call).toBe('failed');
	client.destroy();
	expect(handled).toBe(0);
});
