/** A ListBuckets correctly signed (SigV4) for a given Host header, sent straight to a sandbox's socket. */
import {request} from 'node:http';
import {Sha256} from '@aws-crypto/sha256-js';
import {SignatureV4} from '@smithy/signature-v4';

export async function signedListBuckets(
	target: {port: number; credentials: {accessKeyId: string; secretAccessKey: string}},
	host: string,
): Promise<{status: number; body: string}> {
	const signer = new SignatureV4({
		credentials: target.credentials,
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
			{host: '127.0.0.1', port: target.port, method: 'GET', path: '/', headers: signed.headers, setHost: false},
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
