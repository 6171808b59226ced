import {describe, expect, test} from 'vitest';
import {redactSecrets as reexported} from '../../source/core/error-catalogue.js';
import {redactedMarker, redactSecrets} from '../../source/core/redact.js';

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const signature = '0g+EiGGuFlHHy+I/tcGYFsORXcs=';
const sessionToken = 'IQoJb3JpZ2luX2VjEDoaCXVzLWVhc3QtMSJHMEUCIQDExampleTokenValueThatIsLongEnough/abc+def==';

describe('redactSecrets', () => {
	test('given secrets are replaced everywhere, also URL- and JSON-encoded', () => {
		const custom = 'my-s3cr3t/with+chars"and\\slashes';
		const text = `a ${custom} b ${encodeURIComponent(custom)} c ${JSON.stringify({k: custom})}`;
		const result = redactSecrets(text, [custom]);
		expect(result).toBe(`a *** b *** c {"k":"***"}`);
	});

	test('undefined and very short secrets are ignored', () => {
		expect(redactSecrets('a b c abc', [undefined, 'a', 'ab', 'abc'])).toBe('a b c abc');
		expect(redactSecrets('x token1 y', ['token1'])).toBe('x *** y');
	});

	test('longer secrets win over shorter ones they contain', () => {
		expect(redactSecrets('key=abcdefgh', ['abcd', 'abcdefgh'])).toBe('key=***');
	});

	test.each([
		['query Signature', `https://s3/x?AWSAccessKeyId=AKIDEXAMPLE&Signature=${encodeURIComponent(signature)}&x=1`],
		[
			'presigned v4',
			'https://s3/x?X-Amz-Credential=AKID%2F2026&X-Amz-Signature=9f86d081884c7d659a2feaa0c55ad015&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE',
		],
		[
			'authorization header',
			'Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
		],
		['ec2 query parameter', `Action=BundleInstance&Storage.S3.UploadPolicySignature=${signature}&Storage.S3.Bucket=b`],
		['session token header', 'x-amz-security-token: AgoJb3JpZ2luEXAMPLEEXAMPLEEXAMPLE'],
		['json', `{"accessKeyId":"AKID","secretAccessKey":"${secret}","sessionToken":"abc.def"}`],
		['ini', `aws_secret_access_key = ${secret}\naws_session_token=whatever-token`],
		['env', `AWS_SECRET_ACCESS_KEY=${secret} AWS_SESSION_TOKEN=zzzzzz`],
		[
			'xml',
			`<Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>AKID</AWSAccessKeyId><SignatureProvided>${signature}</SignatureProvided></Error>`,
		],
		['form field', `Content-Disposition: form-data; name="signature"\r\n\r\n${signature}\r\n--boundary`],
	])('%s', (_label, text) => {
		const result = redactSecrets(text);
		expect(result).toContain(redactedMarker);
		for (const value of [
			signature,
			encodeURIComponent(signature),
			secret,
			'9f86d081884c7d659a2feaa0c55ad015',
			'FwoGZXIvYXdzEXAMPLE',
			'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
			'AgoJb3JpZ2luEXAMPLEEXAMPLEEXAMPLE',
			'abc.def',
			'whatever-token',
			'zzzzzz',
			'>AKID<',
		]) {
			expect(result).not.toContain(value);
		}
	});

	test('keeps the shape of the text around redacted values', () => {
		expect(redactSecrets('a=1&Signature=abc123&b=2')).toBe('a=1&Signature=***&b=2');
		expect(redactSecrets('<SessionToken>tok</SessionToken>')).toBe('<SessionToken>***</SessionToken>');
		expect(redactSecrets('"SecretAccessKey": "abc"')).toBe('"SecretAccessKey": "***"');
	});

	test('session tokens and secret-key-shaped values are caught on their own', () => {
		expect(redactSecrets(`token ${sessionToken} end`)).toBe('token *** end');
		expect(redactSecrets(`leaked ${secret} here`)).toBe('leaked *** here');
	});

	test('leaves ordinary text alone: ids, digests, ETags, words about signatures', () => {
		const text = [
			'The request signature we calculated does not match the signature you provided.',
			'SignatureDoesNotMatch',
			'digest 356a192b7913b04c54574d18c28d46e6395428ab',
			'ETag "d41d8cd98f00b204e9800998ecf8427e"',
			'bun-c1a540a8 i-0123456789abcdef0 ami-0123456789abcdef0',
			'bucket/web01-20261123-1402.manifest.xml',
			'Credential=AKIDEXAMPLE/20261126/us-east-1/ec2/aws4_request',
		].join('\n');
		expect(redactSecrets(text)).toBe(text);
	});

	test('is re-exported from the error catalogue', () => {
		expect(reexported).toBe(redactSecrets);
	});
});
