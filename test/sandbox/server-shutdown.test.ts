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
import {eventLoopTurns, gate} from '../helpers/gate.js';
import {ec2Client} from '../helpers/sandbox.js';

let dir: string | undefined;
afterEach(async () => {
	if (dir) {
		await rm(dir, {recursive: true, force: true});
		dir = undefined;
	}
});

/** A server with this EC2 side and these faults, and a DescribeRegions call to it (sent, not awaited). */
async function serverWithCall(ec2: Ec2Service['handle'], faults: FaultInjector, inFlightGraceMs?: number) {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-server-shutdown-'));
	const accounts = sandboxAccounts.map((entry) => ({...entry}));
	const store = await createObjectStore({dir, accounts});
	const server = new SandboxServer({
		accounts,
		store,
		uploads: new MultipartUploads(dir, store),
		ec2: {handle: ec2, async close() {}},
		faults,
		log() {},
		inFlightGraceMs,
	});
	await server.listen(0);
	const credentials = {accessKeyId: accounts[0]!.accessKeyId, secretAccessKey: accounts[0]!.secretAccessKey};
	const client = ec2Client({endpoint: server.endpoint, credentials}, 'us-east-1', {maxAttempts: 1});
	const call = client.send(new DescribeRegionsCommand({})).then(
		() => 'answered',
		() => 'failed',
	);
	return {server, call, client};
}

const noFaults = () => new FaultInjector({throttleRate: 0, serverErrorRate: 0, latencyMs: 0});

test('close() waits for a request still being handled', async () => {
	const events: string[] = [];
	const arrived = gate();
	const release = gate();
	const {server, call, client} = await serverWithCall(async () => {
		arrived.open();
		await release.opened;
		events.push('request handled');
		return {status: 200, body: '<DescribeRegionsResponse/>'};
	}, noFaults());
	await arrived.opened;

	const closing = server.close().then(() => events.push('closed'));
	await eventLoopTurns();
	release.open();
	await closing;
	await call;
	client.destroy();
	expect(events).toEqual(['request handled', 'closed']);
});

test('close() ends a request held by a latency fault at once, without running it', async () => {
	let handled = 0;
	const faults = new FaultInjector({throttleRate: 0, serverErrorRate: 0, latencyMs: 600_000});
	const held = gate();
	const decide = faults.decide.bind(faults);
	faults.decide = (action) => {
		held.open();
		return decide(action);
	};
	const {server, call, client} = await serverWithCall(async () => {
		handled++;
		return {status: 200, body: '<DescribeRegionsResponse/>'};
	}, faults);
	await held.opened;

	// Ten minutes of latency: the test would time out if close() waited for it
	await server.close();
	expect(await call).toBe('failed');
	client.destroy();
	expect(handled).toBe(0);
});

test('a request that never ends does not keep the server from stopping: close() says so and returns', async () => {
	const arrived = gate();
	const lines: string[] = [];
	const error = console.error;
	console.error = (line: string) => lines.push(line);
	try {
		const {server, client} = await serverWithCall(
			async () => {
				arrived.open();
				return new Promise(() => {});
			},
			noFaults(),
			50,
		);
		await arrived.opened;
		await server.close();
		client.destroy();
	} finally {
		console.error = error;
	}

	expect(lines).toEqual(['bundledeck sandbox: 1 request(s) still running 0.05 s after the stop; stopped without them']);
});
