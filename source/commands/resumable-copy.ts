/**
 * A resumable copy run from the command line (migrate of a bundle or of a stored AMI): each progress report redraws
 * the status line, and an interruption ends as one line saying how far it got and that a rerun resumes.
 */
import {countOf} from '../core/format.js';
import type {CommandInput} from './command.js';
import {InterruptedError} from './exit-codes.js';

export type ResumableCopy<P, R> = {
	/** Starts the copy, which calls report with each progress update. */
	start(report: (progress: P) => void): Promise<R>;
	/** The status line for one update; bar draws the progress bar. */
	statusLine(progress: P, bar: (percent: number | undefined) => string): string;
	/** What was interrupted ("copy", "migration"). */
	what: string;
	/** How far the last update had got, counted in unit (singular: "part", "object"). */
	reached(progress: P): {done: number; total: number};
	unit: string;
	/** What a rerun keeps, in brackets after "run the same command again to resume". */
	rerunKeeps: string;
};

export async function runResumableCopy<P, R>(input: CommandInput, copy: ResumableCopy<P, R>): Promise<R> {
	const {print} = input;
	let last: P | undefined;
	try {
		return await copy.start((progress) => {
			last = progress;
			print.status(copy.statusLine(progress, (percent) => print.bar(percent)));
		});
	} catch (error) {
		if (input.signal?.aborted) {
			const reached = last === undefined ? undefined : copy.reached(last);
			// Before the parts are counted (still checking what is there) there is no "0 of 0" to report.
			const done =
				reached === undefined
					? ''
					: reached.total > 0
						? ` after ${reached.done} of ${countOf(reached.total, copy.unit)}`
						: ' before copying';
			throw new InterruptedError(
				`${copy.what} interrupted${done}; run the same command again to resume (${copy.rerunKeeps})`,
			);
		}

		throw error;
	} finally {
		print.endStatus();
	}
}
