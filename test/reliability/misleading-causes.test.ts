/**
 * Issue 14 item 9: causes named as they are. An https endpoint on an http port is a TLS mismatch (not "AWS gave no
 * error code"), an endpoint that is not a URL is named (not "failed unexpectedly — please report it"), a refused
 * connection is about the endpoint (not the bucket), and the SDK's multi-line warnings arrive as one line.
 */
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {isolateAwsEnvironment} from '../helpers/aws-env.js';
import {rejection} from '../helpers/rejection.js';
import {startTestSandbox} from '../helpers/sandbox.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

async function servicesAt(endpointUrl: string, env: NodeJS.ProcessEnv = {}) {
	return createServices({
		mode: 'aws',
		endpointUrl,
		credentials: sandbox.credentials,
		region: 'us-east-1',
		env,
		maxAttempts: 1,
	});
}

describe('endpoints', () => {
	test('https on an http port: a TLS mismatch, with the fix, not retried', async () => {
		const services = await servicesAt(sandbox.endpoint.replace('http:', 'https:'));
		try {
			const error = await rejection(services.listRegions());
			expect(error.toLine()).toMatch(/plain http where https was asked for/);
			expect(error.toLine()).toContain('http://');
			expect(error.toLine()).not.toMatch(/no error code|ssl3_get_record/);
			expect(error.retryable).toBe(false);
		} finally {
			services.close();
		}
	});

	test.each([
		['--endpoint-url', 'not-a-url', {}],
		['AWS_ENDPOINT_URL', undefined, {AWS_ENDPOINT_URL: 'not-a-url'}],
		['AWS_ENDPOINT_URL_S3', undefined, {AWS_ENDPOINT_URL_S3: 'ftp://example.com'}],
	])('%s that is not an http(s) URL is named up front', async (source, flag, env) => {
		const error = await rejection(
			createServices({mode: 'aws', endpointUrl: flag, credentials: sandbox.credentials, region: 'us-east-1', env}),
		);
		expect(error.code).toBe('InvalidEndpoint');
		expect(error.toLine()).toContain(source);
		expect(error.toLine()).not.toMatch(/unexpected|report it/);
	});

	test('a refused connection names the endpoint, not the bucket being probed', async () => {
		const services = await servicesAt('http://127.0.0.1:9');
		try {
			const error = await rejection(services.probeBucket('bucket-being-probed'));
			expect(error.code).toBe('NetworkError');
			expect(error.message).toMatch(/^Could not connect to the AWS endpoint/);
		} finally {
			services.close();
		}
	});
});

describe('SDK warnings', () => {
	const environment = isolateAwsEnvironment();

	test('"Multiple credential sources detected" arrives as one line through the reporter', async () => {
		const printed: string[] = [];
		const original = console.warn;
		console.warn = (...parts: unknown[]) => printed.push(parts.join(' '));
		try {
			await writeFile(
				path.join(environment.dir(), 'config'),
				'[profile both]\naws_access_key_id = AKIAPROFILE000000001\naws_secret_access_key = p\n',
			);
			Object.assign(process.env, {
				AWS_PROFILE: 'both',
				AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00001',
				AWS_SECRET_ACCESS_KEY: 'e',
			});
			const warnings: string[] = [];
			const services = await createServices({
				mode: 'aws',
				region: 'us-east-1',
				onWarning: (line) => warnings.push(line),
			});
			services.close();
			expect(printed).toEqual([]);
			expect(warnings).toHaveLength(1);
			expect(warnings[0]).toMatch(/both AWS_PROFILE and AWS_ACCESS_KEY_ID/);
			expect(warnings[0]).not.toContain('\n');
		} finally {
			console.warn = original;
		}
	});
});
