// Several bundledeck processes share one history file (the dashboard polling while the CLI starts bundles): each
// read-modify-write must see the others' writes, so no process's entries are lost.
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {build} from 'esbuild';
import {afterAll, beforeAll, expect, test} from 'vitest';

const run = promisify(execFile);
let dir: string;
let module: string;

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundledeck-history-processes-'));
	// The history store as the built CLI runs it, loadable by plain node processes.
	module = path.join(dir, 'history.mjs');
	await build({
		entryPoints: ['source/store/history.ts'],
		outfile: module,
		bundle: true,
		format: 'esm',
		platform: 'node',
		packages: 'external',
		logLevel: 'warning',
	});
	// Bare imports (env-paths) resolve from the project's node_modules.
	fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
});

afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

/** A process that records `count` bundles of its own, one write each, as fast as it can. */
const writer = `
const {openHistory} = await import(process.argv[1]);
const [cwd, who, count] = process.argv.slice(2);
const history = openHistory({cwd, name: 'history'});
for (let i = 0; i < Number(count); i++) {
	const id = 'bun-' + who + String(i).padStart(4, '0');
	history.recordBundle({bundleId: id, instanceId: 'i-0abc', region: 'us-east-1', state: 'pending', progress: 0,
		startTime: new Date(), updateTime: new Date(), bucket: 'b', prefix: id, error: undefined}, 'name-' + id);
}
`;

test('four processes recording bundles at once into one history lose none of them', async () => {
	const count = 60;
	const writers = ['a', 'b', 'c', 'd'].map((who) =>
		run(process.execPath, ['--input-type=module', '-e', writer, module, dir, who, String(count)]),
	);
	await Promise.all(writers);
	const saved = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8')) as {
		entries: Array<{bundleId: string; instanceName: string}>;
	};
	expect(saved.entries).toHaveLength(4 * count);
	expect(saved.entries.every((entry) => entry.instanceName === `name-${entry.bundleId}`)).toBe(true);
	// No lock or temporary file is left behind
	expect(fs.readdirSync(dir).filter((name) => name.startsWith('.') || name.endsWith('.lock'))).toEqual([]);
});
