/** The wizard's image -> S3 path in a real terminal at 80x24: an EBS-backed instance to a saved chain. */
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {stopService} from '../../source/sandbox/service.js';
import {spawnCli} from '../helpers/pty.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'bundledeck-e2e-wizard-store-'));
});
afterEach(async () => {
	// A --sandbox run starts the sandbox service for the directory: stop it.
	await stopService(path.join(dir, 'sandbox'));
	rmSync(dir, {recursive: true, force: true});
});

const pause = async () =>
	new Promise((resolve) => {
		setTimeout(resolve, 150);
	});

test('80x24: erp01 (EBS-backed) through the wizard: new bucket, AMI name, DryRun of both calls, CreateImage, dashboard', async () => {
	const config = path.join(dir, 'config');
	const session = spawnCli(['--sandbox'], {
		columns: 80,
		rows: 24,
		env: {BUNDLEDECK_CONFIG_DIR: config, BUNDLEDECK_SANDBOX_DIR: path.join(dir, 'sandbox'), NO_COLOR: '1'},
	});
	const send = async (...keys: string[]) => {
		for (const key of keys) {
			session.write(key);
			await pause();
		}
	};

	try {
		await session.waitForText('a: your AMIs');
		await session.waitForText(/erp01 +i-[0-9a-f]+ m5\.xlarge running +image → S3/);
		await send('/', 'erp01', '\r', '\r');
		await session.waitForText('Which bucket takes the image?');
		await session.waitForText('create a new bucket');
		await send('\r', 'e2e-store-bucket');
		await session.waitForText('valid name');
		await send('\r');
		await session.waitForText('CreateImage makes an AMI');
		await send('\r');
		await session.waitForText('Enter starts it.');
		expect(session.text()).toContain('erp01 reboots for a consistent image');
		expect(session.text()).toContain('✓ CreateImage DryRun passed (with reboot)');
		expect(session.text()).toContain('store task: bucket e2e-store-bucket is created in us-east-1 at start');
		await send('\r');
		await session.waitForText(/CreateImage accepted: ami-[0-9a-f]+/);
		const imageId = /CreateImage accepted: (ami-[0-9a-f]+)/.exec(session.text())?.[1] ?? '';
		// The dashboard takes over
		await send('\r');
		await session.waitForText(/SANDBOX[\s\S]*n new/);
		await send('q');
		expect((await session.exited).exitCode).toBe(0);

		// The chain is saved in the history (a store entry), for the dashboard and a rerun of `store`
		const file = readdirSync(config).find((name) => /^history-sandbox.*\.json$/.test(name));
		expect(file).toBeDefined();
		const saved = JSON.parse(readFileSync(path.join(config, file ?? ''), 'utf8')) as {entries: unknown[]};
		expect(saved.entries).toEqual([
			expect.objectContaining({
				kind: 'store',
				region: 'us-east-1',
				imageId,
				bucket: 'e2e-store-bucket',
				noReboot: false,
			}),
		]);
	} finally {
		session.kill();
	}
}, 60_000);
