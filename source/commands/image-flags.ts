/** Flags shared by the commands that name or register images: --name, --description, --architecture. */
import type {Architecture} from '../core/types.js';
import {validateAmiName, validateDescription} from '../core/validation.js';
import {type FlagSpec, type ParsedCommand, stringValue} from './args.js';
import {UsageError} from './exit-codes.js';

export const imageFlags = {
	name: {type: 'string', value: 'N', description: "AMI name (3-128: letters, digits, ( ) [ ] space . / - ' @ _)"},
	description: {type: 'string', value: 'D', description: 'AMI description (up to 255 characters)'},
	architecture: {type: 'string', value: 'A', description: "i386 or x86_64 (default: the manifest's)"},
} satisfies Record<string, FlagSpec>;

export function architectureValue(parsed: ParsedCommand): Architecture | undefined {
	const value = stringValue(parsed, 'architecture');
	if (value === undefined) {
		return undefined;
	}

	if (value !== 'i386' && value !== 'x86_64') {
		throw new UsageError(`--architecture '${value}' must be i386 or x86_64`);
	}

	return value;
}

/** A flag's raw string value (blank allowed: an empty description is valid). */
function stringAt(parsed: ParsedCommand, name: string): string | undefined {
	const value = parsed.values[name];
	return typeof value === 'string' ? value : undefined;
}

export function descriptionValue(parsed: ParsedCommand): string | undefined {
	const value = stringAt(parsed, 'description');
	if (typeof value !== 'string') {
		return undefined;
	}

	const check = validateDescription(value);
	if (!check.ok) {
		throw new UsageError(`--description: ${check.reason}`);
	}

	return value;
}

/** --name when given (checked), for the commands where a name is optional. */
export function nameValue(parsed: ParsedCommand): string | undefined {
	const value = stringValue(parsed, 'name');
	if (value === undefined) {
		return undefined;
	}

	const check = validateAmiName(value);
	if (!check.ok) {
		throw new UsageError(`--name '${value}': ${check.reason}`);
	}

	return value;
}
