/**
 * The remembered prefix pattern: '{name}-{date}-{time}' style templates. The wizard proposes a prefix from the pattern
 * (or core defaultPrefix without one) and, once a bundle starts, remembers the pattern behind the prefix used.
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

/** The prefix to propose: the remembered pattern filled in, or core defaultPrefix ('web01-20261123-1402'). */
export function proposePrefix(
	pattern: string | undefined,
	instanceName: string | undefined,
	instanceId: string,
	now: Date,
): string {
	if (!pattern?.includes('{')) {
		return defaultPrefix(instanceName, instanceId, now);
	}

	const values = parts(instanceName, instanceId, now);
	return pattern.replaceAll('{name}', values.name).replaceAll('{date}', values.date).replaceAll('{time}', values.time);
}

/**
 * The pattern behind a prefix the user chose ('backups/web01-20261123-1402' -> 'backups/{name}-{date}-{time}'), or
 * undefined when the prefix has no instance name, date or time in it (a fixed prefix would be taken next time).
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

	return pattern === prefix ? undefined : pattern;
}
