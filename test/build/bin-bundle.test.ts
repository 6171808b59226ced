/**
 * What the bin's body (distribution/cli-body.cjs, which distribution/cli.cjs runs) carries, read from esbuild's
 * metafile of an in-memory build: `--help`, `<command> --help` and `history` run from that one file, so it must hold
 * none of Ink, React, the AWS SDK, conf or the sandbox (issue 16: their start-up is at most 1.3x `node -e 0`; the time
 * itself is measured by `npm run bench`). And the code cache the build made for it is one this Node takes.
 */
import {readFile} from 'node:fs/promises';
import {SourceMap} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Script} from 'node:vm';
import {build, type Metafile} from 'esbuild';
import {beforeAll, describe, expect, test} from 'vitest';
import {binOptions, bodyHead, buildCliTable} from '../../scripts/bundles.js';
import {cliTable} from '../../source/commands/cli-table.js';

let metafile: Metafile;
let bin: Metafile['outputs'][string];

beforeAll(async () => {
	const result = await build({
		...binOptions(await buildCliTable(), path.join(tmpdir(), 'bundledeck-bin')),
		write: false,
	});
	metafile = result.metafile!;
	const [name] = Object.keys(metafile.outputs).filter((output) => output.endsWith('cli-body.cjs'));
	bin = metafile.outputs[name!]!;
});

describe('the bin is one small file (issue 16)', () => {
	test('it holds no Ink, React, AWS SDK, conf, UI, AWS code, session or sandbox server', () => {
		const inputs = Object.keys(bin.inputs);
		expect(inputs).toContain('source/commands/history.ts');
		const heavy = inputs.filter((input) =>
			/node_modules\/(ink|ink-[\w-]+|react|react-reconciler|scheduler|yoga-layout|es-toolkit|@aws-sdk|@smithy|@aws-crypto|conf|fast-xml-parser)\//.test(
				input,
			),
		);
		expect(heavy).toEqual([]);
		expect(inputs.filter((input) => /^source\/(ui|aws)\/|^source\/(session|run-dashboard|app)\./.test(input))).toEqual(
			[],
		);
		// The sandbox modules it holds only check the BUNDLEDECK_SANDBOX_* settings the parser refuses.
		expect(inputs.filter((input) => input.startsWith('source/sandbox/')).sort()).toEqual([
			'source/sandbox/env-check.ts',
			'source/sandbox/pace.ts',
			'source/sandbox/task-retention.ts',
		]);
	});

	test('it imports no other file of its own: the bin beside it imports main.js when the fast path does not answer', async () => {
		const own = bin.imports.filter((entry) => !entry.path.startsWith('node:'));
		expect(own).toEqual([]);
		expect(Object.keys(metafile.outputs).filter((output) => /\.c?js$/.test(output))).toHaveLength(1);
		const loader = await readFile('scripts/bin.cjs', 'utf8');
		expect(loader).toContain("import('./main.js')");
		expect(loader).toContain("'cli-body.cjs'");
	});

	test('the routing table and help texts it carries are the ones the specs give', async () => {
		expect(await buildCliTable()).toEqual(cliTable());
	});

	test("the built body's __toESM takes only Node's built-ins, as views of them, not copies", async () => {
		const body = await readFile(fileURLToPath(new URL('../../distribution/cli-body.cjs', import.meta.url)), 'utf8');
		expect(body).toContain('__toESM=mod=>__create(mod,{default:{value:mod,enumerable:!0}})');
		const calls = body.match(/__toESM\([^)]*\)/g) ?? [];
		expect(calls.length).toBeGreaterThan(0);
		for (const call of calls) {
			expect(call).toMatch(/^__toESM\(require\("node:[\w/]+"\)$/);
		}

		// What the view reads is what the module has, default import included.
		const view = new Function('__create', `let ${body.match(/__toESM=mod=>[^ ]*/)![0]}; return __toESM;`)(
			Object.create,
		) as (module: unknown) => {default: unknown; join: unknown; homedir: unknown};
		const path = await import('node:path');
		const os = await import('node:os');
		expect(view(path.default).default).toBe(path.default);
		expect(view(path.default).join).toBe(path.default.join);
		expect(view(os.default).homedir).toBe(os.default.homedir);
	});

	test('the built body is wrapped as Node wraps a module, and its source map still points at the source', async () => {
		const body = await readFile(fileURLToPath(new URL('../../distribution/cli-body.cjs', import.meta.url)), 'utf8');
		const lines = body.split('\n');
		expect(lines[0]).toBe(bodyHead);
		expect(lines[1]).toMatch(/^"use strict";/);
		const map = new SourceMap(
			JSON.parse(
				await readFile(fileURLToPath(new URL('../../distribution/cli-body.cjs.map', import.meta.url)), 'utf8'),
			),
		);
		const source = await readFile(fileURLToPath(new URL('../../source/store/history.ts', import.meta.url)), 'utf8');
		const line = lines.findIndex((text) => text.includes('function parseHistory('));
		const entry = map.findEntry(line, lines[line]!.indexOf('function parseHistory('));
		expect('originalSource' in entry && entry.originalSource).toMatch(/source\/store\/history\.ts$/);
		expect('originalLine' in entry && entry.originalLine).toBe(
			source.split('\n').findIndex((text) => text.startsWith('function parseHistory(')),
		);
	});

	test('the built body comes with a V8 code cache that this Node accepts', async () => {
		const body = fileURLToPath(new URL('../../distribution/cli-body.cjs', import.meta.url));
		const script = new Script(await readFile(body, 'utf8'), {
			filename: body,
			cachedData: await readFile(`${body}.cache`),
		});
		expect(script.cachedDataRejected).toBe(false);
	});
});
