/** Raw S3 POST Object requests for tests and benchmarks: fields, then a file generated as the socket takes it. */
import {createHmac} from 'node:crypto';
import {request} from 'node:http';
import type {SandboxAccount} from '../../source/sandbox/contracts.js';

const boundary = 'bundledeck-test-boundary';
const mib = 1024 * 1024;

function fieldPart(name: string, value: string): string {
	return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

/**
 * POSTs fields then a file of fileSize bytes, generated as the socket takes them; resolves with the answer and
 * how many file bytes the client had sent when it came.
 */
export async function streamPost(
	port: number,
	bucket: string,
	fields: Array<[string, string]>,
	fileSize: number,
): Promise<{status: number; body: string; sent: number}> {
	const head = Buffer.from(
		`${fields.map(([name, value]) => fieldPart(name, value)).join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n`,
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	return new Promise((resolve, reject) => {
		let sent = 0;
		let answered = false;
		const outgoing = request(
			{
				host: '127.0.0.1',
				port,
				method: 'POST',
				path: `/${bucket}`,
				headers: {
					'content-type': `multipart/form-data; boundary=${boundary}`,
					'content-length': String(head.length + fileSize + tail.length),
				},
			},
			(response) => {
				answered = true;
				let body = '';
				response.on('data', (chunk: Buffer) => {
					body += chunk.toString('utf8');
				});
				response.on('end', () => {
					outgoing.destroy();
					resolve({status: response.statusCode ?? 0, body, sent});
				});
			},
		);
		outgoing.on('error', (error) => {
			if (!answered) {
				reject(error);
			}
		});
		outgoing.write(head);
		const chunk = Buffer.alloc(mib, 7);
		const pump = () => {
			while (!answered && sent < fileSize) {
				const size = Math.min(chunk.length, fileSize - sent);
				sent += size;
				if (!outgoing.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
					outgoing.once('drain', pump);
					return;
				}
			}

			if (!answered && sent >= fileSize) {
				outgoing.end(tail);
			}
		};

		pump();
	});
}

/** The fields boto3's generate_presigned_post sends: the policy signed with SigV4 for us-east-1. */
export function sigV4PostFields(policyDocument: object, account: SandboxAccount): Array<[string, string]> {
	const {accessKeyId} = account;
	const date = new Date().toISOString().replaceAll(/[-:]/g, '').replace(/\.\d+/, '');
	const day = date.slice(0, 8);
	const credential = `${accessKeyId}/${day}/us-east-1/s3/aws4_request`;
	const document = {
		...policyDocument,
		conditions: [
			...(policyDocument as {conditions: unknown[]}).conditions,
			{'x-amz-algorithm': 'AWS4-HMAC-SHA256'},
			{'x-amz-credential': credential},
			{'x-amz-date': date},
		],
	};
	const policy = Buffer.from(JSON.stringify(document)).toString('base64');
	const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
	const key = hmac(hmac(hmac(hmac(`AWS4${account.secretAccessKey}`, day), 'us-east-1'), 's3'), 'aws4_request');
	return [
		['x-amz-algorithm', 'AWS4-HMAC-SHA256'],
		['x-amz-credential', credential],
		['x-amz-date', date],
		['policy', policy],
		['x-amz-signature', createHmac('sha256', key).update(policy).digest('hex')],
	];
}
