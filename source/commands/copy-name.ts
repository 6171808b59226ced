/**
 * The default name of an AMI copy. AMI names are unique per account and region: a copy into another region can
 * keep the source name, a copy into the same region cannot (InvalidAMIName.Duplicate), so it gets
 * '<name> (copy)', or '<name> (copy N)' when that is taken too, shortened to fit the 128-character limit.
 */
import {maxAmiNameLength, validateAmiName} from '../core/validation.js';

/** How many numbered names are tried before giving up (then --name is needed). */
const maxAttempts = 1000;

/**
 * The name for a copy of an image named `sourceName` into a region whose own images already use `taken`;
 * undefined when no valid free name could be made (the user then passes --name).
 */
export function sameRegionCopyName(sourceName: string, taken: ReadonlySet<string>): string | undefined {
	for (let attempt = 1; attempt <= maxAttempts; attempt++) {
		const suffix = attempt === 1 ? ' (copy)' : ` (copy ${attempt})`;
		const base = sourceName.slice(0, Math.max(0, maxAmiNameLength - suffix.length)).trimEnd();
		const name = `${base}${suffix}`;
		if (!validateAmiName(name).ok) {
			return undefined;
		}

		if (!taken.has(name)) {
			return name;
		}
	}

	return undefined;
}
