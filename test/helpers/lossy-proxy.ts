/**
 * An HTTP proxy in front of the sandbox that can lose an answer: the request reaches the sandbox, which acts on it,
 * then the client's socket is closed before the response arrives (a lost response on the network, not a mock).
 * It can also inject deterministic faults on every Nth request: a connection reset before the request is
 * forwarded, a 503 throttling answer (RequestLimitExceeded / SlowDown), or extra latency.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {createServices} from '../../source/aws/services.js';
import type {Services} from '../../source/core/services.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';

export type ProxyFault = {kind: 'reset' | 'throttle' | 'latency'; every: number; latencyMs?: number};

export type LossyProxy = {
	/** Inject this fault on every `every`-th request from now on (undefined: none). */
	setFault(fault: ProxyFault | undefined): void;
	/** Faults injected so far. */
	injected(): number;
	endpoint: string;
	port: number;
	/** Lose the answer to the next request whose body contains `marker`. */
	loseNextAnswer(marker: string): void;
	/** How many answers were lost so far. */
	lost(): number;
	close(): Promise<void>;
};

/**
 * `target` is read per request, so the proxy can start before the sandbox: the sandbox must list the proxy's port
 * in extraHostPorts (the SDK signs the proxy's Host header, and the sandbox serves only allowed ports).
 */
export async function startLossyProxy(target: () => string): Promise<LossyProxy> {
	let pending: string | undefined;
	let lostCount = 0;
	let fault: ProxyFault | undefined;
	let counter = 0;
	let injectedCount = 0;
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', async () => {
			const body = Buffer.concat(chunks);
			counter++;
			if (fault && (counter - 1) % fault.every === 0) {
				injectedCount++;
				if (fault.kind === 'reset') {
					response.socket?.destroy();
					return;
				}

				if (fault.kind === 'throttle') {
					const ec2 = body.toString('utf8').includes('Action=');
					const xml = ec2
						? '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>proxy-fault</RequestID></Response>'
						: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>proxy-fault</RequestId></Error>';
					response.writeHead(503, {'content-type': ec2 ? 'text/xml' : 'application/xml'});
					response.end(request.method === 'HEAD' ? undefined : xml);
					return;
				}

				await new Promise((resolve) => {
					setTimeout(resolve, fault?.latencyMs ?? 200);
				});
			}

			const lose = pending !== undefined && body.toString('utf8').includes(pending);
			if (lose) {
				pending = undefined;
			}

			const upstream = new URL(target());
			const forward = http.request(
				{
					host: upstream.hostname,
					port: upstream.port,
					method: request.method,
					path: request.url,
					headers: request.headers,
				},
				(answer) => {
					if (lose) {
						answer.resume();
						answer.on('end', () => {
							lostCount++;
							response.socket?.destroy();
						});
						return;
					}

					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
				},
			);
			forward.on('error', () => response.socket?.destroy());
			forward.end(body);
		});
	});
	await new Promise<void>((resolve) => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		endpoint: `http://127.0.0.1:${port}`,
		port,
		loseNextAnswer(marker) {
			pending = marker;
		},
		lost: () => lostCount,
		setFault(next) {
			fault = next;
			counter = 0;
		},
		injected: () => injectedCount,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

/** The real Services in us-east-1 talking to `sandbox` through the proxy (its port in the sandbox's extraHostPorts). */
export async function servicesThrough(proxy: LossyProxy, sandbox: Pick<Sandbox, 'credentials'>): Promise<Services> {
	return createServices({
		mode: 'sandbox',
		endpointUrl: proxy.endpoint,
		credentials: sandbox.credentials,
		region: 'us-east-1',
		env: {},
	});
}
