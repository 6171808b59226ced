import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {stopService} from '../../source/sandbox/service.js';
import {spawnCli} from '../helpers/pty.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-e2e-color-'));
});
afterEach(async () => {
	// A --sandbox run starts the sandbox service for the directory: stop it.
	await stopService(path.join(dir, 'sandbox'));
	rmSync(dir, {recursive: true, force: true});
});

// SGR sequences that set a colour: 30-37, 90-97 (foreground), 40-47, 100-107 (background), 38;/48; (extended).
const colour = /\u001B\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;|48;)[0-9;]*m/;

for (const [name, args, env] of [
	['NO_COLOR', ['--sandbox'], {NO_COLOR: '1'}],
	['--no-color', ['--sandbox', '--no-color'], {NO_COLOR: undefined}],
] as const) {
	test(`${name}: the dashboard draws without any colour in a real terminal`, async () => {
		const session = spawnCli([...args], {
			env: {
				...env,
				FORCE_COLOR: undefined,
				BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
				BUNDLEDECK_SANDBOX_DIR: path.join(dir, 'sandbox'),
			},
		});
		try {
			await session.waitForText('SANDBOX');
			await session.waitForText('quit');
			expect(session.output()).not.toMatch(colour);
			session.write('q');
			expect((await session.exited).exitCode).toBe(0);
		} finally {
			session.kill();
		}
	});
}

test('without NO_COLOR the same screen is coloured (the check above can fail)', async () => {
	const session = spawnCli(['--sandbox'], {
		env: {
			NO_COLOR: undefined,
			FORCE_COLOR: '1',
			BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
			BUNDLEDECK_SANDBOX_DIR: path.join(dir, 'sandbox'),
		},
	});
	try {
		await session.waitForText('SANDBOX');
		await session.waitForText('quit');
		expect(session.output()).toMatch(colour);
		session.write('q');
		expect((await session.exited).exitCode).toBe(0);
	} finally {
		session.kill();
	}
});
