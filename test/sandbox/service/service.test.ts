/**
 * The sandbox as a background service, run as the user runs it: the built CLI (distribution/cli.cjs, which
 * `npm test` builds first) spawned detached. Every service a test starts is stopped in afterAll.
 */
import {spawn} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {runCommand} from '../../../source/commands/index.js';
import {runSandboxCommand} from '../../../source/commands/sandbox.js';
import {defaultAccount} from '../../../source/sandbox/accounts.js';
import {lockFileName} from '../../../source/sandbox/dir-lock.js';
import {NotASandboxDirError, startSandbox} from '../../../source/sandbox/index.js';
import {cliEntry, findService, stopService} from '../../../source/sandbox/service.js';
import {openSession, openSessionHistory} from '../../../source/session.js';
import {CaptureStream} from '../../commands/harness.js';
import {signedListBuckets} from '../../helpers/host-request.js';
import {waitFor} from '../../helpers/wait-for.js';

let root: string;
const dirs: string[] = [];

beforeAll(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'bundledeck-service-'));
	if (!existsSync(cliEntry())) {
		throw new Error(`build first (npm run build): ${cliEntry()} is missing`);
	}
});

afterAll(async () => {
	for (const dir of dirs) {
		await stopService(dir).catch(() => undefined);
	}

	await rm(root, {recursive: true, force: true});
});

async function newDir(name: string): Promise<string> {
	const dir = path.join(root, name);
	dirs.push(dir);
	return dir;
}

/** A slow enough pace that a bundle is still running when the command that started it returns. */
function serviceEnv(dir: string, bytesPerSecond = '4MiB'): NodeJS.ProcessEnv {
	return {
		...process.env,
		BUNDLEDECK_CONFIG_DIR: path.join(root, 'config'),
		BUNDLEDECK_SANDBOX_DIR: dir,
		BUNDLEDECK_SANDBOX_IMAGE_SIZE: '12MiB',
		BUNDLEDECK_SANDBOX_BYTES_PER_SECOND: bytesPerSecond,
		BUNDLEDECK_SANDBOX_STEP_DELAY_MS: '10',
		BUNDLEDECK_SANDBOX_THROTTLE_RATE: '0',
		BUNDLEDECK_SANDBOX_ERROR_RATE: '0',
		BUNDLEDECK_SANDBOX_LATENCY_MS: '0',
	};
}

async function sandbox(argv: string[], env: NodeJS.ProcessEnv) {
	const stdout = new CaptureStream(false);
	const stderr = new CaptureStream(false);
	const code = await runSandboxCommand(argv, {stdout, stderr, env});
	return {code, stdout: stdout.text, stderr: stderr.text};
}

async function command(
	name: string,
	argv: string[],
	env: NodeJS.ProcessEnv,
	signal?: AbortSignal,
	stderr = new CaptureStream(false),
) {
	const stdout = new CaptureStream(false);
	const code = await runCommand(name, ['--sandbox', ...argv], {
		io: {stdout, stderr, stdinIsTTY: false, env},
		openSession: async (options) => openSession(options, env, {sandbox: 'service'}),
		openHistory: (options) => openSessionHistory(options, env),
		signal,
	});
	return {code, stdout: stdout.text, stderr: stderr.text};
}

type WorldTask = {bundleId: string; state: string; progress: number};

/** The service's persisted world, read from disk: no client talks to the service while a test waits on it. */
async function storedTask(dir: string, bundleId: string): Promise<WorldTask | undefined> {
	const text = await readFile(path.join(dir, 'ec2', 'world.json'), 'utf8').catch(() => '{}');
	const world = JSON.parse(text) as {tasks?: WorldTask[]};
	return world.tasks?.find((task) => task.bundleId === bundleId);
}

async function eligibleInstance(env: NodeJS.ProcessEnv): Promise<string> {
	const session = await openSession({sandbox: true}, env, {sandbox: 'service'});
	try {
		const instances = await session.services.listInstances('us-east-1');
		return instances.find((instance) => instance.eligible)!.id;
	} finally {
		await session.close();
	}
}

