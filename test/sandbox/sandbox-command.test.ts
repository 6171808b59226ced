import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {ListBucketsCommand, type S3Client} from '@aws-sdk/client-s3';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {runSandboxCommand} from '../../source/commands/sandbox.js';
import {signedListBuckets} from '../helpers/host-request.js';
import {s3Client} from '../helpers/sandbox.js';
import {waitFor} from '../helpers/wait-for.js';

let dir: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-sandbox-command-'));
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

function capture() {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Buffer) => {
		text += chunk.toString('utf8');
	});
	return {stream, text: () => text};
}

/** An S3 client set up from the AWS_* values the command printed, as a user's shell would be. */
function clientFromEnv(env: Record<string, string | undefined>): S3Client {
	return s3Client(
		{
			endpoint: env['AWS_ENDPOINT_URL']!,
			credentials: {accessKeyId: env['AWS_ACCESS_KEY_ID']!, secretAccessKey: env['AWS_SECRET_ACCESS_KEY']!},
		},
		env['AWS_REGION'],
	);
}

/** Starts `bundledeck sandbox <args>` in the background; resolves once it says it is ready (its Ctrl+C line). */
async function startInBackground(args: string[], env: NodeJS.ProcessEnv = {}) {
	const controller = new AbortController();
	const stdout = capture();
	const stderr = capture();
	const exited = runSandboxCommand(args, {
		stdout: stdout.stream,
		stderr: stderr.stream,
		env,
		signal: controller.signal,
	});
	await waitFor(() => stdout.text().includes('Ctrl+C'), {
		message: () => `bundledeck sandbox ${args.join(' ')} did not start:\n${stdout.text()}${stderr.text()}`,
	});
	return {
		stdout,
		stderr,
		exited,
		stop() {
			controller.abort();
		},
	};
}

