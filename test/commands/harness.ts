/**
 * Runs commands the way the CLI does, against the real Services pointed at an in-process sandbox region, with a
 * temporary history directory. stdout/stderr are captured as strings; TTY-ness is per run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {runCommand} from '../../source/commands/index.js';
import type {History} from '../../source/core/history.js';
import type {BundleTask, Instance} from '../../source/core/types.js';
import type {SandboxOptions} from '../../source/sandbox/contracts.js';
import type {GlobalOptions} from '../../source/session.js';
import {openHistory} from '../../source/store/history.js';
import {startTestServices, type TestServices} from '../helpers/services.js';
import {waitFor} from '../helpers/wait-for.js';

export class CaptureStream extends Writable {
	text = '';
	isTTY: boolean;
	columns: number | undefined;

	constructor(isTTY: boolean, columns?: number) {
		super();
		this.isTTY = isTTY;
		this.columns = columns;
	}

	override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.text += String(chunk);
		callback();
	}
}

export type RunOptions = {
	stdinIsTTY?: boolean;
	stdoutIsTTY?: boolean;
	stderrIsTTY?: boolean;
	/** The terminal's width when stdout is one (default: unknown, taken as 80). */
	stdoutColumns?: number;
	/** Lines typed at prompts (needs stdinIsTTY). */
	answers?: string[];
	signal?: AbortSignal;
	/** Called once the command is running, with its live streams. */
	onStart?: (streams: {stdout: CaptureStream; stderr: CaptureStream}) => void;
};

export type RunResult = {code: number; stdout: string; stderr: string};

export type Harness = {
	test: TestServices;
	/** The history directory (BUNDLEDECK_CONFIG_DIR). */
	dir: string;
	historyFile: string;
	/** Every session the commands opened. */
	sessions: GlobalOptions[];
	/** Everything any command printed (for the no-secret check). */
	transcript: string[];
	run(argv: string[], options?: RunOptions): Promise<RunResult>;
	/**
	 * Runs a command on a terminal with the sandbox's `slowed` actions taking a second each, interrupts it (as Ctrl+C)
	 * once its stderr shows `when`, then lets the sandbox answer at full speed again.
	 */
	runInterrupted(argv: string[], slowed: string[], when: string): Promise<RunResult>;
	history(): History;
	eligibleInstances(region: string): Promise<Instance[]>;
	/** Bundles an instance through the command and waits until the sandbox reports the task complete. */
	completedBundle(region: string, bucket: string, prefix: string): Promise<BundleTask>;
	close(): Promise<void>;
};

export async function startHarness(sandbox: SandboxOptions = {}, maxAttempts?: number): Promise<Harness> {
	const test = await startTestServices({sandbox, ...(maxAttempts === undefined ? {} : {maxAttempts})});
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundledeck-commands-'));
	const sessions: GlobalOptions[] = [];
	const transcript: string[] = [];
	const historyName = 'history-sandbox';
	const history = () => openHistory({cwd: dir, name: historyName});
	let instanceCursor = 0;

	const harness: Harness = {
		test,
		dir,
		historyFile: path.join(dir, `${historyName}.json`),
		sessions,
		transcript,
		history,
		async run(argv, options = {}) {
			const stdout = new CaptureStream(options.stdoutIsTTY ?? false, options.stdoutColumns);
			const stderr = new CaptureStream(options.stderrIsTTY ?? false);
			const stdin = new PassThrough();
			for (const answer of options.answers ?? []) {
				stdin.write(`${answer}\n`);
			}

			const [name = '', ...rest] = argv;
			options.onStart?.({stdout, stderr});
			const code = await runCommand(name, rest, {
				io: {
					stdout,
					stderr,
					stdinIsTTY: options.stdinIsTTY ?? false,
					env: {BUNDLEDECK_CONFIG_DIR: dir},
					stdin,
				},
				async openSession(options) {
					sessions.push(options);
					return {services: test.services, history: history(), sandbox: test.sandbox, async close() {}};
				},
				signal: options.signal,
			});
			stdin.destroy();
			transcript.push(stdout.text, stderr.text);
			return {code, stdout: stdout.text, stderr: stderr.text};
		},
		async runInterrupted(argv, slowed, when) {
			test.sandbox.setFaults({latencyMs: 1000, actions: slowed});
			const controller = new AbortController();
			let stderrText = () => '';
			try {
				const pending = harness.run(argv, {
					stderrIsTTY: true,
					signal: controller.signal,
					onStart({stderr}) {
						stderrText = () => stderr.text;
					},
				});
				await waitFor(() => stderrText().includes(when));
				controller.abort();
				return await pending;
			} finally {
				test.sandbox.setFaults({});
			}
		},
		async eligibleInstances(region) {
			const instances = await test.services.listInstances(region);
			return instances.filter((instance) => instance.eligible);
		},
		async completedBundle(region, bucket, prefix) {
			// Each call bundles a different eligible instance (an instance bundles one task at a time).
			const instances = await harness.eligibleInstances(region);
			const instance = instances[instanceCursor++ % instances.length]!;
			await waitFor(async () => {
				const again = await test.services.listInstances(region);
				return again.find((candidate) => candidate.id === instance.id)?.state === 'running';
			});
			const result = await harness.run([
				'bundle',
				instance.id,
				'--bucket',
				bucket,
				'--prefix',
				prefix,
				'--region',
				region,
			]);
			if (result.code !== 0) {
				throw new Error(`bundle failed: ${result.stderr}`);
			}

			const bundleId = result.stdout.trim();
			return waitFor(
				async () => {
					const [task] = await test.services.describeBundleTasks(region, [bundleId]);
					return task?.state === 'complete' ? task : undefined;
				},
				{timeout: 30_000},
			);
		},
		async close() {
			await test.close();
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
	return harness;
}

/** A sandbox pace where bundles finish in well under a second. */
export const fastPace: SandboxOptions = {pace: {bytesPerSecond: undefined, imageSize: 2 * 1024 * 1024, stepDelayMs: 0}};

/** A sandbox pace where a bundle takes far longer than any test waits. */
export const slowPace: SandboxOptions = {pace: {bytesPerSecond: 1024, imageSize: 64 * 1024 * 1024, stepDelayMs: 0}};
