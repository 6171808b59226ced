import {existsSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import type {AddressInfo} from 'node:net';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {CreateBucketCommand, ListBucketsCommand, type S3Client} from '@aws-sdk/client-s3';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {lockFileName} from '../../source/sandbox/dir-lock.js';
import {type Sandbox, SandboxDirInUseError, startSandbox} from '../../source/sandbox/index.js';
import {openSession} from '../../source/session.js';
import {s3Client} from '../helpers/sandbox.js';

let dir: string;
let config: string;
const opened: Sandbox[] = [];

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-dir-lock-'));
	config = await mkdtemp(path.join(tmpdir(), 'bundledeck-dir-lock-config-'));
});

afterEach(async () => {
	await Promise.all(opened.splice(0).map(async (sandbox) => sandbox.close()));
	await rm(dir, {recursive: true, force: true});
	await rm(config, {recursive: true, force: true});
});

async function start(options: {reset?: boolean} = {}): Promise<Sandbox> {
	const sandbox = await startSandbox({dir, port: 0, pace: {stepDelayMs: 0, bytesPerSecond: undefined}, ...options});
	opened.push(sandbox);
	return sandbox;
}

function s3(sandbox: Sandbox): S3Client {
	return s3Client(sandbox, 'us-east-1', {forcePathStyle: true});
}

describe('one sandbox per data directory', () => {
	test('a second sandbox on a directory in use is refused with the owner and its endpoint, and loses nothing', async () => {
		const first = await start();
		const client = s3(first);
		await client.send(new CreateBucketCommand({Bucket: 'kept-by-the-first'}));

		const refused = await start().then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(refused).toBeInstanceOf(SandboxDirInUseError);
		expect((refused as SandboxDirInUseError).endpoint).toBe(first.endpoint);
		expect((refused as SandboxDirInUseError).pid).toBe(process.pid);
		expect((refused as Error).message).toContain(dir);

		// The first one still serves its state, and after it closes the next start sees it.
		const listed = await client.send(new ListBucketsCommand({}));
		expect(listed.Buckets?.map((bucket) => bucket.Name)).toContain('kept-by-the-first');
		client.destroy();
		await first.close();
		expect(existsSync(path.join(dir, lockFileName))).toBe(false);

		const second = await start();
		const again = s3(second);
		const after = await again.send(new ListBucketsCommand({}));
		expect(after.Buckets?.map((bucket) => bucket.Name)).toContain('kept-by-the-first');
		again.destroy();
	});

	test('a lock left by a process that is gone is taken over', async () => {
		// A pid far above any pid_max in use: no such process.
		await writeFile(path.join(dir, lockFileName), JSON.stringify({pid: 2 ** 30, endpoint: 'http://127.0.0.1:1'}));
		const sandbox = await start();
		expect(sandbox.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});

	test('a lock whose pid is alive (reused) but whose endpoint no longer listens is taken over', async () => {
		const closedPort = await new Promise<number>((resolve) => {
			const server = createServer();
			server.listen(0, '127.0.0.1', () => {
				const {port} = server.address() as AddressInfo;
				server.close(() => {
					resolve(port);
				});
			});
		});
		await writeFile(
			path.join(dir, lockFileName),
			JSON.stringify({pid: process.pid, endpoint: `http://127.0.0.1:${closedPort}`}),
		);
		const sandbox = await start();
		expect(sandbox.endpoint).not.toBe(`http://127.0.0.1:${closedPort}`);
	});

	test('--reset wipes the sandbox state but nothing else in the directory', async () => {
		const first = await start();
		const client = s3(first);
		await client.send(new CreateBucketCommand({Bucket: 'wiped-by-reset'}));
		client.destroy();
		await first.close();
		await writeFile(path.join(dir, 'precious.txt'), 'not the sandbox');

		const reset = await start({reset: true});
		const again = s3(reset);
		const listed = await again.send(new ListBucketsCommand({}));
		again.destroy();
		expect(listed.Buckets?.map((bucket) => bucket.Name)).not.toContain('wiped-by-reset');
		expect(existsSync(path.join(dir, 'precious.txt'))).toBe(true);
	});

	test('--sandbox-reset keeps the lock of the sandbox that resets', async () => {
		await (await start()).close();
		const sandbox = await start({reset: true});
		expect(existsSync(path.join(dir, lockFileName))).toBe(true);
		await expect(start()).rejects.toBeInstanceOf(SandboxDirInUseError);
		await sandbox.close();
	});

	test('a --sandbox session on a directory a running sandbox holds talks to that sandbox', async () => {
		const running = await start();
		running.clearRequestLog();
		const session = await openSession({sandbox: true, sandboxDir: dir}, {BUNDLEDECK_CONFIG_DIR: config});
		try {
			expect(session.sandbox).toBeUndefined();
			const buckets = await session.services.listBuckets();
			expect(Array.isArray(buckets)).toBe(true);
			expect(running.requestLog().some((entry) => entry.action === 'ListBuckets')).toBe(true);
		} finally {
			await session.close();
		}

		// The running sandbox was not closed by the attached session.
		expect(existsSync(path.join(dir, lockFileName))).toBe(true);
	});

	test('--sandbox-reset on a directory in use is refused in one line, nothing wiped', async () => {
		const running = await start();
		const client = s3(running);
		await client.send(new CreateBucketCommand({Bucket: 'not-wiped'}));
		const error = await openSession(
			{sandbox: true, sandboxDir: dir, sandboxReset: true},
			{BUNDLEDECK_CONFIG_DIR: config},
		).then(
			() => undefined,
			(error_: unknown) => error_ as {code?: string; toLine?: () => string},
		);
		expect(error?.code).toBe('SandboxDirInUse');
		expect(error?.toLine?.()).toMatch(/another bundledeck process.*--sandbox-dir/);
		const listed = await client.send(new ListBucketsCommand({}));
		expect(listed.Buckets?.map((bucket) => bucket.Name)).toContain('not-wiped');
		client.destroy();
	});
});
