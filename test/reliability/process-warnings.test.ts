/**
 * Issue 14 (leftover of item 9): Node's process warnings reach the user as one "bundledeck: warning:" line, never as
 * Node's multi-line block with its stack-trace hint. The built CLI is run against an in-process sandbox with the AWS
 * SDK's own Node-version warning switched back on (it is a real process warning on Node < 22).
 */
import {execFile} from 'node:child_process';
import {EventEmitter} from 'node:events';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {processWarningLine, reportProcessWarnings} from '../../source/process-warnings.js';
import type {Sandbox} from '../../source/sandbox/contracts.js';
import {cliPath} from '../helpers/pty.js';
import {startTestSandbox} from '../helpers/sandbox.js';

/** A process stand-in whose one 'warning' listener plays Node's own printer. */
function fakeProcess(options: {printer?: boolean; trace?: boolean} = {}) {
	const source = Object.assign(new EventEmitter(), {traceProcessWarnings: options.trace ?? false});
	const nodePrinted: Error[] = [];
	if (options.printer ?? true) {
		source.on('warning', (warning: Error) => nodePrinted.push(warning));
	}

	return {source, nodePrinted};
}

describe('the reporter', () => {
	test('a multi-line warning is one line, once, and Node prints nothing', () => {
		const {source, nodePrinted} = fakeProcess();
		const lines: string[] = [];
		reportProcessWarnings((line) => lines.push(line), source as unknown as NodeJS.Process);
		const warning = Object.assign(new Error('first line\nsecond line\n\nthird'), {name: 'ExperimentalWarning'});
		source.emit('warning', warning);
		source.emit('warning', warning);
		expect(nodePrinted).toEqual([]);
		expect(lines).toEqual(['bundledeck: warning: ExperimentalWarning: first line second line third']);
	});

	test('a deprecation keeps its code; a plain emitWarning text is not prefixed with "Warning"', () => {
		expect(
			processWarningLine(
				Object.assign(new Error('OutgoingMessage.prototype._headers is deprecated'), {
					name: 'DeprecationWarning',
					code: 'DEP0066',
				}),
			),
		).toBe('bundledeck: warning: DeprecationWarning [DEP0066]: OutgoingMessage.prototype._headers is deprecated');
		expect(processWarningLine(Object.assign(new Error('Possible EventEmitter memory leak'), {name: 'Warning'}))).toBe(
			'bundledeck: warning: Possible EventEmitter memory leak',
		);
	});

	test('left to Node under --no-warnings (no printer) and --trace-warnings (stacks asked for)', () => {
		for (const options of [{printer: false}, {trace: true}]) {
			const {source} = fakeProcess(options);
			const before = source.listeners('warning');
			reportProcessWarnings(() => undefined, source as unknown as NodeJS.Process);
			expect(source.listeners('warning')).toEqual(before);
		}
	});
});

describe.runIf(Number(process.versions.node.split('.')[0]) < 22)('the built CLI', () => {
	let sandbox: Sandbox;
	let dir: string;

	beforeAll(async () => {
		sandbox = await startTestSandbox();
		dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-warnings-'));
	});

	afterAll(async () => {
		await sandbox.close();
		await rm(dir, {recursive: true, force: true});
	});

	test("the AWS SDK's Node-version warning is one line on stderr, and the command's output is untouched", async () => {
		const run = promisify(execFile);
		const result = await run(
			process.execPath,
			[cliPath, 'tasks', '--region', 'us-east-1', '--endpoint-url', sandbox.endpoint, '--json'],
			{
				env: {
					PATH: process.env['PATH'],
					HOME: dir,
					BUNDLEDECK_CONFIG_DIR: path.join(dir, 'config'),
					AWS_CONFIG_FILE: path.join(dir, 'no-config'),
					AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
					AWS_EC2_METADATA_DISABLED: 'true',
					AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
					AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
					// bundledeck turns this warning off unless it is set: set, the SDK emits it as a process warning.
					AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false',
				},
				timeout: 60_000,
			},
		);
		expect(JSON.parse(result.stdout)).toEqual({tasks: [], errors: []});
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(
			/^bundledeck: warning: NodeVersionSupportWarning: The AWS SDK for JavaScript .* node >=22/,
		);
		expect(result.stderr).not.toMatch(/\(node:\d+\)|--trace-warnings/);
	});
});