describe('bundledeck sandbox start | status | stop', () => {
	test('start detaches; status tells endpoint, pid, uptime, tasks, dir and client keys (--json); stop stops it, state saved', async () => {
		const dir = await newDir('lifecycle');
		const env = serviceEnv(dir);
		const started = await sandbox(['start', '--dir', dir], env);
		expect(started.code).toBe(0);
		expect(started.stdout).toMatch(/started in the background on http:\/\/127\.0\.0\.1:\d+ \(pid \d+/);
		expect(started.stdout).toContain('bundledeck sandbox stop');
		const running = await findService(dir);
		expect(running?.pid).not.toBe(process.pid);
		// The service serves its own port only (a DNS-rebinding page could come through any port forward).
		const target = {port: Number(new URL(running!.endpoint).port), credentials: defaultAccount};
		expect((await signedListBuckets(target, `localhost:${target.port}`)).status).toBe(200);
		expect((await signedListBuckets(target, `localhost:${target.port + 1}`)).body).toContain('InvalidHostHeader');

		const again = await sandbox(['start', '--dir', dir], env);
		expect(again.stdout).toContain(`already runs on ${running!.endpoint}`);

		const status = await sandbox(['status', '--dir', dir, '--json'], env);
		expect(status.code).toBe(0);
		expect(JSON.parse(status.stdout)).toMatchObject({
			running: true,
			endpoint: running!.endpoint,
			pid: running!.pid,
			tasksRunning: 0,
			dataDir: dir,
			logFile: path.join(dir, 'sandbox.log'),
		});
		expect(JSON.parse(status.stdout).uptimeSeconds).toBeGreaterThanOrEqual(0);
		const text = (await sandbox(['status', '--dir', dir], env)).stdout;
		expect(text).toContain('Tasks running: 0');
		// What another client (the AWS CLI) needs, and the keys it prints are the ones the service takes
		const clientEnv = (JSON.parse(status.stdout) as {env: Record<string, string>}).env;
		expect(clientEnv).toMatchObject({AWS_ENDPOINT_URL: running!.endpoint, AWS_REGION: 'us-east-1'});
		for (const [name, value] of Object.entries(clientEnv)) {
			expect(text).toContain(`export ${name}=${value}`);
		}

		const printedKeys = {
			accessKeyId: clientEnv['AWS_ACCESS_KEY_ID']!,
			secretAccessKey: clientEnv['AWS_SECRET_ACCESS_KEY']!,
		};
		expect((await signedListBuckets({...target, credentials: printedKeys}, `localhost:${target.port}`)).status).toBe(
			200,
		);

		const stopped = await sandbox(['stop', '--dir', dir], env);
		expect(stopped.stdout).toContain(`Stopped the sandbox region (pid ${running!.pid})`);
		expect(await findService(dir)).toBeUndefined();
		expect(existsSync(path.join(dir, lockFileName))).toBe(false);
		const log = (await sandbox(['logs', '--dir', dir], env)).stdout;
		expect(log).toContain('stopped; state saved');
		expect(log).not.toContain(defaultAccount.secretAccessKey);

		const notRunning = await sandbox(['status', '--dir', dir, '--json'], env);
		expect(notRunning.code).toBe(3);
		expect(JSON.parse(notRunning.stdout)).toEqual({running: false, dataDir: dir});
	});

	test('a --sandbox command attaches to the running service; its bundle completes with no client attached', async () => {
		const dir = await newDir('attach');
		const env = serviceEnv(dir);
		const instanceId = await eligibleInstance(env);
		const service = await findService(dir);
		expect(service).toBeDefined();

		const bundle = await command('bundle', [instanceId, '--bucket', 'service-bucket', '--prefix', 'detached'], env);
		expect(bundle.code).toBe(0);
		expect(bundle.stderr).not.toContain('started the sandbox region'); // attached to the running one
		const bundleId = bundle.stdout.trim();
		expect((await storedTask(dir, bundleId))?.state).not.toBe('complete');

		// Nobody is attached now: the service carries the task to the end on its own.
		await waitFor(async () => (await storedTask(dir, bundleId))?.state === 'complete', {
			timeout: 60_000,
			interval: 200,
		});
		const tasks = await command('tasks', ['--json'], env);
		expect((JSON.parse(tasks.stdout) as {tasks: unknown[]}).tasks).toEqual(
			expect.arrayContaining([expect.objectContaining({bundleId, state: 'complete', progress: 100})]),
		);
		expect((await findService(dir))?.pid).toBe(service!.pid);
	}, 90_000);

	test('the first --sandbox command on a directory starts the service and says how to stop it', async () => {
		const dir = await newDir('first');
		const result = await command('tasks', [], serviceEnv(dir));
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/started the sandbox region in the background \(pid \d+/);
		expect(result.stderr).toContain('bundledeck sandbox stop');
		expect(await findService(dir)).toBeDefined();
	});

	test('stop saves a running bundle; the next start resumes it to complete', async () => {
		const dir = await newDir('resume');
		const env = serviceEnv(dir);
		const instanceId = await eligibleInstance(env);
		const bundle = await command('bundle', [instanceId, '--bucket', 'resume-bucket', '--prefix', 'r1'], env);
		const bundleId = bundle.stdout.trim();
		await waitFor(async () => (await storedTask(dir, bundleId))?.state === 'bundling', {timeout: 30_000});
		await stopService(dir);
		const saved = await storedTask(dir, bundleId);
		expect(saved?.state).not.toBe('complete');
		expect(saved?.state).not.toBe('failed');

		expect((await sandbox(['start', '--dir', dir], env)).code).toBe(0);
		await waitFor(async () => (await storedTask(dir, bundleId))?.state === 'complete', {
			timeout: 90_000,
			interval: 200,
		});
	}, 120_000);

	test('tasks --watch survives the service stopping: the next poll re-reads the lock and brings the region back', async () => {
		const dir = await newDir('moving');
		const env = serviceEnv(dir, '256KiB'); // the task outlasts the test: the watch would end with it

		const instanceId = await eligibleInstance(env);
		await command('bundle', [instanceId, '--bucket', 'moving-bucket', '--prefix', 'm'], env);
		const first = await findService(dir);
		const controller = new AbortController();
		const watchErrors = new CaptureStream(false);
		const logFile = path.join(dir, 'sandbox.log');
		const polls = async () => (await readFile(logFile, 'utf8')).split('DescribeBundleTasks 200').length;
		const before = await polls();
		const watching = command('tasks', ['--watch', '--interval', '1s'], env, controller.signal, watchErrors);
		await waitFor(async () => (await polls()) > before); // watching: its session is open
		await stopService(dir);
		const second = await waitFor(
			async () => {
				const running = await findService(dir);
				return running && running.pid !== first!.pid ? running : undefined;
			},
			{timeout: 30_000, message: () => `the watch said: ${watchErrors.text}`},
		);
		// The watcher polls the new service.
		let ended: unknown;
		void watching.then((value) => {
			ended = value;
		});
		await waitFor(
			async () => {
				if (ended) {
					throw new Error(`the watch ended: ${JSON.stringify(ended)}`);
				}

				const log = await readFile(path.join(dir, 'sandbox.log'), 'utf8');
				return log.slice(log.indexOf(`(pid ${second.pid})`)).includes('DescribeBundleTasks 200');
			},
			{timeout: 30_000},
		);
		controller.abort();
		const result = await watching;
		expect(result.code).toBe(130);
		expect(result.stderr).not.toMatch(/ECONNREFUSED|refused/);
	}, 60_000);

	test('a service that cannot start: the reason from its log in one line', async () => {
		const dir = await newDir('broken');
		await mkdir(path.join(dir, 's3'), {recursive: true});
		await writeFile(path.join(dir, 's3', 'buckets.json'), '{garbage');
		const result = await sandbox(['start', '--dir', dir], serviceEnv(dir));
		expect(result.code).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain('buckets.json');
		expect(await findService(dir)).toBeUndefined();
	});
});

describe('the data directory', () => {
	test('0700 directories and 0600 files, also for state an older version left readable', async () => {
		const dir = await newDir('modes');
		await mkdir(path.join(dir, 'ec2'), {recursive: true, mode: 0o755});
		await writeFile(path.join(dir, 'ec2', 'old.json'), '{}', {mode: 0o644});
		const running = await startSandbox({dir, port: 0, pace: {imageSize: 1024 * 1024}}, {});
		try {
			const walk = (at: string): string[] =>
				readdirSync(at, {withFileTypes: true}).flatMap((entry) => {
					const full = path.join(at, entry.name);
					return entry.isDirectory() ? [full, ...walk(full)] : [full];
				});
			const entries = [dir, ...walk(dir)];
			expect(entries.length).toBeGreaterThan(4);
			for (const entry of entries) {
				const mode = statSync(entry).mode & 0o777;
				expect([entry, mode.toString(8)]).toEqual([entry, statSync(entry).isDirectory() ? '700' : '600']);
			}
		} finally {
			await running.close();
		}
	});

	test('--reset refuses a directory that was never a sandbox and keeps its s3/ and ec2/ folders', async () => {
		const dir = await newDir('not-a-sandbox');
		await mkdir(path.join(dir, 's3'), {recursive: true});
		await writeFile(path.join(dir, 's3', 'precious.txt'), 'mine');
		await expect(startSandbox({dir, port: 0, reset: true}, {})).rejects.toBeInstanceOf(NotASandboxDirError);
		expect(await readFile(path.join(dir, 's3', 'precious.txt'), 'utf8')).toBe('mine');
		expect(existsSync(path.join(dir, lockFileName))).toBe(false);

		const result = await sandbox(['--reset', '--dir', dir], {});
		expect(result.code).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain('was never a sandbox data directory');
		expect(existsSync(path.join(dir, 's3', 'precious.txt'))).toBe(true);
	});

	test('--reset wipes a directory the sandbox made', async () => {
		const dir = await newDir('was-a-sandbox');
		await (await startSandbox({dir, port: 0}, {})).close();
		await writeFile(path.join(dir, 's3', 'leftover.txt'), 'x');
		await (await startSandbox({dir, port: 0, reset: true}, {})).close();
		expect(existsSync(path.join(dir, 's3', 'leftover.txt'))).toBe(false);
	});
});

describe('bundledeck sandbox in the foreground', () => {
	test('| head -3, then Ctrl+C: no EPIPE stack trace, state saved, no stale lock', async () => {
		const dir = await newDir('epipe');
		const child = spawn(process.execPath, [cliEntry(), 'sandbox', '--dir', dir], {stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString('utf8');
		});
		const sink = new PassThrough();
		let lines = 0;
		await new Promise<void>((resolve) => {
			child.stdout.on('data', (chunk: Buffer) => {
				lines += chunk.toString('utf8').split('\n').length - 1;
				if (lines >= 3) {
					// What head does after its third line: close the pipe.
					child.stdout.destroy();
					resolve();
				}
			});
		});
		sink.end();
		await waitFor(async () => findService(dir));
		const exited = new Promise<number | null>((resolve) => {
			child.once('exit', (code) => {
				resolve(code);
			});
		});
		child.kill('SIGINT');
		expect(await exited).toBe(0);
		expect(stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
		expect(existsSync(path.join(dir, lockFileName))).toBe(false);
	});
});

test('the service actions are parsed by the one parser: its wording for an unknown flag, --json on start/stop/logs', async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-service-json-'));
	const run = async (argv: string[]) => {
		const stdout = new CaptureStream(false);
		const stderr = new CaptureStream(false);
		const code = await runSandboxCommand(argv, {stdout, stderr, env: {...process.env}});
		return {code, stdout: stdout.text, stderr: stderr.text};
	};

	const unknown = await run(['start', '--bogus']);
	expect(unknown.code).toBe(2);
	expect(unknown.stderr).toContain("unknown flag --bogus for 'bundledeck sandbox start'");
	expect((await run(['logs', '--json', '-f', '--dir', dir])).code).toBe(2);
	const stopped = await run(['stop', '--dir', dir, '--json']);
	expect(stopped.code).toBe(0);
	expect(JSON.parse(stopped.stdout)).toEqual({stopped: false, pid: null, dataDir: dir});
	await rm(dir, {recursive: true, force: true});
});
