import {describe, expect, test} from 'vitest';
import {commandHelpText, commandNames, usage} from '../../source/commands/index.js';

describe('command list', () => {
	test('every command is listed in the top-level usage text with the exit codes', () => {
		expect([...commandNames]).toEqual([
			'bundle',
			'store',
			'restore',
			'tasks',
			'wait',
			'cancel',
			'register',
			'migrate',
			'copy-image',
			'history',
			// The top-level help lists sandbox too (issue 15 item 11).
			'sandbox',
			// The background service's actions are specs of the one parser too (issue 10 item 2, issue 11).
			'sandbox start',
			'sandbox stop',
			'sandbox status',
			'sandbox logs',
		]);
		const text = usage();
		for (const name of commandNames) {
			expect(text).toMatch(new RegExp(`^  ${name} `, 'm'));
		}

		expect(text).toContain('130');
		for (const line of text.split('\n')) {
			expect(line.length).toBeLessThanOrEqual(120);
		}
	});
});

describe('command help', () => {
	test('every line of every command help fits 120 columns, as the top-level usage does', () => {
		for (const name of commandNames) {
			for (const line of (commandHelpText(name) ?? '').split('\n')) {
				expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(120);
			}
		}
	});

	test("tasks --help gives the store task's JSON with the bundle task's, not under --watch --json", () => {
		const lines = (commandHelpText('tasks') ?? '').split('\n');
		const store = lines.findIndex((line) => line.includes('{"kind": "store"'));
		const watch = lines.findIndex((line) => line.includes('--watch --json'));
		expect(store).toBeGreaterThan(lines.findIndex((line) => line.includes('{"kind": "bundle"')));
		expect(store).toBeLessThan(watch);
	});
});
