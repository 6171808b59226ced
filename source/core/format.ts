/**
 * Text formatting for the dashboard and the commands: durations, sizes, times, progress bars, fixed-width columns,
 * default prefixes, manifest keys and locations, and parsing of duration flags. Pure, no I/O.
 */
import {validateBucketName} from './validation.js';

// ---------------------------------------------------------------------------------------------------------------
// Durations, sizes, times

function pad2(value: number): string {
	return String(value).padStart(2, '0');
}

/**
 * Compact duration, two units at most, rounded down: '12s', '3m 05s', '1h 02m', '2d 03h'.
 * Negative values show as '0s'; NaN and infinities as '?'.
 */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms)) {
		return '?';
	}

	const totalSeconds = Math.floor(Math.max(0, ms) / 1000);
	if (totalSeconds < 60) {
		return `${totalSeconds}s`;
	}

	const totalMinutes = Math.floor(totalSeconds / 60);
	if (totalMinutes < 60) {
		return `${totalMinutes}m ${pad2(totalSeconds % 60)}s`;
	}

	const totalHours = Math.floor(totalMinutes / 60);
	if (totalHours < 24) {
		return `${totalHours}h ${pad2(totalMinutes % 60)}m`;
	}

	return `${Math.floor(totalHours / 24)}d ${pad2(totalHours % 24)}h`;
}

const byteUnits = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** "1 part", "3 parts": a count with its noun, singular for exactly one. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
	return `${n} ${n === 1 ? noun : plural}`;
}

/** Binary units: '512 B', '1.5 KiB', '10 MiB', '9.8 GiB' (one decimal below 10). Invalid input: '?'. */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) {
		return '?';
	}

	if (bytes < 1024) {
		return `${Math.round(bytes)} B`;
	}

	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < byteUnits.length) {
		value /= 1024;
		unit++;
	}

	let text = value < 10 ? value.toFixed(1) : String(Math.round(value));
	if (Number(text) >= 1024 && unit < byteUnits.length) {
		unit++;
		text = (Number(text) / 1024).toFixed(1);
	}

	return `${text.replace(/\.0$/, '')} ${byteUnits[unit - 1]}`;
}

/** Integer progress as '70%', unknown as '?'. */
export function formatProgress(progress: number | undefined): string {
	return progress === undefined || !Number.isFinite(progress) ? '?' : `${Math.round(progress)}%`;
}

export type TimeOptions = {
	/** Format in UTC instead of the local time zone (default false). */
	utc?: boolean | undefined;
};

function dateParts(date: Date, utc: boolean) {
	return utc
		? {
				year: date.getUTCFullYear(),
				month: date.getUTCMonth() + 1,
				day: date.getUTCDate(),
				hours: date.getUTCHours(),
				minutes: date.getUTCMinutes(),
				seconds: date.getUTCSeconds(),
			}
		: {
				year: date.getFullYear(),
				month: date.getMonth() + 1,
				day: date.getDate(),
				hours: date.getHours(),
				minutes: date.getMinutes(),
				seconds: date.getSeconds(),
			};
}

/** 'HH:MM:SS' (24 h), local time unless utc. Invalid dates: '?'. */
export function formatClock(date: Date, options: TimeOptions = {}): string {
	if (Number.isNaN(date.getTime())) {
		return '?';
	}

	const parts = dateParts(date, options.utc ?? false);
	return `${pad2(parts.hours)}:${pad2(parts.minutes)}:${pad2(parts.seconds)}`;
}

/** 'YYYY-MM-DD HH:MM', local time unless utc. Invalid dates: '?'. */
export function formatDateTime(date: Date, options: TimeOptions = {}): string {
	if (Number.isNaN(date.getTime())) {
		return '?';
	}

	const parts = dateParts(date, options.utc ?? false);
	return `${parts.year}-${pad2(parts.month)}-${pad2(parts.day)} ${pad2(parts.hours)}:${pad2(parts.minutes)}`;
}

/**
 * Time relative to now, in the largest whole unit: 'just now' (under a second), '12 s ago', '3 min ago', '2 h ago',
 * '5 d ago'; future times as 'in 12 s'. Invalid dates: '?'.
 */
