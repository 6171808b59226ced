/** Hints that name a bundledeck command carry the flags that picked this run's sandbox, region, profile, endpoint. */
import {describe, expect, test} from 'vitest';
import type {GlobalFlags} from '../../source/commands/args.js';
import {commandWithRunFlags, runFlags, withRunFlags} from '../../source/commands/run-flags.js';

const none: GlobalFlags = {
	profile: undefined,
	regions: [],
	endpointUrl: undefined,
	sandbox: false,
	sandboxDir: undefined,
	sandboxReset: false,
	noColor: false,
	json: false,
};

describe('the same global flags as this run', () => {
	test('nothing to add when the run used the defaults', () => {
		expect(runFlags(none)).toEqual([]);
		expect(withRunFlags('see `bundledeck tasks`', {...none, json: true, noColor: true})).toBe('see `bundledeck tasks`');
	});

	test('sandbox, its directory (absolute), the first region; never --sandbox-reset', () => {
		const globals = {
			...none,
			sandbox: true,
			sandboxDir: '/data/sb',
			sandboxReset: true,
			regions: ['eu-west-1', 'us-east-1'],
		};
		expect(withRunFlags('run `bundledeck wait bun-1` to keep waiting', globals)).toBe(
			'run `bundledeck wait bun-1 --sandbox --sandbox-dir /data/sb --region eu-west-1` to keep waiting',
		);
	});

	test('profile and endpoint, shell-quoted where a shell would split them', () => {
		const globals = {...none, profile: "ops team's", endpointUrl: 'http://127.0.0.1:4566'};
		expect(commandWithRunFlags('bundledeck history', globals)).toBe(
			"bundledeck history --profile 'ops team'\\''s' --endpoint-url http://127.0.0.1:4566",
		);
	});

	test('a hint that picks the sandbox itself drops what --sandbox refuses (--profile, --endpoint-url)', () => {
		const globals = {...none, profile: 'ops', endpointUrl: 'http://127.0.0.1:4566', regions: ['eu-west-1']};
		expect(commandWithRunFlags('bundledeck history --sandbox', globals)).toBe(
			'bundledeck history --sandbox --region eu-west-1',
		);
	});

	test('every backticked command in a message, and not a flag the hint already gives', () => {
		const globals = {...none, regions: ['us-west-2']};
		expect(withRunFlags('`bundledeck tasks` or `bundledeck wait bun-1 --region eu-west-1`', globals)).toBe(
			'`bundledeck tasks --region us-west-2` or `bundledeck wait bun-1 --region eu-west-1`',
		);
	});
});
