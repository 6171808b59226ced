/**
 * Issue 14 item 6: a failed write to stdout (other than a closed pipe) is exit 1 with one line, not exit 0 with
 * nothing written. Runs the built CLI with stdout on /dev/full (Linux).
 */
import {closeSync, existsSync, mkdtempSync, openSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {stopService} from '../../source/sandbox/service.js';
import {runCliIn} from '../helpers/pty.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-full-'));
afterAll(async () => {
	// The CLI runs its sandbox as a background service: stop it before its directory goes.
	await stopService(path.join(dir, 'sandbox'));
	rmSync(dir, {recursive: true, force: true});
});

function runInto(target: string | 'pipe', args: string[]) {
	const fd = target === 'pipe' ? 'pipe' : openSync(target, 'w');
	try {
		return runCliIn(dir, args, fd);
	} finally {
		if (typeof fd === 'number') {
			closeSync(fd);
		}
	}
}

describe.runIf(existsSync('/dev/full'))('stdout on a full device', () => {
	test.each([[['history', '--json']], [['history']], [['tasks', '--sandbox']], [['tasks', '--sandbox', '--json']]])(
		'%j exits 1 with one line naming the write error',
		(args) => {
			const result = runInto('/dev/full', args);
			expect(result.status).toBe(1);
			const lines = result.stderr.trim().split('\n');
			expect(lines.at(-1)).toMatch(/could not write to standard output \(ENOSPC/);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		},
	);

	test('the same command into a pipe still exits 0', () => {
		expect(runInto('pipe', ['history', '--json']).status).toBe(0);
	});
});
