/**
 * Issue 16's figures, each printed beside its peer measured in the same run (medians of alternating runs, so the
 * ratios hold on a busy machine): `tasks --json` over 200 tasks vs `aws ec2 describe-bundle-tasks`, `--help`,
 * `<command> --help` and `history --json` vs `node -e 0`, the dashboard's first frame listing instances, CPU and
 * RSS watching 20 active tasks vs idle, history reads/writes/fsyncs per poll cycle (strace), and `migrate` vs
 * `aws s3 cp --recursive` for the same objects. The built CLI (distribution/cli.cjs) is what runs.
 * Run with `npm run bench`; set BENCH_RUNS (default 7), BENCH_STARTUP_RUNS (default 31, the start-up rounds) and
 * BENCH_WATCH_SECONDS (default 30: the idle dashboard polls every 30 s, so the window holds one of its polls) and
 * BENCH_SETTLE_SECONDS (default 20: start-up's garbage collections and compilations end first) to change the effort,
 * BENCH_ONLY to a comma-separated list of tasks, startup, first-frame, watch, migrate to run only those sections,
 * BENCH_CLI to the cli.cjs of another build (A/B runs), BENCH_NODE_ARGS to give the dashboards node flags
 * (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for a profile of each) and BENCH_SMAPS to a path prefix that receives
 * each watched dashboard's /proc/<pid>/smaps at the end of its window (where its memory is).
 */
