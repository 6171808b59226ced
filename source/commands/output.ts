/**
 * How commands write: text lines and JSON on stdout, warnings and errors as single lines on stderr. JSON shapes
 * are stable: dates are ISO strings, absent values are null.
 */
import {
	displayWidth,
	manifestLocation as manifestLocationOf,
	progressBar,
	supportsUnicode,
	truncate,
} from '../core/format.js';

export {manifestLocation as manifestLocationOf} from '../core/format.js';

import type {BundleHistoryEntry} from '../core/history.js';
import {safeJson, safeLine, safeText} from '../core/terminal-text.js';
import type {BundleTask} from '../core/types.js';
import type {CommandStream} from './context.js';

/** A bundle task as every command's JSON gives it; "kind" as in `tasks --json`, which lists store tasks too. */
export type TaskJson = {
	kind: 'bundle';
	bundleId: string;
	region: string;
	instanceId: string;
	state: BundleTask['state'];
	/** 0-100, null when unknown */
	progress: number | null;
	bucket: string;
	prefix: string;
	/** bucket/prefix.manifest.xml */
	manifestLocation: string;
	startTime: string;
	updateTime: string;
	error: {code: string; message: string} | null;
};

export function taskJson(task: BundleTask): TaskJson {
	return {
		kind: 'bundle',
		bundleId: task.bundleId,
		region: task.region,
		instanceId: task.instanceId,
		state: task.state,
		progress: task.progress ?? null,
		bucket: task.bucket,
		prefix: task.prefix,
		manifestLocation: manifestLocationOf(task.bucket, task.prefix),
		startTime: task.startTime.toISOString(),
		updateTime: task.updateTime.toISOString(),
		error: task.error ? {code: task.error.code, message: task.error.message} : null,
	};
}

/** The classic BUNDLE line; the region is appended as a last column when several regions are shown. */
export function taskLine(task: BundleTask, withRegion: boolean): string {
	const columns = [
		'BUNDLE',
		safeText(task.bundleId),
		safeText(task.instanceId),
		safeText(task.bucket),
		safeText(task.prefix),
		task.startTime.toISOString(),
		task.updateTime.toISOString(),
		task.state,
		task.progress === undefined ? '-' : `${task.progress}%`,
	];
	if (withRegion) {
		columns.push(task.region);
	}

	return columns.join('\t');
}

export type HistoryEntryJson = {
	kind: 'bundle';
	bundleId: string;
	region: string;
	instanceId: string;
	instanceName: string | null;
	bucket: string;
	prefix: string;
	manifestLocation: string;
	startedAt: string;
	lastState: BundleTask['state'] | null;
	lastProgress: number | null;
	lastUpdate: string | null;
	error: {code: string; message: string} | null;
	images: Array<{
		imageId: string;
		region: string;
		name: string;
		kind: 'registered' | 'migrated' | 'copied';
		at: string;
		sourceImageId: string | null;
	}>;
	migrations: Array<{
		destinationRegion: string;
		destinationBucket: string;
		destinationManifestLocation: string;
		at: string;
		complete: boolean;
	}>;
};

export function historyEntryJson(entry: BundleHistoryEntry): HistoryEntryJson {
	return {
		kind: 'bundle',
		bundleId: entry.bundleId,
		region: entry.region,
		instanceId: entry.instanceId,
		instanceName: entry.instanceName ?? null,
		bucket: entry.bucket,
		prefix: entry.prefix,
		manifestLocation: manifestLocationOf(entry.bucket, entry.prefix),
		startedAt: entry.startedAt,
		lastState: entry.lastState ?? null,
		lastProgress: entry.lastProgress ?? null,
		lastUpdate: entry.lastUpdate ?? null,
		error: entry.error ?? null,
		images: entry.images.map((image) => ({
			imageId: image.imageId,
			region: image.region,
			name: image.name,
			kind: image.kind,
			at: image.at,
			sourceImageId: image.sourceImageId ?? null,
		})),
		migrations: entry.migrations.map((migration) => ({
			destinationRegion: migration.destinationRegion,
			destinationBucket: migration.destinationBucket,
			destinationManifestLocation: migration.destinationManifestLocation,
			at: migration.at,
			complete: migration.complete,
		})),
	};
}

/** Terminal control: only ever written to a TTY. */
export const clearLine = '\r\u001B[2K';

export function cursorUp(lines: number): string {
	return lines > 0 ? `\u001B[${lines}A` : '';
}

export const clearDown = '\u001B[J';

/** Home, then clear the whole screen. */
export const clearScreen = '\u001B[H\u001B[2J';

/** Tabs expanded to 8-column stops (what a terminal shows), so widths can be measured. */
export function expandTabs(line: string): string {
	let result = '';
	for (const part of line.split('\t').entries()) {
		const [index, text] = part;
		if (index > 0) {
			result += ' '.repeat(8 - (displayWidth(result) % 8));
		}

		result += text;
	}

	return result;
}

