import {expect, test} from 'vitest';
import type {CommandInput} from '../../source/commands/command.js';
import {InterruptedError} from '../../source/commands/exit-codes.js';
import {runResumableCopy} from '../../source/commands/resumable-copy.js';

type Progress = {done: number; total: number};

/** Runs a copy that reports the given progress, then is interrupted (the user's Ctrl+C). */
async function interruptedAfter(reports: Progress[]): Promise<string> {
	const abort = new AbortController();
	const status: string[] = [];
	const input = {
		signal: abort.signal,
		print: {status: (line: string) => status.push(line), bar: () => '', endStatus: () => undefined},
	} as unknown as CommandInput;
	const error = await runResumableCopy<Progress, never>(input, {
		async start(report) {
			for (const progress of reports) {
				report(progress);
			}

			abort.abort();
			throw new Error('aborted');
		},
		statusLine: (progress) => `${progress.done}/${progress.total}`,
		what: 'copy',
		reached: (progress) => progress,
		unit: 'part',
		rerunKeeps: 'parts already copied are kept',
	}).catch((error_: unknown) => error_);
	expect(error).toBeInstanceOf(InterruptedError);
	return (error as Error).message;
}

test('an interruption says how many parts were copied', async () => {
	expect(await interruptedAfter([{done: 2, total: 5}])).toBe(
		'copy interrupted after 2 of 5 parts; run the same command again to resume (parts already copied are kept)',
	);
});

test('one part is "1 part", not "1 parts"', async () => {
	expect(await interruptedAfter([{done: 0, total: 1}])).toMatch(/^copy interrupted after 0 of 1 part;/);
});

test('an interruption while the parts are still being counted says "before copying", not "0 of 0 parts"', async () => {
	expect(await interruptedAfter([{done: 0, total: 0}])).toBe(
		'copy interrupted before copying; run the same command again to resume (parts already copied are kept)',
	);
});
