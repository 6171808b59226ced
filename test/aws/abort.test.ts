/**
 * describeBundleTasks with an AbortSignal: an abort that lands while the request is at the sandbox (held there by
 * a latency fault) rejects with AppError Aborted and closes the socket at once, long before the sandbox answers.
 * A small TCP relay between the client and the sandbox shows when the request has arrived and when the client
 * hangs up.
 */
import {createServer, type Server, Socket} from 'node:net';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import type {Services} from '../../source/core/services.js';
import {rejection} from '../helpers/rejection.js';
import {startTestServices, type TestServices} from '../helpers/services.js';
import {waitFor} from '../helpers/wait-for.js';

type RelayedConnection = {received: string; clientClosed: boolean};

type Relay = {endpoint: string; port: number; connections: RelayedConnection[]; close(): Promise<void>};

/** `targetPort` is read per connection: the relay starts first, so the sandbox can allow the relay's port. */
async function startRelay(targetPort: () => number): Promise<Relay> {
	const connections: RelayedConnection[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((client) => {
		const connection: RelayedConnection = {received: '', clientClosed: false};
		connections.push(connection);
		const upstream = new Socket();
		sockets.add(client);
		sockets.add(upstream);
		upstream.connect(targetPort(), '127.0.0.1');
		client.on('data', (chunk: Buffer) => {
			connection.received += chunk.toString('latin1');
			upstream.write(chunk);
		});
		upstream.on('data', (chunk: Buffer) => client.write(chunk));
		client.on('close', () => {
			connection.clientClosed = true;
			upstream.destroy();
		});
		upstream.on('close', () => client.destroy());
		client.on('error', () => upstream.destroy());
		upstream.on('error', () => client.destroy());
	});
	await new Promise<void>((resolve) => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	if (!address || typeof address === 'string') {
		throw new Error('relay has no port');
	}

	return {
		endpoint: `http://127.0.0.1:${address.port}`,
		port: address.port,
		connections,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>((resolve) => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

const region = 'us-east-1';
let fixture: TestServices;
let relay: Relay;
let services: Services;

beforeAll(async () => {
	relay = await startRelay(() => fixture.sandbox.port);
	// The SDK signs the relay's Host header: the sandbox serves that port only when told to.
	fixture = await startTestServices({region, sandbox: {extraHostPorts: [relay.port]}});
	services = await createServices({
		mode: 'sandbox',
		endpointUrl: relay.endpoint,
		credentials: fixture.sandbox.credentials,
		region,
		env: {},
		maxAttempts: 1,
	});
});

afterAll(async () => {
	services?.close();
	await relay?.close();
	await fixture?.close();
});

/** Every DescribeBundleTasks request that reached the relay, with the connection it came on (kept-alive sockets carry several). */
const describeRequests = () =>
	relay.connections.flatMap((connection) =>
		connection.received
			.split('Action=DescribeBundleTasks')
			.slice(1)
			.map(() => connection),
	);

const answeredDescribes = () =>
	fixture.sandbox.requestLog().filter((entry) => entry.action === 'DescribeBundleTasks').length;

describe('describeBundleTasks with an AbortSignal', () => {
	test('without an abort it answers through the relay (the relay itself works)', async () => {
		const tasks = await services.describeBundleTasks(region, undefined, new AbortController().signal);
		expect(Array.isArray(tasks)).toBe(true);
		expect(describeRequests().length).toBeGreaterThanOrEqual(1);
	});

	test('an abort while the sandbox holds the request: AppError Aborted, and the socket is closed', async () => {
		// The sandbox holds every DescribeBundleTasks for a minute: only the abort can end this call in time.
		fixture.sandbox.setFaults({latencyMs: 60_000, actions: ['DescribeBundleTasks']});
		try {
			const before = describeRequests().length;
			const answered = answeredDescribes();
			const controller = new AbortController();
			const call = rejection(services.describeBundleTasks(region, undefined, controller.signal));
			const connection = await waitFor(() => describeRequests()[before]);
			expect(connection.clientClosed).toBe(false);
			controller.abort();
			const error = await call;
			expect(error.code).toBe('Aborted');
			expect(error.toLine()).toContain('DescribeBundleTasks');
			expect(error.toLine()).not.toContain(fixture.sandbox.credentials.secretAccessKey);
			await waitFor(() => connection.clientClosed);
			// The call ended before the sandbox answered it (the log records a request when it is answered).
			expect(answeredDescribes()).toBe(answered);
		} finally {
			fixture.sandbox.setFaults({});
		}
	});

	test('an already aborted signal: AppError Aborted without sending the request', async () => {
		const before = describeRequests().length;
		const controller = new AbortController();
		controller.abort();
		const error = await rejection(services.describeBundleTasks(region, undefined, controller.signal));
		expect(error.code).toBe('Aborted');
		expect(describeRequests()).toHaveLength(before);
	});
});