import {spawn, spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import * as pty from 'node-pty';
import {bench, describe} from 'vitest';
import {createServices} from '../../source/aws/services.js';
import type {Services} from '../../source/core/services.js';
import type {BundleTask} from '../../source/core/types.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {awsHistoryName, openHistory} from '../../source/store/history.js';
import {cliPath as builtCli} from '../helpers/pty.js';
import {startTestSandbox} from '../helpers/sandbox.js';
import {waitFor} from '../helpers/wait-for.js';

const runs = Number(process.env['BENCH_RUNS'] ?? 7);
// Start-ups take a few tens of milliseconds: many more rounds cost little and steady their medians on a busy machine.
const startupRuns = Number(process.env['BENCH_STARTUP_RUNS'] ?? 31);
const watchSeconds = Number(process.env['BENCH_WATCH_SECONDS'] ?? 30);
const settleSeconds = Number(process.env['BENCH_SETTLE_SECONDS'] ?? 20);
const hasAwsCli = spawnSync('aws', ['--version'], {stdio: 'ignore'}).status === 0;
const hasStrace = spawnSync('strace', ['-V'], {stdio: 'ignore'}).status === 0;
// BENCH_CLI runs another build (an A/B comparison: a copy of an older distribution/ against this one).
const cliPath = process.env['BENCH_CLI'] ? path.resolve(process.env['BENCH_CLI']) : builtCli;
const only = process.env['BENCH_ONLY']?.split(',').map((name) => name.trim());

function wanted(section: 'tasks' | 'startup' | 'first-frame' | 'watch' | 'migrate'): boolean {
	return !only || only.includes(section);
}
const lines: string[] = [];

function report(line: string): void {
	lines.push(line);
	console.log(line);
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(3)} s`;
}

type Run = {command: string; args: string[]; env?: NodeJS.ProcessEnv};

const hasTime = spawnSync('/usr/bin/time', ['-f', '%U', 'true'], {stdio: 'ignore'}).status === 0;
let timeFiles = 0;

type Timing = {wall: number; cpu: number | undefined};

/**
 * Wall time of one child process, asynchronously (the sandbox answering it lives in this process), and its CPU time
 * (user + system, from /usr/bin/time where installed): on a busy machine the CPU time says more.
 */
async function timed(run: Run): Promise<Timing> {
	const cpuFile = path.join(tmpdir(), `bundledeck-bench-${process.pid}-${timeFiles++}.time`);
	const [command, args] = hasTime
		? ['/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, run.command, ...run.args]]
		: [run.command, run.args];
	const started = performance.now();
	const child = spawn(command, args, {env: run.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const code = await new Promise<number | null>((resolve) => {
		child.on('close', resolve);
	});
	const wall = performance.now() - started;
	if (code !== 0) {
		throw new Error(`${run.command} ${run.args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`);
	}

	let cpu: number | undefined;
	if (hasTime) {
		const [user, system] = (await readFile(cpuFile, 'utf8')).trim().split(/\s+/).slice(-2).map(Number);
		cpu = ((user ?? 0) + (system ?? 0)) * 1000;
		await rm(cpuFile, {force: true});
	}

	return {wall, cpu};
}

/** Medians of runs alternating between the candidates (warm-up run first, not counted). */
async function alternate(candidates: Run[], rounds = runs): Promise<Timing[]> {
	const times: Timing[][] = candidates.map(() => []);
	for (const candidate of candidates) {
		await timed(candidate);
	}

	for (let round = 0; round < rounds; round++) {
		for (const [index, candidate] of candidates.entries()) {
			times[index]!.push(await timed(candidate));
		}
	}

	return times.map((values) => medianTiming(values));
}

function medianTiming(values: Timing[]): Timing {
	return {
		wall: median(values.map((value) => value.wall)),
		cpu: hasTime ? median(values.map((value) => value.cpu ?? 0)) : undefined,
	};
}

function compare(label: string, ours: Timing, peerLabel: string, peer: Timing, goal: number): void {
	const ratio = ours.wall / peer.wall;
	// /usr/bin/time counts in hundredths of a second: too coarse for runs of a few tens of milliseconds.
	const cpu =
		ours.cpu === undefined || peer.cpu === undefined || peer.cpu < 100
			? ''
			: `; CPU ${seconds(ours.cpu)} vs ${seconds(peer.cpu)} = ${(ours.cpu / peer.cpu).toFixed(2)}x`;
	report(
		`${label}: ${seconds(ours.wall)} vs ${peerLabel} ${seconds(peer.wall)} = ${ratio.toFixed(2)}x (goal <= ${goal}x: ${ratio <= goal ? 'met' : 'NOT met'})${cpu}`,
	);
}

function awsEnv(sandbox: Sandbox, configDir: string): NodeJS.ProcessEnv {
	return {
		PATH: process.env['PATH'],
		HOME: configDir,
		NO_COLOR: '1',
		AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
		AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
		AWS_REGION: 'us-east-1',
		AWS_DEFAULT_REGION: 'us-east-1',
		AWS_CONFIG_FILE: path.join(configDir, 'aws-config'),
		AWS_SHARED_CREDENTIALS_FILE: path.join(configDir, 'aws-credentials'),
		AWS_EC2_METADATA_DISABLED: 'true',
		BUNDLEDECK_CONFIG_DIR: configDir,
	};
}

async function sandboxServices(sandbox: Sandbox): Promise<Services> {
	return createServices({
		mode: 'sandbox',
		region: 'us-east-1',
		endpointUrl: sandbox.endpoint,
		credentials: sandbox.credentials,
		env: {},
	});
}

/** Bundles every eligible instance of `region` round after round until `count` tasks exist; returns them. */
async function makeTasks(
	services: Services,
	region: string,
	bucket: string,
	count: number,
	finish: boolean,
): Promise<BundleTask[]> {
	const eligible = (await services.listInstances(region)).filter((instance) => instance.eligible);
	const started: BundleTask[] = [];
	while (started.length < count) {
		const round = eligible.slice(0, count - started.length);
		for (const instance of round) {
			const {task} = await services.startBundle({
				region,
				instanceId: instance.id,
				bucket,
				prefix: `${instance.id}-${started.length}`,
			});
			started.push(task);
		}

		if (!finish) {
			break;
		}

		await waitFor(
			async () =>
				(await services.describeBundleTasks(region)).every(
					(task) => task.state === 'complete' || task.state === 'failed',
				),
			{timeout: 120_000, interval: 50},
		);
	}

	return started;
}

const idleAgeMinutes = 10;

/** Moves every finished bundle task's start and update times in a stopped sandbox's data `ageMs` into the past. */
async function ageFinishedTasks(dir: string, ageMs: number): Promise<void> {
	const file = path.join(dir, 'ec2', 'world.json');
	const world = JSON.parse(await readFile(file, 'utf8')) as {
		tasks: Array<{state: string; startTime: string; updateTime: string}>;
	};
	const moved = (time: string) => new Date(Date.parse(time) - ageMs).toISOString();
	for (const task of world.tasks) {
		if (task.state === 'complete' || task.state === 'failed') {
			task.startTime = moved(task.startTime);
			task.updateTime = moved(task.updateTime);
		}
	}

	await writeFile(file, JSON.stringify(world));
}

/** User + system CPU time of a process in ms (Linux /proc). */
function cpuMs(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function rssMiB(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return Number(match?.[1] ?? 0) / 1024;
}

function spawnDashboard(args: string[], env: NodeJS.ProcessEnv, wrapper: string[] = []) {
	const nodeArgs = process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
	const [command, ...rest] = [...wrapper, process.execPath, ...nodeArgs, cliPath, ...args];
	const child = pty.spawn(command!, rest, {
		name: 'xterm-256color',
		cols: 100,
		rows: 30,
		env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
	});
	let output = '';
	child.onData((data) => {
		output += data;
	});
	const exited = new Promise<void>((resolve) => {
		child.onExit(() => {
			resolve();
		});
	});
	return {
		pid: child.pid,
		output: () => output,
		async quit() {
			child.write('q');
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
			try {
				child.kill();
			} catch {
				// gone already
			}

			await exited;
		},
	};
}

/** strace options that log the file calls historyIo counts, of the process and its threads, to `log`. */
function straceArgs(log: string): string[] {
	return ['-f', '-qq', '-o', log, '-e', 'trace=openat,rename,renameat,renameat2,fsync,fdatasync'];
}

type Trace = {reads: number; writes: number; fsyncs: number};

/** History file reads (opens for reading), writes (renames onto it) and fsyncs in an strace -f log. */
function historyIo(log: string, historyFile: string): Trace {
	const trace: Trace = {reads: 0, writes: 0, fsyncs: 0};
	const name = path.basename(historyFile);
	for (const line of log.split('\n')) {
		if (/openat\(/.test(line) && line.includes(name) && /O_RDONLY/.test(line) && !line.includes(' = -1')) {
			trace.reads++;
		} else if (
			/rename(at2?)?\(/.test(line) &&
			new RegExp(`${name}"\\S*\\)`).test(line.split(',').slice(-2).join(','))
		) {
			trace.writes++;
		} else if (/^\d+\s+f(data)?sync\(/.test(line)) {
			trace.fsyncs++;
		}
	}

	return trace;
}