/** The cells a line may take on this terminal: one less than its width (a full line would wrap on some). */
export function frameWidth(size: {columns?: number}): number {
	return Math.max(20, (size.columns || 80) - 1);
}

/**
 * A frame for in-place redraws: every line cut to the terminal's width (one row each) and the whole frame kept
 * shorter than the terminal (lines that scrolled away could not be redrawn).
 */
export function fitFrame(lines: string[], footer: string[], size: {columns?: number; rows?: number}): string[] {
	const width = frameWidth(size);
	const room = Math.max(1, (size.rows || 24) - 1 - footer.length);
	let body = lines;
	if (lines.length > room) {
		const shown = Math.max(0, room - 1);
		body = [...lines.slice(0, shown), `… ${lines.length - shown} more (a taller terminal or --json shows all)`];
	}

	return [...body, ...footer].map((line) =>
		truncate(expandTabs(safeText(line, {keepTabs: true, maxLength: width})), width),
	);
}

export type Printer = {
	/** One line on stdout. */
	line(text: string): void;
	/** A JSON document on stdout. */
	json(value: unknown): void;
	/** One compact JSON document per line (JSON Lines, for --watch). */
	jsonLine(value: unknown): void;
	/** "bundledeck: warning: ..." on stderr. */
	warn(text: string): void;
	/** "bundledeck: ..." on stderr. */
	error(text: string): void;
	/** "bundledeck: ..." on stderr: something the user should know that is not a problem (never on stdout). */
	note(text: string): void;
	/** A transient status line on stderr, redrawn in place (only when stderr is a TTY and not --json). */
	status(text: string): void;
	/** Ends the status line (leaves the last one visible). */
	endStatus(): void;
	readonly stdout: CommandStream;
	readonly stderr: CommandStream;
	/** True when progress may be drawn on stderr. */
	readonly showsProgress: boolean;
	/** True once a JSON document went to stdout. */
	readonly printedJson: boolean;
	/** A 16-cell progress bar for status lines (ASCII where the terminal cannot draw blocks). */
	bar(percent: number | undefined): string;
};

/** One line of stderr text: newlines folded, long values cut, control and bidi characters shown as code points. */
/** A write error on stdout other than a closed pipe (a full disk, `> /dev/full`): the output was lost. */
export function lostOutputLine(error: NodeJS.ErrnoException): string {
	return `could not write to standard output (${error.code ?? error.message}${error.code === 'ENOSPC' ? ': no space left on the device' : ''}), so the output is incomplete — send it somewhere writable`;
}

export function oneLine(text: string): string {
	return safeLine(text.replaceAll(/\s*\n\s*/g, ' ').trim());
}

export function createPrinter(
	stdout: CommandStream,
	stderr: CommandStream,
	json: boolean,
	env: NodeJS.ProcessEnv = {},
	/** Rewrites what goes to stderr (commands named in hints get this run's flags). */
	mention: (text: string) => string = (text) => text,
): Printer {
	const showsProgress = Boolean(stderr.isTTY) && !json;
	const ascii = !supportsUnicode(env, process.platform);
	let statusShown = false;
	let printedJson = false;
	const endStatus = () => {
		if (statusShown) {
			stderr.write('\n');
			statusShown = false;
		}
	};

	return {
		stdout,
		stderr,
		showsProgress,
		line(text) {
			stdout.write(`${safeLine(text, {keepTabs: true})}\n`);
		},
		bar(percent) {
			return progressBar(percent, 16, {ascii});
		},
		get printedJson() {
			return printedJson;
		},
		json(value) {
			printedJson = true;
			// Two writes: the document joined to its newline would be copied once more to be written (history's 100 KB)
			stdout.write(safeJson(JSON.stringify(value, null, 2)));
			stdout.write('\n');
		},
		jsonLine(value) {
			printedJson = true;
			stdout.write(`${safeJson(JSON.stringify(value))}\n`);
		},
		warn(text) {
			endStatus();
			stderr.write(`bundledeck: warning: ${oneLine(mention(text))}\n`);
		},
		error(text) {
			endStatus();
			stderr.write(`bundledeck: ${oneLine(mention(text))}\n`);
		},
		note(text) {
			endStatus();
			stderr.write(`bundledeck: ${oneLine(mention(text))}\n`);
		},
		status(text) {
			if (!showsProgress) {
				return;
			}

			// Never wider than the terminal: a wrapped status line could not be redrawn in place.
			const width = Math.max(20, (stderr.columns || 80) - 1);
			stderr.write(`${clearLine}${truncate(oneLine(text), width)}`);
			statusShown = true;
		},
		endStatus,
	};
}
