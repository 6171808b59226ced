/**
 * The remembered prefix pattern: '{name}-{date}-{time}' style templates. The wizard proposes a prefix from the pattern
 * (or core defaultPrefix without one) and, once a bundle starts, remembers the pattern behind the prefix used.
 * Only a pattern with the date and the time is kept or used: anything less proposes the same prefix again.
 * Pure, no I/O.
 */
import {defaultPrefix, sanitizePrefixPart} from '../../core/format.js';

function pad2(value: number): string {
	return String(value).padStart(2, '0');
}

function parts(instanceName: string | undefined, instanceId: string, now: Date) {
	return {
		name: sanitizePrefixPart(instanceName ?? '') || sanitizePrefixPart(instanceId) || 'bundle',
		date: `${now.getFullYear()}${pad2(now.getMonth() + 1)}${pad2(now.getDate())}`,
		time: `${pad2(now.getHours())}${pad2(now.getMinutes())}`,
	};
}

/** True for a pattern that gives a new prefix every minute ({date} and {time} in it). */
export function isUniquePattern(pattern: string): boolean {
	return pattern.includes('{date}') && pattern.includes('{time}');
}

/**
 * The prefix to propose: the remembered pattern filled in, or core defaultPrefix ('web01-20261123-1402') when there
 * is none or it is not unique (a '{name}-2026' remembered by an older version).
 */
export function proposePrefix(
	pattern: string | undefined,
	instanceName: string | undefined,
	instanceId: string,
	now: Date,
): string {
	if (pattern === undefined || !isUniquePattern(pattern)) {
		return defaultPrefix(instanceName, instanceId, now);
	}

	const values = parts(instanceName, instanceId, now);
	return pattern.replaceAll('{name}', values.name).replaceAll('{date}', values.date).replaceAll('{time}', values.time);
}

/**
 * The pattern behind a prefix the user chose ('backups/web01-20261123-1402' -> 'backups/{name}-{date}-{time}'), or
 * undefined when the prefix lacks the date or the time ('app01-2026' -> '{name}-2026' would be taken next time).
 */
export function prefixPatternOf(
	prefix: string,
	instanceName: string | undefined,
	instanceId: string,
	now: Date,
): string | undefined {
	const values = parts(instanceName, instanceId, now);
	let pattern = prefix;
	for (const [placeholder, value] of [
		['{name}', values.name],
		['{date}', values.date],
		['{time}', values.time],
	] as const) {
		pattern = pattern.replace(value, placeholder);
	}

	return isUniquePattern(pattern) ? pattern : undefined;
}

/** The n-th variant of a proposed prefix that is taken: 'web01-20261123-1402-2', '-3'… (n >= 2). */
export function prefixVariant(base: string, n: number): string {
	return `${base}-${n}`;
}
