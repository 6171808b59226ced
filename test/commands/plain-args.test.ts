/**
 * parsePlainArgs answers only where util.parseArgs would answer the same (values, positionals and tokens), and for the
 * command lines most runs have; every other command line is left to parseArgs (checked against it, not restated).
 */
import {parseArgs} from 'node:util';
import {describe, expect, test} from 'vitest';
import {type ArgOption, parsePlainArgs} from '../../source/commands/plain-args.js';

const options: Record<string, ArgOption> = {
	json: {type: 'boolean'},
	sandbox: {type: 'boolean'},
	'no-color': {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
	yes: {type: 'boolean', short: 'y'},
	region: {type: 'string', multiple: true},
	bucket: {type: 'string'},
	flagged: {type: 'boolean', multiple: true},
};

const words = [
	'--json',
	'--sandbox',
	'--no-color',
	'--help',
	'-h',
	'-y',
	'-hy',
	'--yes',
	'--region',
	'--region=us-east-1',
	'us-east-1',
	'--bucket',
	'--flagged',
	'--',
	'-',
	'--json=true',
	'--unknown',
	'--constructor',
	'--__proto__',
	'--toString',
	'-5',
	'word',
	'',
	' ',
];

function byNode(args: string[]) {
	try {
		return parseArgs({args, options, allowPositionals: true, strict: true, tokens: true});
	} catch {
		return 'refused';
	}
}

/** Every command line of up to `length` words from `words`. */
function* commandLines(length: number): Generator<string[]> {
	yield [];
	if (length === 0) {
		return;
	}

	for (const shorter of commandLines(length - 1)) {
		if (shorter.length === length - 1) {
			for (const word of words) {
				yield [...shorter, word];
			}
		}
	}
}

describe('parsePlainArgs', () => {
	test('answers as parseArgs does wherever it answers, for every command line of up to three words', () => {
		// Long boolean flags and words that are no flag: the command lines it must answer itself
		const plainWords = new Set(['--json', '--sandbox', '--no-color', '--help', '--yes', 'us-east-1', 'word', '', ' ']);
		let answered = 0;
		let plainLines = 0;
		for (const args of commandLines(3)) {
			plainLines += args.every((word) => plainWords.has(word)) ? 1 : 0;
			const plain = parsePlainArgs(args, options);
			if (plain !== undefined) {
				answered++;
				expect(byNode(args), JSON.stringify(args)).toStrictEqual(plain);
			}
		}

		expect(answered).toBe(plainLines);
	});

	test('answers the usual command lines itself', () => {
		for (const args of [[], ['--json'], ['--json', '--sandbox'], ['--no-color', 'word']]) {
			expect(parsePlainArgs(args, options), JSON.stringify(args)).toStrictEqual(byNode(args));
		}
	});

	test('leaves values, short flags, the terminator and unknown flags to parseArgs', () => {
		for (const args of [['--bucket', 'b'], ['--region=us-east-1'], ['-h'], ['--'], ['--unknown'], ['--flagged']]) {
			expect(parsePlainArgs(args, options), JSON.stringify(args)).toBeUndefined();
		}
	});
});
