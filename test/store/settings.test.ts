import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {openSettings} from '../../source/store/settings.js';

let dir: string;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundledeck-settings-'));
});
afterEach(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

test.runIf(process.platform !== 'win32')('settings.json is written with mode 0600, like history', () => {
	openSettings({cwd: dir}).set('lastBucket', 'my-bundles');
	expect(modeOf(path.join(dir, 'settings.json'))).toBe(0o600);
	expect(openSettings({cwd: dir}).get('lastBucket')).toBe('my-bundles');
});

test.runIf(process.platform !== 'win32')('an existing 0644 settings.json is tightened to 0600', () => {
	const file = path.join(dir, 'settings.json');
	fs.writeFileSync(file, JSON.stringify({lastRegion: 'eu-west-1'}), {mode: 0o644});
	fs.chmodSync(file, 0o644);
	expect(openSettings({cwd: dir}).get('lastRegion')).toBe('eu-west-1');
	expect(modeOf(file)).toBe(0o600);
});
