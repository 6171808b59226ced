/** An object's bytes to the client: settles whether the body ends, fails, or the client has left (even before it). */
import type {ServerResponse} from 'node:http';
import type {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';

export async function streamTo(body: Readable, response: ServerResponse): Promise<void> {
	// A client that left while the object was being opened: its 'close' has fired already, and a pipe would wait for a
	// 'drain' that never comes (the server's close() waits for every request)
	if (response.destroyed) {
		body.destroy();
		return;
	}

	// A failure on either side destroys both: the client sees the connection cut, as S3 does mid-object
	await pipeline(body, response).catch(() => undefined);
}
