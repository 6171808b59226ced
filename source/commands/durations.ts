/** Duration flags (--expiry, --timeout, --interval) through core's parseDuration; --interval also takes "500ms". */
import {parseDuration} from '../core/format.js';
import {type ParsedCommand, stringValue} from './args.js';
import {UsageError} from './exit-codes.js';

export function durationValue(
	parsed: ParsedCommand,
	name: string,
	defaultMs: number,
	options: {allowMilliseconds?: boolean} = {},
): number {
	const text = stringValue(parsed, name);
	if (text === undefined) {
		return defaultMs;
	}

	const milliseconds = /^\s*(\d+)\s*ms\s*$/i.exec(text);
	if (options.allowMilliseconds && milliseconds?.[1]) {
		const ms = Number(milliseconds[1]);
		if (ms > 0) {
			return ms;
		}
	}

	const result = parseDuration(text);
	if (!result.ok) {
		throw new UsageError(`--${name} '${text}': ${result.reason}`);
	}

	return result.ms;
}
