import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {stopService} from '../../source/sandbox/service.js';
import {cliPath, spawnCli} from '../helpers/pty.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-e2e-'));
});
afterEach(async () => {
	// A --sandbox run starts the sandbox service for the directory: stop it.
	await stopService(path.join(dir, 'sandbox'));
	rmSync(dir, {recursive: true, force: true});
});

function isolatedEnv(): NodeJS.ProcessEnv {
	return {BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'), BUNDLEDECK_SANDBOX_DIR: path.join(dir, 'sandbox')};
}

function runPlain(args: string[]) {
	return spawnSync(process.execPath, [cliPath, ...args], {
		encoding: 'utf8',
		env: {...process.env, ...isolatedEnv()},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

describe('bundledeck binary', () => {
	test('--help documents every flag', () => {
		const result = runPlain(['--help']);
		expect(result.status).toBe(0);
		for (const flag of ['--sandbox', '--profile', '--region', '--endpoint-url', '--no-color', '--help', '--version']) {
			expect(result.stdout).toContain(flag);
		}
	});

	test('--help is generated from the specs: it lists sandbox and the real dashboard keys (issue 15 item 11)', () => {
		const result = runPlain(['--help']);
		expect(result.stdout).toMatch(/^ {2}sandbox \[--port N\]/m);
		expect(result.stdout).toContain('Dashboard keys');
		expect(result.stdout).not.toContain('enter choose');
		const sandboxHelp = runPlain(['sandbox', '--help']);
		expect(sandboxHelp.status).toBe(0);
		expect(sandboxHelp.stdout).toContain('Usage\n  $ bundledeck sandbox');
	});

	test('the dashboard parses like the commands: --sandbox-dir without --sandbox and bad sandbox settings are refused (issue 10)', () => {
		const dirWithout = runPlain(['--sandbox-dir', path.join(dir, 'elsewhere')]);
		expect(dirWithout.status).toBe(2);
		expect(dirWithout.stderr).toBe('bundledeck: --sandbox-dir and --sandbox-reset need --sandbox\n');
		const badSetting = spawnSync(process.execPath, [cliPath, '--sandbox'], {
			encoding: 'utf8',
			env: {...process.env, ...isolatedEnv(), BUNDLEDECK_SANDBOX_LATENCY_MS: 'slow'},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		expect(badSetting.status).toBe(2);
		expect(badSetting.stderr.trim().split('\n')).toHaveLength(1);
		expect(badSetting.stderr).toContain("BUNDLEDECK_SANDBOX_LATENCY_MS='slow'");
	});

	test('--version prints the package version', () => {
		const result = runPlain(['--version']);
		expect(result.status).toBe(0);
		expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
	});

	test('an unknown flag is one clear line on stderr and exit 2', () => {
		const result = runPlain(['--bogus']);
		expect(result.status).toBe(2);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain('--bogus');
	});

	test('flag errors read like the commands\' ("unknown flag --x", "--region needs a value"), not node\'s', () => {
		const unknown = runPlain(['--bogus']);
		expect(unknown.stderr).toBe('bundledeck: unknown flag --bogus (see bundledeck --help)\n');
		const missing = runPlain(['--region']);
		expect(missing.status).toBe(2);
		expect(missing.stderr).toBe('bundledeck: --region needs a value (see bundledeck --help)\n');
	});

	test('global flags before the command word work (bundledeck --sandbox --json history)', () => {
		const result = runPlain(['--sandbox', '--json', 'history']);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({entries: []});
		// A flag's value is not mistaken for the command, and a real unknown word is still refused.
		expect(runPlain(['--region', 'history']).stderr).toContain("--region 'history' is not an AWS region name");
		expect(runPlain(['--sandbox', 'nosuch']).stderr).toContain("unknown command 'nosuch'");
	});

	test('an unknown command close to a real one says which (bundel → bundle), exit 2', () => {
		const typo = runPlain(['bundel']);
		expect(typo.status).toBe(2);
		expect(typo.stderr).toBe("bundledeck: unknown command 'bundel' — did you mean 'bundle'? (see bundledeck --help)\n");
		expect(runPlain(['--sandbox', 'taskz']).stderr).toContain("unknown command 'taskz' — did you mean 'tasks'?");
		// Nothing within two edits: no guess.
		const far = runPlain(['frobnicate']);
		expect(far.status).toBe(2);
		expect(far.stderr).toBe("bundledeck: unknown command 'frobnicate' (see bundledeck --help)\n");
	});

	test('history works without AWS credentials (it is local)', () => {
		const result = spawnSync(process.execPath, [cliPath, 'history', '--json'], {
			encoding: 'utf8',
			env: {
				PATH: process.env['PATH'],
				...isolatedEnv(),
				AWS_CONFIG_FILE: path.join(dir, 'no-config'),
				AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
				AWS_EC2_METADATA_DISABLED: 'true',
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({entries: []});
	});

	test('a bad --region value is refused with exit 2', () => {
		const result = runPlain(['--region', 'Mars']);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('--region');
	});

	test('off a TTY with no command: a clear message and exit 2, no raw-mode crash', () => {
		const result = runPlain(['--sandbox']);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('interactive terminal');
		expect(result.stderr).not.toMatch(/Raw mode|at .*\.js:\d+/);
	});

	for (const [name, key] of [
		['q', 'q'],
		['Ctrl+C', '\u0003'],
	] as const) {
		test(`the dashboard starts in a real terminal and ${name} exits cleanly with code 0`, async () => {
			const session = spawnCli(['--sandbox'], {env: isolatedEnv()});
			try {
				// Ready marker: the header with the mode, then the first screen's footer.
				await session.waitForText('SANDBOX');
				await session.waitForText(/quit/);
				session.write(key);
				const exit = await session.exited;
				expect(exit.exitCode).toBe(0);
				// The cursor is shown again (Ink restores it on exit).
				expect(session.output()).toContain('\u001B[?25h');
				expect(session.text()).not.toMatch(/Error:|at .*\.js:\d+/);
			} finally {
				session.kill();
			}
		});
	}
});