export function formatRelative(date: Date, now: Date): string {
	const delta = now.getTime() - date.getTime();
	if (!Number.isFinite(delta)) {
		return '?';
	}

	const seconds = Math.floor(Math.abs(delta) / 1000);
	if (seconds < 1) {
		return 'just now';
	}

	let amount: string;
	if (seconds < 60) {
		amount = `${seconds} s`;
	} else if (seconds < 3600) {
		amount = `${Math.floor(seconds / 60)} min`;
	} else if (seconds < 86_400) {
		amount = `${Math.floor(seconds / 3600)} h`;
	} else {
		amount = `${Math.floor(seconds / 86_400)} d`;
	}

	return delta >= 0 ? `${amount} ago` : `in ${amount}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Terminal text

/** The environment variables {@link supportsUnicode} reads (process.env fits). */
export type TerminalEnv = {
	TERM?: string | undefined;
	WT_SESSION?: string | undefined;
	TERMINUS_SUBLIME?: string | undefined;
	ConEmuTask?: string | undefined;
	TERM_PROGRAM?: string | undefined;
	TERMINAL_EMULATOR?: string | undefined;
};

/**
 * Whether the terminal can draw Unicode block characters, from the environment (pass process.env and
 * process.platform). Same rules as sindresorhus/is-unicode-supported: not on the Linux console or dumb terminals;
 * on Windows only in known modern terminals.
 */
export function supportsUnicode(env: TerminalEnv, platform: string): boolean {
	const term = env.TERM;
	if (term === 'dumb') {
		return false;
	}

	if (platform !== 'win32') {
		return term !== 'linux';
	}

	return (
		Boolean(env.WT_SESSION) ||
		Boolean(env.TERMINUS_SUBLIME) ||
		env.ConEmuTask === '{cmd::Cmder}' ||
		env.TERM_PROGRAM === 'Terminus-Sublime' ||
		env.TERM_PROGRAM === 'vscode' ||
		term === 'xterm-256color' ||
		term === 'alacritty' ||
		term === 'rxvt-unicode' ||
		term === 'rxvt-unicode-256color' ||
		env.TERMINAL_EMULATOR === 'JetBrains-JediTerm'
	);
}

export type ProgressBarOptions = {
	/** Use '#' and '-' instead of '█' and '░'. */
	ascii?: boolean | undefined;
};

/**
 * A bar of exactly `width` cells: '███░░░░░░░' (or '###-------' with ascii). The percent is clamped to 0-100 and
 * rounded to the nearest cell; unknown progress draws an empty bar. Pair it with the percentage as text.
 */
export function progressBar(percent: number | undefined, width: number, options: ProgressBarOptions = {}): string {
	const cells = Math.max(0, Math.floor(width));
	const [full, empty] = options.ascii ? ['#', '-'] : ['█', '░'];
	if (percent === undefined || !Number.isFinite(percent)) {
		return empty.repeat(cells);
	}

	const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * cells);
	return full.repeat(filled) + empty.repeat(cells - filled);
}

function charWidth(char: string): number {
	const code = char.codePointAt(0) ?? 0;
	if (code < 0x20 || (code >= 0x7f && code < 0xa0) || /[\p{Mn}\p{Me}\p{Cf}]/u.test(char)) {
		return 0;
	}

	const wide =
		(code >= 0x1100 && code <= 0x115f) ||
		(code >= 0x2e80 && code <= 0x303e) ||
		(code >= 0x3041 && code <= 0x33ff) ||
		(code >= 0x3400 && code <= 0x4dbf) ||
		(code >= 0x4e00 && code <= 0x9fff) ||
		(code >= 0xa000 && code <= 0xa4cf) ||
		(code >= 0xac00 && code <= 0xd7a3) ||
		(code >= 0xf900 && code <= 0xfaff) ||
		(code >= 0xfe30 && code <= 0xfe4f) ||
		(code >= 0xff00 && code <= 0xff60) ||
		(code >= 0xffe0 && code <= 0xffe6) ||
		(code >= 0x1f300 && code <= 0x1f64f) ||
		(code >= 0x1f900 && code <= 0x1f9ff) ||
		(code >= 0x20000 && code <= 0x3fffd);
	return wide ? 2 : 1;
}

/**
 * Terminal cells a string takes (no ANSI codes expected): CJK and emoji count 2, combining marks and control
 * characters 0, everything else 1.
 */
export function displayWidth(text: string): number {
	let width = 0;
	for (const char of text) {
		width += charWidth(char);
	}

	return width;
}

function takeWidth(text: string, width: number): string {
	let result = '';
	let used = 0;
	for (const char of text) {
		const w = charWidth(char);
		if (used + w > width) {
			break;
		}

		result += char;
		used += w;
	}

	return result;
}

function takeWidthFromEnd(text: string, width: number): string {
	const chars = [...text];
	let result = '';
	let used = 0;
	for (let i = chars.length - 1; i >= 0; i--) {
		const char = chars[i] ?? '';
		const w = charWidth(char);
		if (used + w > width) {
			break;
		}

		result = char + result;
		used += w;
	}

	return result;
}

/** Cuts text to at most `width` cells, ending with the ellipsis ('…' by default) when something was cut. */
export function truncate(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) {
		return '';
	}

	if (displayWidth(text) <= width) {
		return text;
	}

	const ellipsisWidth = displayWidth(ellipsis);
	if (ellipsisWidth >= width) {
		return takeWidth(text, width);
	}

	return takeWidth(text, width - ellipsisWidth) + ellipsis;
}

/** Cuts the middle out of text to fit `width` cells, keeping both ends: 'bundles/we…1123-1402'. */
export function truncateMiddle(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) {
		return '';
	}

	if (displayWidth(text) <= width) {
		return text;
	}

	const room = width - displayWidth(ellipsis);
	if (room <= 0) {
		return takeWidth(text, width);
	}

	const head = Math.ceil(room / 2);
	return takeWidth(text, head) + ellipsis + takeWidthFromEnd(text, room - head);
}

/** Exactly `width` cells: truncated with an ellipsis when too long, padded with spaces when short. */
export function fitColumn(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) {
		return '';
	}

	const cut = truncate(text, width);
	const padding = ' '.repeat(Math.max(0, width - displayWidth(cut)));
	return align === 'left' ? cut + padding : padding + cut;
}

// ---------------------------------------------------------------------------------------------------------------
// Prefixes and manifest locations

export const manifestSuffix = '.manifest.xml';

/** Longest instance-name part kept in a default prefix. */
const maxNamePartLength = 40;

/** An instance name reduced to prefix-safe characters: lowercase a-z, 0-9, '-', '_'; '' when nothing is left. */
export function sanitizePrefixPart(name: string): string {
	const cleaned = name
		.normalize('NFKD')
		.replaceAll(/\p{M}/gu, '')
		.toLowerCase()
		.replaceAll(/[^a-z0-9_-]+/g, '-')
		.replaceAll(/-{2,}/g, '-')
		.replaceAll(/^[-_]+|[-_]+$/g, '');
	return cleaned.slice(0, maxNamePartLength).replace(/[-_]+$/, '');
}

/**
 * The prefix the wizard proposes: '<name>-YYYYMMDD-HHMM' ('web01-20261123-1402'). The name is sanitised with
 * {@link sanitizePrefixPart}; without a usable name the instance id is used. Local time unless utc.
 */
export function defaultPrefix(
	instanceName: string | undefined,
	instanceId: string,
	now: Date,
	options: TimeOptions = {},
): string {
	const name = sanitizePrefixPart(instanceName ?? '') || sanitizePrefixPart(instanceId) || 'bundle';
	const parts = dateParts(now, options.utc ?? false);
	const stamp = `${parts.year}${pad2(parts.month)}${pad2(parts.day)}-${pad2(parts.hours)}${pad2(parts.minutes)}`;
	return `${name}-${stamp}`;
}

/** '<prefix>.manifest.xml' */
export function manifestKey(prefix: string): string {
	return `${prefix}${manifestSuffix}`;
}

/**
 * Key of part `index` (0-based) of a bundle with `count` parts: '<prefix>.part.<index>', the index zero-padded to
 * the number of digits of `count` (ec2-ami-tools naming): partKey('x', 3, 12) -> 'x.part.03'.
 */
export function partKey(prefix: string, index: number, count: number): string {
	const digits = String(Math.max(1, count)).length;
	return `${prefix}.part.${String(index).padStart(digits, '0')}`;
}

/** RegisterImage's ImageLocation: 'bucket/<prefix>.manifest.xml' */
export function manifestLocation(bucket: string, prefix: string): string {
	return `${bucket}/${manifestKey(prefix)}`;
}

export type ParsedManifestLocation =
	| {ok: true; bucket: string; key: string; prefix: string}
	| {ok: false; reason: string};

const legacyBucketPattern = /^[A-Za-z0-9._-]{3,255}$/;

/**
 * Splits 'bucket/path/x.manifest.xml' (an optional 's3://' in front is accepted) into bucket, key and prefix
 * ('path/x'). The bucket must follow the S3 naming rules (older us-east-1 names with capitals or '_' are accepted);
 * the key must end with '.manifest.xml', have a prefix before it, no control characters, and fit in 1024 bytes.
 */
export function parseManifestLocation(location: string): ParsedManifestLocation {
	const text = location.trim().replace(/^s3:\/\//i, '');
	if (text.length === 0) {
		return {ok: false, reason: 'Enter a manifest location like my-bucket/winami.manifest.xml'};
	}

	const slash = text.indexOf('/');
	if (slash === -1) {
		return {ok: false, reason: 'Manifest locations look like bucket/prefix.manifest.xml (no / found)'};
	}

	const bucket = text.slice(0, slash);
	const key = text.slice(slash + 1);
	if (bucket.length === 0) {
		return {ok: false, reason: 'The manifest location needs a bucket name before the first /'};
	}

	const bucketCheck = validateBucketName(bucket);
	if (!bucketCheck.ok && !legacyBucketPattern.test(bucket)) {
		return {ok: false, reason: bucketCheck.reason};
	}

	if (key.length === 0) {
		return {ok: false, reason: 'The manifest location needs a key after the bucket name'};
	}

	if (key.startsWith('/')) {
		return {ok: false, reason: "The manifest key can't start with '/'"};
	}

	if (/\p{Cc}/u.test(key)) {
		return {ok: false, reason: "The manifest key can't contain control characters"};
	}

	if (!key.endsWith(manifestSuffix)) {
		return {ok: false, reason: `The manifest key must end with ${manifestSuffix}`};
	}

	const prefix = key.slice(0, -manifestSuffix.length);
	if (prefix.length === 0 || prefix.endsWith('/')) {
		return {ok: false, reason: `The manifest key needs a name before ${manifestSuffix}`};
	}

	if (Buffer.byteLength(key, 'utf8') > 1024) {
		return {ok: false, reason: 'The manifest key is longer than the 1024 bytes S3 allows'};
	}

	return {ok: true, bucket, key, prefix};
}

// ---------------------------------------------------------------------------------------------------------------
// Duration flags

export type ParsedDuration = {ok: true; ms: number} | {ok: false; reason: string};

const unitMs = {d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000} as const;

/**
 * Parses '24h', '90m', '2h30m', '1d 12h', '45s' (units d, h, m, s, largest first, each at most once, whole
 * numbers) into milliseconds. Used for --expiry and --timeout. Zero, bare numbers and unknown units are errors.
 */
export function parseDuration(text: string): ParsedDuration {
	const input = text.trim().toLowerCase();
	if (input.length === 0) {
		return {ok: false, reason: 'Enter a duration like 24h, 90m, 2h30m or 45s'};
	}

	if (/^0+$/.test(input)) {
		return {ok: false, reason: 'The duration must be longer than zero, like 30s, 90m or 2h'};
	}

	if (/^\d+$/.test(input)) {
		return {ok: false, reason: `Add a unit to '${text.trim()}': s, m, h or d (like ${input}m)`};
	}

	const match = /^(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?$/.exec(input);
	if (!match) {
		return {ok: false, reason: `'${text.trim()}' is not a duration: use forms like 24h, 90m, 2h30m or 45s`};
	}

	const [, days, hours, minutes, seconds] = match;
	const ms =
		Number(days ?? 0) * unitMs.d +
		Number(hours ?? 0) * unitMs.h +
		Number(minutes ?? 0) * unitMs.m +
		Number(seconds ?? 0) * unitMs.s;
	if (!Number.isSafeInteger(ms)) {
		return {ok: false, reason: `'${text.trim()}' is too long a duration`};
	}

	if (ms === 0) {
		return {ok: false, reason: 'The duration must be longer than zero'};
	}

	return {ok: true, ms};
}

// ---------------------------------------------------------------------------------------------------------------
// Regions

const directionCodes: Record<string, string> = {
	east: 'e',
	west: 'w',
	north: 'n',
	south: 's',
	central: 'c',
	northeast: 'ne',
	northwest: 'nw',
	southeast: 'se',
	southwest: 'sw',
};

/** us-east-1 -> use1, ap-southeast-2 -> apse2 (the short codes people use for regions). */
export function shortRegion(region: string): string {
	const parts = region.split('-');
	if (parts.length < 3) {
		return region;
	}

	const area = parts[0] ?? '';
	const number = parts.at(-1) ?? '';
	const middle = parts
		.slice(1, -1)
		.map((word) => directionCodes[word] ?? word.slice(0, 1))
		.join('');
	return `${area}${middle}${number}`;
}

/** An instance as rows and dialogs name it: `web01 (i-0123…)` when its Name tag is known, else its id. */
export function namedInstance(name: string | undefined, id: string): string {
	return name ? `${name} (${id})` : id;
}
