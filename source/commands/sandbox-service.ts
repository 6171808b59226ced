/**
 * `bundledeck sandbox start|stop|status|logs`: manage the sandbox region running as a background service for a
 * data directory (see sandbox/service.ts).
 */
import {createReadStream} from 'node:fs';
import {readFile, stat} from 'node:fs/promises';
import {setTimeout as delay} from 'node:timers/promises';
import {createServices} from '../aws/services.js';
import {isActiveState} from '../core/task-model.js';
import {defaultAccount} from '../sandbox/accounts.js';
import {sandboxRegions} from '../sandbox/contracts.js';
import {findService, serviceLogFile, startService, stopService} from '../sandbox/service.js';
import {defaultSandboxDir} from '../store/sandbox-dir.js';
import {booleanValue, type ParsedCommand, parseCommandArgs, stringValue} from './args.js';
import {UsageError} from './exit-codes.js';
import {commandHelp} from './help.js';
import {clientEnvLines, type SandboxCommandIo, sandboxClientEnv} from './sandbox.js';
import {type ServiceAction, serviceSpecs} from './sandbox-service-specs.js';

function oneLine(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).replaceAll(/\s+/g, ' ').trim();
}

function uptime(startedAt: string | undefined): number | undefined {
	const started = startedAt === undefined ? Number.NaN : Date.parse(startedAt);
	return Number.isNaN(started) ? undefined : Math.max(0, Math.round((Date.now() - started) / 1000));
}

