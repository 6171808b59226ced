/**
 * Duration flags (--interval, --timeout, --expiry): core's parseDuration plus "1500ms", each refused outside its
 * range so that a poll can neither hammer AWS nor overflow a timer, and a policy stays within AWS's advice.
 */
import {formatDuration, parseDuration} from '../core/format.js';
import {UsageError} from './exit-codes.js';

export type DurationRange = {minMs: number; maxMs: number};

const second = 1000;
const hour = 3_600_000;
const day = 24 * hour;

/** Time between polls of AWS: at most one call a second per region, at least one an hour. */
export const pollIntervalRange: DurationRange = {minMs: second, maxMs: hour};

/** How long a command waits for a task (a large bundle takes hours, not weeks). */
export const waitTimeoutRange: DurationRange = {minMs: second, maxMs: 7 * day};

/** Upload policy lifetime: long enough for EC2 to store a bundle, and no signed grant left lying around for weeks. */
export const policyExpiryRange: DurationRange = {minMs: hour, maxMs: 7 * day};

/** "from 1s to 1h" */
export function describeRange(range: DurationRange): string {
	return `from ${compact(range.minMs)} to ${compact(range.maxMs)}`;
}

/** 3600000 -> "1h", 90000 -> "1m30s" (the form the flags accept). */
function compact(ms: number): string {
	return formatDuration(ms)
		.replace(/ 00\w$/, '')
		.replaceAll(' ', '');
}

export function parseDurationFlag(name: string, text: string, range: DurationRange): number {
	const milliseconds = /^\s*(\d+)\s*ms\s*$/i.exec(text)?.[1];
	const result = milliseconds === undefined ? parseDuration(text) : {ok: true as const, ms: Number(milliseconds)};
	if (!result.ok) {
		throw new UsageError(`--${name} '${text}': ${result.reason}`);
	}

	if (result.ms < range.minMs || result.ms > range.maxMs) {
		throw new UsageError(`--${name} '${text}' is out of range: give a duration ${describeRange(range)}`);
	}

	return result.ms;
}
