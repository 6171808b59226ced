/**
 * An HTTP proxy in front of the sandbox that can lose an answer: the request reaches the sandbox, which acts on it,
 * then the client's socket is closed before the response arrives (a lost response on the network, not a mock).
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export type LossyProxy = {
	endpoint: string;
	/** Lose the answer to the next request whose body contains `marker`. */
	loseNextAnswer(marker: string): void;
	/** How many answers were lost so far. */
	lost(): number;
	close(): Promise<void>;
};

export async function startLossyProxy(target: string): Promise<LossyProxy> {
	const upstream = new URL(target);
	let pending: string | undefined;
	let lostCount = 0;
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			const lose = pending !== undefined && body.toString('utf8').includes(pending);
			if (lose) {
				pending = undefined;
			}

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
		loseNextAnswer(marker) {
			pending = marker;
		},
		lost: () => lostCount,
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