function humanDuration(seconds: number): string {
	const h = Math.floor(seconds / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	const s = seconds % 60;
	return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/** Bundle tasks not yet complete or failed, over every sandbox region, asked of the service itself. */
async function tasksRunning(endpoint: string, env: NodeJS.ProcessEnv): Promise<number> {
	const services = await createServices({
		mode: 'sandbox',
		endpointUrl: endpoint,
		region: 'us-east-1',
		credentials: {accessKeyId: defaultAccount.accessKeyId, secretAccessKey: defaultAccount.secretAccessKey},
		env,
		maxAttempts: 2,
	});
	try {
		const lists = await Promise.all(sandboxRegions.map(async (region) => services.describeBundleTasks(region)));
		return lists.flat().filter((task) => isActiveState(task.state)).length;
	} finally {
		services.close();
	}
}

async function follow(file: string, io: SandboxCommandIo, from: number): Promise<void> {
	let offset = from;
	const stopped = () => io.signal?.aborted ?? false;
	while (!stopped()) {
		const size = await stat(file).then(
			(info) => info.size,
			() => offset,
		);
		if (size < offset) {
			offset = 0;
		}

		if (size > offset) {
			await new Promise<void>((resolve, reject) => {
				const stream = createReadStream(file, {start: offset, end: size - 1});
				stream.on('data', (chunk) => io.stdout.write(chunk));
				stream.once('end', resolve);
				stream.once('error', reject);
			});
			offset = size;
		}

		await delay(250, undefined, {signal: io.signal}).catch(() => undefined);
	}
}

/** `bundledeck sandbox <action> <argv>` with only the streams it needs (tests, and callers without a session). */
export async function runServiceCommand(action: ServiceAction, argv: string[], io: SandboxCommandIo): Promise<number> {
	let parsed: ParsedCommand;
	try {
		parsed = parseCommandArgs(serviceSpecs[action], argv, io.env);
	} catch (error) {
		if (error instanceof UsageError) {
			io.stderr.write(`bundledeck: ${error.message}\n`);
			return 2;
		}

		throw error;
	}

	if (booleanValue(parsed, 'help')) {
		io.stdout.write(commandHelp(serviceSpecs[action]));
		return 0;
	}

	return runServiceAction(action, parsed, io);
}

/** Runs one service action on flags the one parser has read. */
export async function runServiceAction(
	action: ServiceAction,
	parsed: ParsedCommand,
	io: SandboxCommandIo,
): Promise<number> {
	const name = `bundledeck sandbox ${action}`;
	const values = {
		dir: stringValue(parsed, 'dir'),
		port: stringValue(parsed, 'port'),
		json: parsed.globals.json,
		follow: booleanValue(parsed, 'follow'),
	};
	if (values.dir?.trim() === '') {
		io.stderr.write(`${name}: --dir needs a value.\n`);
		return 2;
	}

	const dir = values.dir ?? defaultSandboxDir(io.env);
	switch (action) {
		case 'start': {
			const port = Number(values.port ?? '0');
			if (values.port !== undefined && (!/^\d+$/.test(values.port) || port > 65_535)) {
				io.stderr.write(`${name}: --port must be a whole number from 0 to 65535, not '${values.port}'.\n`);
				return 2;
			}

			const running = await findService(dir);
			if (running && values.json) {
				io.stdout.write(
					`${JSON.stringify({started: false, endpoint: running.endpoint, pid: running.pid, dataDir: dir, logFile: serviceLogFile(dir)})}\n`,
				);
				return 0;
			}

			if (running) {
				io.stdout.write(`The sandbox region already runs on ${running.endpoint} (pid ${running.pid}, data ${dir}).\n`);
				return 0;
			}

			try {
				const started = await startService({dir, port, env: io.env});
				if (values.json) {
					io.stdout.write(
						`${JSON.stringify({started: true, endpoint: started.endpoint, pid: started.pid, dataDir: dir, logFile: serviceLogFile(dir)})}\n`,
					);
					return 0;
				}

				io.stdout.write(
					`Sandbox region started in the background on ${started.endpoint} (pid ${started.pid}, data ${dir}).\n` +
						`Log: ${serviceLogFile(dir)} · stop it with: bundledeck sandbox stop${values.dir ? ` --dir ${dir}` : ''}\n`,
				);
				return 0;
			} catch (error) {
				io.stderr.write(`${name}: could not start the sandbox region: ${oneLine(error)}.\n`);
				return 1;
			}
		}

		case 'stop': {
			try {
				const stopped = await stopService(dir);
				if (values.json) {
					io.stdout.write(`${JSON.stringify({stopped: Boolean(stopped), pid: stopped?.pid ?? null, dataDir: dir})}\n`);
					return 0;
				}

				io.stdout.write(
					stopped
						? `Stopped the sandbox region (pid ${stopped.pid}); its state is saved in ${dir}.\n`
						: `No sandbox region runs for ${dir}.\n`,
				);
				return 0;
			} catch (error) {
				io.stderr.write(`${name}: ${oneLine(error)}; kill it by hand if it is stuck.\n`);
				return 1;
			}
		}

		case 'status': {
			const running = await findService(dir);
			if (!running) {
				if (values.json) {
					io.stdout.write(`${JSON.stringify({running: false, dataDir: dir}, undefined, 2)}\n`);
				} else {
					io.stdout.write(`No sandbox region runs for ${dir} (bundledeck sandbox start starts one).\n`);
				}

				return 3;
			}

			let running_: number | undefined;
			let tasksError: string | undefined;
			try {
				running_ = await tasksRunning(running.endpoint, io.env);
			} catch (error) {
				tasksError = oneLine(error);
			}

			const seconds = uptime(running.startedAt);
			// The background service serves the default account: what other clients need to talk to it
			const env = sandboxClientEnv(running.endpoint, defaultAccount);
			if (values.json) {
				const status = {
					running: true,
					endpoint: running.endpoint,
					pid: running.pid,
					startedAt: running.startedAt ?? null,
					uptimeSeconds: seconds ?? null,
					tasksRunning: running_ ?? null,
					dataDir: dir,
					logFile: serviceLogFile(dir),
					env,
				};
				io.stdout.write(`${JSON.stringify(status, undefined, 2)}\n`);
			} else {
				io.stdout.write(
					[
						`Sandbox region running on ${running.endpoint} (pid ${running.pid})`,
						`Uptime: ${seconds === undefined ? 'unknown' : humanDuration(seconds)}`,
						`Tasks running: ${running_ ?? `unknown (${tasksError ?? 'no answer'})`}`,
						`Data directory: ${dir}`,
						`Log: ${serviceLogFile(dir)}`,
						'',
						...clientEnvLines(env),
						'',
					].join('\n'),
				);
			}

			return 0;
		}

		case 'logs': {
			if (values.json && values.follow) {
				io.stderr.write(
					`bundledeck: --json prints the log as it is (one {"line"} object per line); -f is for a terminal\n`,
				);
				return 2;
			}

			const file = serviceLogFile(dir);
			let text: Buffer;
			try {
				text = await readFile(file);
			} catch {
				if (!values.follow) {
					io.stderr.write(`${name}: no log in ${dir} yet (the sandbox service has not run there).\n`);
					return 1;
				}

				text = Buffer.alloc(0);
			}

			if (values.json) {
				for (const line of text
					.toString('utf8')
					.split('\n')
					.filter((entry) => entry !== '')) {
					io.stdout.write(`${JSON.stringify({line})}\n`);
				}

				return 0;
			}

			io.stdout.write(text);
			if (values.follow) {
				await follow(file, io, text.length);
			}

			return 0;
		}
	}
}
