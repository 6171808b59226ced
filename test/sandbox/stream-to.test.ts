/**
 * streamTo settles however the client goes: a client that left while the object was being opened (its response
 * closed before the bytes start) must not leave the request waiting for ever, which the server's close() waits for.
 */
import {once} from 'node:events';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {Readable} from 'node:stream';
import {afterEach, expect, test} from 'vitest';
import {streamTo} from '../../source/sandbox/stream-to.js';

let server: http.Server | undefined;
afterEach(async () => {
	server?.closeAllConnections();
	await new Promise((resolve) => {
		server?.close(resolve) ?? resolve(undefined);
	});
	server = undefined;
});

/** A server whose one request runs `handle`; returns what the handler's promise settled with. */
async function serve(handle: (response: http.ServerResponse) => Promise<string>) {
	let outcome: Promise<string> = Promise.resolve('no request');
	server = http.createServer((_request, response) => {
		outcome = handle(response);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return {port: (server.address() as AddressInfo).port, outcome: () => outcome};
}

test('a client gone before the bytes start: streamTo settles and the body is closed', async () => {
	const body = Readable.from([Buffer.alloc(1024 * 1024)]);
	const {port, outcome} = await serve(async (response) => {
		response.destroy();
		// As when the object was still being opened: the response's 'close' has already fired
		await once(response, 'close');
		await streamTo(body, response);
		return 'settled';
	});
	// The server hangs up on it: 'socket hang up'
	const request = http.get({port, host: '127.0.0.1'}).on('error', () => undefined);
	await new Promise((resolve) => {
		request.on('close', resolve);
	});
	expect(await outcome()).toBe('settled');
	expect(body.destroyed).toBe(true);
});

test('a client that stays gets every byte', async () => {
	const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
	const {port, outcome} = await serve(async (response) => {
		response.writeHead(200, {'content-length': String(bytes.length)});
		await streamTo(Readable.from([bytes.subarray(0, 1024), bytes.subarray(1024)]), response);
		return 'settled';
	});
	const [answer] = (await once(http.get({port, host: '127.0.0.1'}), 'response')) as [http.IncomingMessage];
	const chunks: Buffer[] = [];
	for await (const chunk of answer) {
		chunks.push(chunk as Buffer);
	}

	expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
	expect(await outcome()).toBe('settled');
});