describe('bundledeck sandbox', () => {
	test('unknown flag: one line on stderr, exit 2', async () => {
		const stdout = capture();
		const stderr = capture();
		const code = await runSandboxCommand(['--bogus'], {stdout: stdout.stream, stderr: stderr.stream, env: {}});
		expect(code).toBe(2);
		expect(stderr.text().trim().split('\n')).toHaveLength(1);
		expect(stderr.text()).toContain('--bogus');
		expect(stdout.text()).toBe('');
	});

	test('bad port: exit 2 naming the flag', async () => {
		const stderr = capture();
		expect(
			await runSandboxCommand(['--port', 'eighty'], {stdout: capture().stream, stderr: stderr.stream, env: {}}),
		).toBe(2);
		expect(stderr.text()).toContain('--port');
	});

	test('--help prints usage, exit 0', async () => {
		const stdout = capture();
		expect(await runSandboxCommand(['--help'], {stdout: stdout.stream, stderr: capture().stream, env: {}})).toBe(0);
		// The layout every command's help has (issue 15 item 11).
		expect(stdout.text()).toContain('Usage\n  $ bundledeck sandbox [--port N] [--dir D] [--reset]');
		expect(stdout.text()).toContain('\nGlobal flags\n');
		expect(stdout.text()).toContain('--json');
	});

	test('--json prints one JSON line with the endpoint and the env a client needs (issue 15 item 11)', async () => {
		const controller = new AbortController();
		const stdout = capture();
		const stderr = capture();
		const exited = runSandboxCommand(['--json', '--dir', dir], {
			stdout: stdout.stream,
			stderr: stderr.stream,
			env: {},
			signal: controller.signal,
		});
		await waitFor(() => stdout.text().includes('\n'), {
			message: () => `no JSON line:\n${stdout.text()}${stderr.text()}`,
		});
		const document = JSON.parse(stdout.text()) as {
			endpoint: string;
			dir: string;
			regions: string[];
			env: Record<string, string>;
		};
		expect(document.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(document.dir).toBe(dir);
		expect(document.regions).toContain('us-east-1');
		expect(Object.keys(document.env)).toEqual([
			'AWS_ENDPOINT_URL',
			'AWS_ACCESS_KEY_ID',
			'AWS_SECRET_ACCESS_KEY',
			'AWS_REGION',
			'AWS_DEFAULT_REGION',
		]);
		const client = clientFromEnv(document.env);
		expect((await client.send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
		client.destroy();
		controller.abort();
		expect(await exited).toBe(0);
		// stdout holds only the document; what a person reads went to stderr.
		expect(stdout.text().trim().split('\n')).toHaveLength(1);
		expect(stderr.text()).toContain('Sandbox region stopped');
	});

	test('a bad BUNDLEDECK_SANDBOX_* value: one line naming it, exit 2, nothing started (issue 14 item 10)', async () => {
		const stdout = capture();
		const stderr = capture();
		const code = await runSandboxCommand(['--dir', dir], {
			stdout: stdout.stream,
			stderr: stderr.stream,
			env: {BUNDLEDECK_SANDBOX_ERROR_RATE: 'often'},
		});
		expect(code).toBe(2);
		expect(stderr.text().trim().split('\n')).toHaveLength(1);
		expect(stderr.text()).toContain("BUNDLEDECK_SANDBOX_ERROR_RATE='often'");
		expect(stdout.text()).toBe('');
	});

	test('runs, prints the endpoint and the env lines a client needs (which work), stops cleanly on abort', async () => {
		const {stdout, stderr, exited, stop} = await startInBackground(['--port', '0', '--dir', dir], {
			BUNDLEDECK_SANDBOX_IMAGE_SIZE: '1MiB',
		});
		const env = Object.fromEntries(
			[...stdout.text().matchAll(/^export (AWS_[A-Z_]+)=(.+)$/gm)].map((match) => [match[1]!, match[2]!]),
		);
		expect(Object.keys(env)).toEqual([
			'AWS_ENDPOINT_URL',
			'AWS_ACCESS_KEY_ID',
			'AWS_SECRET_ACCESS_KEY',
			'AWS_REGION',
			'AWS_DEFAULT_REGION',
		]);
		expect(env['AWS_ENDPOINT_URL']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(stdout.text()).toContain(`Data directory: ${dir}`);
		const client = clientFromEnv(env);
		expect((await client.send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
		client.destroy();
		// The foreground sandbox serves its own port only: a loopback name with another port (a port forward a
		// DNS-rebinding page could come through) is refused.
		const target = {
			port: Number(new URL(env['AWS_ENDPOINT_URL']!).port),
			credentials: {accessKeyId: env['AWS_ACCESS_KEY_ID']!, secretAccessKey: env['AWS_SECRET_ACCESS_KEY']!},
		};
		expect((await signedListBuckets(target, `127.0.0.1:${target.port}`)).status).toBe(200);
		expect((await signedListBuckets(target, `127.0.0.1:${target.port + 1}`)).body).toContain('InvalidHostHeader');
		stop();
		expect(await exited).toBe(0);
		expect(stderr.text()).toBe('');
		await expect(fetch(env['AWS_ENDPOINT_URL']!)).rejects.toThrow();
	});

	test('a port already in use: one clear line, exit 1', async () => {
		const first = await startInBackground(['--dir', dir]);
		const port = /127\.0\.0\.1:(\d+)/.exec(first.stdout.text())![1]!;
		const stderr = capture();
		const code = await runSandboxCommand(['--port', port, '--dir', path.join(dir, 'second')], {
			stdout: capture().stream,
			stderr: stderr.stream,
			env: {},
		});
		expect(code).toBe(1);
		expect(stderr.text()).toBe(
			`bundledeck sandbox: could not start the sandbox region: port ${port} is already in use; pick another with --port, or --port 0 for a free one.\n`,
		);
		// With --json stdout gets the error document too, as from every command.
		const jsonOut = capture();
		const jsonCode = await runSandboxCommand(['--json', '--port', port, '--dir', path.join(dir, 'third')], {
			stdout: jsonOut.stream,
			stderr: capture().stream,
			env: {},
		});
		expect(jsonCode).toBe(1);
		expect(JSON.parse(jsonOut.text())).toEqual({
			error: {code: 'EADDRINUSE', message: expect.stringContaining(`port ${port} is already in use`), requestId: null},
		});
		first.stop();
		expect(await first.exited).toBe(0);
	});

	test('SIGHUP (the terminal closed) stops it cleanly like Ctrl+C: state saved, exit 0', async () => {
		const {stdout, exited} = await startInBackground(['--dir', dir]);
		process.emit('SIGHUP', 'SIGHUP');
		expect(await exited).toBe(0);
		expect(stdout.text()).toContain('Sandbox region stopped');
	});

	test('a second sandbox on the same data directory: one line naming the running one, exit 1', async () => {
		const first = await startInBackground(['--dir', dir]);
		const endpoint = /http:\/\/127\.0\.0\.1:\d+/.exec(first.stdout.text())![0];
		const stderr = capture();
		const code = await runSandboxCommand(['--dir', dir], {stdout: capture().stream, stderr: stderr.stream, env: {}});
		expect(code).toBe(1);
		expect(stderr.text().trim().split('\n')).toHaveLength(1);
		expect(stderr.text()).toContain(
			`in use by another bundledeck process (pid ${process.pid}, listening on ${endpoint})`,
		);
		first.stop();
		expect(await first.exited).toBe(0);
	});

	test('damaged state in the data directory: one line that names the way out (--reset), exit 1; --reset works', async () => {
		const first = await startInBackground(['--dir', dir]);
		first.stop();
		await first.exited;
		await writeFile(path.join(dir, 's3', 'buckets.json'), '{garbage');
		const stderr = capture();
		expect(await runSandboxCommand(['--dir', dir], {stdout: capture().stream, stderr: stderr.stream, env: {}})).toBe(1);
		expect(stderr.text().trim().split('\n')).toHaveLength(1);
		expect(stderr.text()).toContain('buckets.json is not valid JSON');
		expect(stderr.text()).toContain('--reset starts this one afresh');

		const reset = await startInBackground(['--dir', dir, '--reset']);
		reset.stop();
		expect(await reset.exited).toBe(0);
	});
});