async function measure(): Promise<void> {
	const work = await mkdtemp(path.join(tmpdir(), 'bundledeck-bench-'));
	const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
	report(
		`machine: ${process.version}, load average ${load}; medians of ${runs} alternating runs (start-up: ${startupRuns}); ${path.relative(process.cwd(), cliPath)}`,
	);
	// Its own data directory: the idle scenario restarts it on the same data with its finished tasks aged.
	const fastDir = path.join(work, 'fast-sandbox');
	const fastPace = {bytesPerSecond: undefined, imageSize: 1024 * 1024, stepDelayMs: 0};
	let fast = await startTestSandbox({dir: fastDir, pace: fastPace});
	const slow = await startTestSandbox({
		pace: {bytesPerSecond: 128 * 1024, imageSize: 24 * 1024 * 1024, stepDelayMs: 0},
	});
	try {
		// --- 200 tasks: bundledeck tasks --json vs aws ec2 describe-bundle-tasks, with history knowing them all.
		let fastServices = await sandboxServices(fast);
		const slowServices = await sandboxServices(slow);
		await fastServices.createBucket('bench-bundles', 'us-east-1');
		// The 200 finished tasks serve `tasks --json`, `history --json` (200 entries) and the idle dashboard.
		const tasks =
			wanted('tasks') || wanted('startup') || wanted('watch')
				? await makeTasks(fastServices, 'us-east-1', 'bench-bundles', 200, true)
				: [];
		const configDir = path.join(work, 'config');
		let env = awsEnv(fast, configDir);
		const history = openHistory({cwd: configDir, name: awsHistoryName});
		for (const task of tasks) {
			history.recordBundle(task);
		}

		// The snapshots history holds are the 'pending' ones: the first poll sees 200 changed tasks.
		const historyFile = path.join(configDir, `${awsHistoryName}.json`);
		const staleHistory = await readFile(historyFile, 'utf8').catch(() => '');
		const tasksRun: Run = {
			command: process.execPath,
			args: [cliPath, 'tasks', '--json', '--endpoint-url', fast.endpoint],
			env,
		};
		if (!wanted('tasks')) {
			// Skipped (BENCH_ONLY).
		} else if (hasAwsCli) {
			const [ours, peer] = await alternate([
				tasksRun,
				{command: 'aws', args: ['ec2', 'describe-bundle-tasks', '--endpoint-url', fast.endpoint], env},
			]);
			compare('tasks --json (200 tasks)', ours!, 'aws ec2 describe-bundle-tasks', peer!, 0.5);
		} else {
			report('tasks --json vs aws ec2 describe-bundle-tasks: skipped (the AWS CLI `aws` is not installed)');
		}

		// --- History I/O in one poll of 200 changed tasks.
		if (!wanted('tasks')) {
			// Skipped (BENCH_ONLY).
		} else if (hasStrace) {
			await writeFile(historyFile, staleHistory);
			const log = path.join(work, 'tasks.strace');
			await timed({
				command: 'strace',
				args: [...straceArgs(log), tasksRun.command, ...tasksRun.args],
				env,
			});
			const io = historyIo(await readFile(log, 'utf8'), historyFile);
			report(
				`history I/O, tasks --json over 200 changed tasks (one poll): ${io.reads} reads, ${io.writes} writes, ${io.fsyncs} fsyncs (goal: 1 read, <= 1 write, no fsync per task)`,
			);
		} else {
			report('history I/O: skipped (strace is not installed)');
		}

		// --- Start-up: --help, <command> --help, history --json vs node -e 0.
		if (wanted('startup')) {
			const node: Run = {command: process.execPath, args: ['-e', '0'], env};
			const startups: Array<[string, string[]]> = [
				['--help', ['--help']],
				['bundle --help', ['bundle', '--help']],
				[`history --json (${tasks.length} entries)`, ['history', '--json']],
			];
			const startupTimes = await alternate(
				[node, ...startups.map(([, args]) => ({...node, args: [cliPath, ...args]}))],
				startupRuns,
			);
			for (const [index, [label]] of startups.entries()) {
				compare(label, startupTimes[index + 1]!, 'node -e 0', startupTimes[0]!, 1.3);
			}
		}

		// --- Dashboard: first frame listing instances (the wizard's instance step: no history in this config dir).
		if (wanted('first-frame')) {
			const firstFrames: number[] = [];
			for (let round = 0; round < runs; round++) {
				const emptyConfig = await mkdtemp(path.join(work, 'empty-config-'));
				const started = performance.now();
				const dashboard = spawnDashboard(['--endpoint-url', fast.endpoint], awsEnv(fast, emptyConfig));
				await waitFor(() => dashboard.output().includes('web01'), {timeout: 30_000, interval: 5});
				firstFrames.push(performance.now() - started);
				await dashboard.quit();
			}

			const firstFrame = median(firstFrames);
			report(
				`dashboard first frame with instances listed: ${seconds(firstFrame)} (goal <= 0.5 s: ${firstFrame <= 500 ? 'met' : 'NOT met'})`,
			);
		}

		// --- Watching: 20 active tasks across the regions vs idle (200 finished tasks), CPU share and RSS.
		if (wanted('watch')) {
			const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
			const active: BundleTask[] = [];
			for (const region of regions) {
				const bucket = `bench-active-${region}`;
				await slowServices.createBucket(bucket, region);
				active.push(...(await makeTasks(slowServices, region, bucket, 20 - active.length, false)));
			}

			const activeConfig = path.join(work, 'active-config');
			const activeHistory = openHistory({cwd: activeConfig, name: awsHistoryName});
			for (const task of active) {
				activeHistory.recordBundle(task);
			}

			await writeFile(path.join(activeConfig, 'settings.json'), JSON.stringify({watchedRegions: regions}));
			await writeFile(path.join(configDir, 'settings.json'), JSON.stringify({watchedRegions: ['us-east-1']}));
			const watch = async (label: string, sandbox: Sandbox, dir: string) => {
				const dashboard = spawnDashboard(['--endpoint-url', sandbox.endpoint], awsEnv(sandbox, dir));
				try {
					await waitFor(() => /bun-[0-9a-f]+/.test(dashboard.output()), {timeout: 30_000, interval: 20});
					// Past start-up (first poll, the collections of its garbage, compilations): the window is the steady state.
					await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
					const cpuBefore = cpuMs(dashboard.pid);
					const wallBefore = performance.now();
					// RSS is the highest of the window's seconds: it rises between the collector's full passes.
					let rss = 0;
					for (let second = 0; second < watchSeconds; second++) {
						await new Promise((resolve) => setTimeout(resolve, 1000));
						rss = Math.max(rss, rssMiB(dashboard.pid));
					}

					const share = ((cpuMs(dashboard.pid) - cpuBefore) / (performance.now() - wallBefore)) * 100;
					if (process.env['BENCH_SMAPS']) {
						await writeFile(
							`${process.env['BENCH_SMAPS']}-${label.split(' ')[0]}`,
							readFileSync(`/proc/${dashboard.pid}/smaps`),
						);
					}
					return {label, share, rss};
				} finally {
					await dashboard.quit();
				}
			};

			const busy = await watch(`${active.length} active tasks`, slow, activeConfig);
			// Idle is the goal's idle: tasks that ended more than a minute ago, whose UPDATED cells change once a minute.
			// Tasks that just finished tick every second. The sandbox restarts on its data with their times moved back.
			fastServices.close();
			await fast.close();
			await ageFinishedTasks(fastDir, idleAgeMinutes * 60_000);
			fast = await startTestSandbox({dir: fastDir, pace: fastPace});
			fastServices = await sandboxServices(fast);
			env = awsEnv(fast, configDir);
			const idle = await watch(
				`idle (200 tasks that finished ${idleAgeMinutes} minutes before: their UPDATED cells change once a minute)`,
				fast,
				configDir,
			);
			report(
				`dashboard watching ${busy.label}: ${busy.share.toFixed(2)}% of a core, RSS at most ${busy.rss.toFixed(0)} MiB (goals <= 2%, <= 120 MiB: ${busy.share <= 2 ? 'met' : 'NOT met'}, ${busy.rss <= 120 ? 'met' : 'NOT met'})`,
			);
			report(
				`dashboard ${idle.label}: ${idle.share.toFixed(2)}% of a core, RSS at most ${idle.rss.toFixed(0)} MiB (goals <= 0.5%, <= 120 MiB: ${idle.share <= 0.5 ? 'met' : 'NOT met'}, ${idle.rss <= 120 ? 'met' : 'NOT met'}); ${watchSeconds} s windows, ${settleSeconds} s after the first frame`,
			);

			// --- History I/O per dashboard poll cycle while 20 tasks are active (strace; cycles counted at the sandbox).
			if (hasStrace) {
				const log = path.join(work, 'dashboard.strace');
				slow.clearRequestLog();
				const dashboard = spawnDashboard(['--endpoint-url', slow.endpoint], awsEnv(slow, activeConfig), [
					'strace',
					...straceArgs(log),
				]);
				await waitFor(() => /bun-[0-9a-f]+/.test(dashboard.output()), {timeout: 30_000, interval: 20});
				await new Promise((resolve) => setTimeout(resolve, watchSeconds * 1000));
				await dashboard.quit();
				// A cycle asks every watched region once: the busiest region's count is the number of cycles.
				const perRegion = regions.map(
					(region) =>
						slow.requestLog().filter((entry) => entry.action === 'DescribeBundleTasks' && entry.region === region)
							.length,
				);
				const cycles = Math.max(1, ...perRegion);
				const io = historyIo(await readFile(log, 'utf8'), path.join(activeConfig, `${awsHistoryName}.json`));
				report(
					`history I/O per dashboard poll cycle (${active.length} active tasks, ${cycles.toFixed(0)} cycles): ${(io.reads / cycles).toFixed(2)} reads, ${(io.writes / cycles).toFixed(2)} writes, ${(io.fsyncs / cycles).toFixed(2)} fsyncs`,
				);
			}
		}

		// --- migrate vs aws s3 cp --recursive, the same objects (one bundle's parts + manifest, its own bucket).
		if (wanted('migrate')) {
			await fastServices.createBucket('bench-migrate-source', 'us-east-1');
			const [source] = await makeTasks(fastServices, 'us-east-1', 'bench-migrate-source', 1, true);
			if (hasAwsCli && source) {
				let destination = 0;
				const fresh = async () => {
					destination++;
					await fastServices.createBucket(`bench-migrate-to-${destination}`, 'us-west-2');
					return `bench-migrate-to-${destination}`;
				};

				const migrateTimes: Timing[] = [];
				const copyTimes: Timing[] = [];
				for (let round = 0; round <= runs; round++) {
					const migrateTo = await fresh();
					const migrateTime = await timed({
						command: process.execPath,
						args: [
							cliPath,
							'migrate',
							source.bundleId,
							'--to-region',
							'us-west-2',
							'--to-bucket',
							migrateTo,
							'--json',
							'--endpoint-url',
							fast.endpoint,
						],
						env,
					});
					const copyTo = await fresh();
					const copyTime = await timed({
						command: 'aws',
						args: [
							's3',
							'cp',
							'--recursive',
							'--only-show-errors',
							's3://bench-migrate-source/',
							`s3://${copyTo}/`,
							'--source-region',
							'us-east-1',
							'--region',
							'us-west-2',
							'--endpoint-url',
							fast.endpoint,
						],
						// --endpoint-url reaches only the destination's client; the source's (--source-region) reads this.
						env: {...env, AWS_ENDPOINT_URL: fast.endpoint},
					});
					if (round > 0) {
						migrateTimes.push(migrateTime);
						copyTimes.push(copyTime);
					}
				}

				compare(
					'migrate (one bundle: parts + manifest)',
					medianTiming(migrateTimes),
					'aws s3 cp --recursive',
					medianTiming(copyTimes),
					1,
				);
			} else {
				report('migrate vs aws s3 cp --recursive: skipped (the AWS CLI `aws` is not installed)');
			}
		}

		fastServices.close();
		slowServices.close();
	} finally {
		await fast.close();
		await slow.close();
		await rm(work, {recursive: true, force: true});
	}

	console.log(`\n${lines.join('\n')}`);
}

/** Vitest's bench runner does not show a thrown error: print it. */
async function measureOrSay(): Promise<void> {
	try {
		await measure();
	} catch (error) {
		console.error(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		throw error;
	}
}

describe('start-up and steady state (issue 16)', () => {
	bench('CLI and dashboard figures beside their peers', measureOrSay, {
		iterations: 1,
		warmupIterations: 0,
		warmupTime: 0,
		time: 0,
	});
});
