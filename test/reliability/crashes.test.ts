/**
 * The fault-and-crash suite's "crashes": the built CLI (sandbox in-process) is killed with SIGKILL in the middle of
 * a bundle (while bundling, while storing) and of a migration; the next run must pick up where things stood and
 * lose nothing: the task id is in history, `wait` sees it complete, RegisterImage (which checks every part's
 * SHA-1) succeeds, and the migration completes and registers in the other region.
 */
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {defaultAccount} from '../../source/sandbox/accounts.js';
import {stopService} from '../../source/sandbox/service.js';
import {cliPath} from '../helpers/pty.js';
import {waitFor} from '../helpers/wait-for.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-crash-'));
const recovered: string[] = [];
afterAll(async () => {
	// The CLI runs its sandbox as a background service: stop it before its directory goes.
	await stopService(path.join(dir, 'sandbox'));
	rmSync(dir, {recursive: true, force: true});
	console.info(`crashes: ${recovered.length} recovered with nothing lost`);
});

const env = {
	...process.env,
	BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
	BUNDLEDECK_SANDBOX_DIR: path.join(dir, 'sandbox'),
	BUNDLEDECK_SANDBOX_IMAGE_SIZE: String(16 * 1024 * 1024),
	BUNDLEDECK_SANDBOX_BYTES_PER_SECOND: String(8 * 1024 * 1024),
	BUNDLEDECK_SANDBOX_STEP_DELAY_MS: '0',
};

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
	return spawnSync(process.execPath, [cliPath, ...args, '--sandbox'], {
		encoding: 'utf8',
		env: {...env, ...extraEnv},
		timeout: 120_000,
	});
}

type WorldTask = {bundleId: string; state: string; progress: number; prefix: string};

function worldTasks(): WorldTask[] {
	try {
		const world = JSON.parse(readFileSync(path.join(dir, 'sandbox', 'ec2', 'world.json'), 'utf8')) as {
			tasks: WorldTask[];
		};
		return world.tasks;
	} catch {
		return [];
	}
}

async function killWhen(child: ChildProcess, ready: () => boolean): Promise<void> {
	await waitFor(ready, {timeout: 60_000, interval: 20});
	child.kill('SIGKILL');
	await new Promise((resolve) => {
		child.once('exit', resolve);
	});
}

describe('SIGKILL in the middle, then run again', () => {
	test.each([
		['while bundling', 'bundling', 0],
		['while storing', 'storing', 1],
	])('bundle --wait killed %s', async (_name, state, index) => {
		const prefix = `crash-${index}`;
		const instanceId = instanceIds()[index]!;
		const child = spawn(
			process.execPath,
			[cliPath, 'bundle', instanceId, '--bucket', 'rel-crash', '--prefix', prefix, '--wait', '--sandbox'],
			{env, stdio: 'ignore'},
		);
		await killWhen(child, () =>
			worldTasks().some((task) => task.prefix === prefix && task.state === state && task.progress > 0),
		);
		const history = historyEntries();
		const entry = history.find((candidate) => candidate.prefix === prefix);
		expect(entry, 'the task id was recorded before the crash').toBeTruthy();
		const waited = cli(['wait', entry!.bundleId, '--interval', '1s']);
		expect(waited.status, waited.stderr).toBe(0);
		const registered = cli(['register', entry!.bundleId, '--name', `rel-crash-${index}`]);
		expect(registered.status, registered.stderr).toBe(0);
		expect(registered.stdout.trim()).toMatch(/^ami-/);
		recovered.push(`bundle ${state}`);
	});

	test('migrate killed while copying, then run again: completes and registers', async () => {
		const history = historyEntries();
		const source = history.find((candidate) => candidate.prefix === 'crash-0')!;
		const slow = {BUNDLEDECK_SANDBOX_LATENCY_MS: '150'};
		const child = spawn(
			process.execPath,
			[cliPath, 'migrate', source.bundleId, '--to-region', 'us-west-2', '--to-bucket', 'rel-crash-west', '--sandbox'],
			{env: {...env, ...slow}, stdio: 'ignore'},
		);
		const objects = path.join(dir, 'sandbox', 's3');
		await killWhen(child, () => {
			try {
				return readdirCount(objects, 'rel-crash-west') >= 1;
			} catch {
				return false;
			}
		});
		const again = cli([
			'migrate',
			source.bundleId,
			'--to-region',
			'us-west-2',
			'--to-bucket',
			'rel-crash-west',
			'--register',
			'--name',
			'rel-crash-west',
		]);
		expect(again.status, again.stderr).toBe(0);
		expect(again.stdout).toMatch(/ami-/);
		recovered.push('migrate copying');
	});
});

function historyEntries(): Array<{bundleId: string; prefix: string}> {
	return (JSON.parse(cli(['history', '--json']).stdout) as {entries: Array<{bundleId: string; prefix: string}>})
		.entries;
}

function instanceIds(): string[] {
	const output = spawnSync(process.execPath, [cliPath, 'tasks', '--json', '--sandbox'], {encoding: 'utf8', env});
	expect(output.status).toBe(0);
	const world = JSON.parse(readFileSync(path.join(dir, 'sandbox', 'ec2', 'world.json'), 'utf8')) as {
		instances: Array<{
			id: string;
			region: string;
			platform: string;
			rootDeviceType: string;
			state: string;
			accountId: string;
		}>;
	};
	return world.instances
		.filter(
			(instance) =>
				instance.accountId === defaultAccount.id &&
				instance.region === 'us-east-1' &&
				instance.platform === 'windows' &&
				instance.rootDeviceType === 'instance-store' &&
				instance.state === 'running',
		)
		.map((instance) => instance.id);
}

function readdirCount(root: string, bucket: string): number {
	const result = spawnSync('find', [root, '-path', `*${bucket}*`, '-type', 'f'], {encoding: 'utf8'});
	return result.stdout.split('\n').filter(Boolean).length;
}
