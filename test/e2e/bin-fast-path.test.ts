/**
 * The built bin answers --help and `history` itself (issue 16) and hands everything else to main.js: its answers
 * are the ones the whole CLI gives.
 */
import {spawn, spawnSync} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {allSpecs, commandHelpText, helpText} from '../../source/commands/index.js';
import {stopService} from '../../source/sandbox/service.js';
import {cliPath, runCliIn} from '../helpers/pty.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-bin-'));
});
afterEach(async () => {
	await stopService(path.join(dir, 'sandbox'));
	rmSync(dir, {recursive: true, force: true});
});

function run(args: string[]) {
	return runCliIn(dir, args);
}

describe('the bin fast path (issue 16)', () => {
	test('every help text is the one generated from the specs, wherever --help / -h stands', () => {
		expect(run(['--help']).stdout).toBe(helpText());
		expect(run(['--sandbox', '-h']).stdout).toBe(helpText());
		for (const spec of allSpecs.slice(1)) {
			const result = run([...spec.name.split(' '), '--help']);
			expect(result.status, spec.name).toBe(0);
			expect(result.stdout, spec.name).toBe(commandHelpText(spec.name));
		}

		expect(run(['--json', 'sandbox', 'status', '-h']).stdout).toBe(commandHelpText('sandbox status'));
	});

	test('a help or history reader that went away (`bundledeck --help | head -1`) ends it quietly: no stack trace, exit 0', async () => {
		for (const args of [['--help'], ['tasks', '--help'], ['history', '--json']]) {
			const child = spawn(process.execPath, [cliPath, ...args], {
				stdio: ['ignore', 'pipe', 'pipe'],
				env: {...process.env, BUNDLEDECK_CONFIG_DIR: dir},
			});
			// Closed long before the bin writes (it takes tens of milliseconds to start): its write gets EPIPE.
			child.stdout.destroy();
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
			});
			const code = await new Promise<number | null>((resolve) => {
				child.on('close', resolve);
			});
			expect(stderr, args.join(' ')).toBe('');
			expect(code, args.join(' ')).toBe(0);
		}
	});

	test('history written to a full disk (its output held until the end) fails with one line, exit 1', () => {
		const full = openSync('/dev/full', 'w');
		try {
			const result = spawnSync(process.execPath, [cliPath, 'history', '--json'], {
				stdio: ['ignore', full, 'pipe'],
				env: {...process.env, BUNDLEDECK_CONFIG_DIR: dir},
				encoding: 'utf8',
			});
			expect(result.stderr).toBe(
				'bundledeck: could not write to standard output (ENOSPC: no space left on the device), so the output is incomplete — send it somewhere writable\n',
			);
			expect(result.status).toBe(1);
		} finally {
			closeSync(full);
		}
	});

	test('history refuses bad flags as the whole CLI does', () => {
		const result = run(['history', '--bogus']);
		expect(result.status).toBe(2);
		expect(result.stderr).toBe(
			"bundledeck: unknown flag --bogus for 'bundledeck history' (see bundledeck history --help)\n",
		);
		expect(run(['history', '--sandbox-dir', dir]).stderr).toBe(
			'bundledeck: --sandbox-dir and --sandbox-reset need --sandbox\n',
		);
	});

	test('history --sandbox-reset, which needs the sandbox, runs in the whole CLI', () => {
		const result = run(['history', '--sandbox', '--sandbox-reset', '--json']);
		// Only the whole CLI starts the sandbox service (and says so).
		expect(result.stderr).toMatch(/^bundledeck: started the sandbox region/);
		expect(result.status).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({entries: []});
	});
});
