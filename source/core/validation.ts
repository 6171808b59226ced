/**
 * Input validation for the bundling workflow: bucket names, key prefixes, AMI names, descriptions, regions and
 * resource ids. Pure, no I/O.
 *
 * Every validator returns {@link ValidationResult}: `{ok: true}` or `{ok: false, reason}` where `reason` is one short
 * sentence meant to be shown live under a text input ("Bucket names can't contain uppercase letters").
 */

export type ValidationResult = {ok: true} | {ok: false; reason: string};

const valid: ValidationResult = Object.freeze({ok: true});

function invalid(reason: string): ValidationResult {
	return {ok: false, reason};
}

/** Shows one character in a reason: printable as 'x', others (space, control, invisible) by name or code point. */
export function describeCharacter(char: string): string {
	if (char === ' ') {
		return 'spaces';
	}

	if (char === '\t') {
		return 'tabs';
	}

	if (char === '\n' || char === '\r') {
		return 'line breaks';
	}

	const code = char.codePointAt(0) ?? 0;
	if (code < 0x20 || code === 0x7f || /\p{Cf}|\p{Z}/u.test(char)) {
		return `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
	}

	return `'${char}'`;
}

function firstCharacter(text: string, allowed: RegExp): string | undefined {
	for (const char of text) {
		if (!allowed.test(char)) {
			return char;
		}
	}

	return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Bucket names

export const minBucketNameLength = 3;
export const maxBucketNameLength = 63;

const bucketReservedPrefixes = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const bucketReservedSuffixes = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

/**
 * S3 general purpose bucket naming rules: 3-63 characters; lowercase letters, digits, dots and hyphens; begins and
 * ends with a letter or digit; no two adjacent dots; not shaped like an IP address; none of the reserved prefixes
 * (xn--, sthree-, amzn-s3-demo-) or suffixes (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3).
 */
export function validateBucketName(name: string): ValidationResult {
	if (name.length === 0) {
		return invalid('Enter a bucket name');
	}

	if (/[A-Z]/.test(name)) {
		return invalid("Bucket names can't contain uppercase letters");
	}

	const bad = firstCharacter(name, /[a-z0-9.-]/);
	if (bad !== undefined) {
		return invalid(
			`Bucket names can't contain ${describeCharacter(bad)}: use lowercase letters, digits, dots and hyphens`,
		);
	}

	if (name.length < minBucketNameLength) {
		return invalid(`Bucket names need at least ${minBucketNameLength} characters`);
	}

	if (name.length > maxBucketNameLength) {
		return invalid(`Bucket names can have at most ${maxBucketNameLength} characters (this one has ${name.length})`);
	}

	if (!/^[a-z0-9]/.test(name)) {
		return invalid('Bucket names must begin with a letter or digit');
	}

	if (!/[a-z0-9]$/.test(name)) {
		return invalid('Bucket names must end with a letter or digit');
	}

	if (name.includes('..')) {
		return invalid("Bucket names can't contain two dots in a row");
	}

	if (name.includes('.-') || name.includes('-.')) {
		return invalid("Bucket names can't have a dot next to a hyphen");
	}

	if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) {
		return invalid("Bucket names can't be formatted as an IP address");
	}

	for (const prefix of bucketReservedPrefixes) {
		if (name.startsWith(prefix)) {
			return invalid(`Bucket names can't start with '${prefix}' (reserved by AWS)`);
		}
	}

	for (const suffix of bucketReservedSuffixes) {
		if (name.endsWith(suffix)) {
			return invalid(`Bucket names can't end with '${suffix}' (reserved by AWS)`);
		}
	}

	return valid;
}

// ---------------------------------------------------------------------------------------------------------------
// Key prefixes

/** S3's hard limit for an object key, in UTF-8 bytes. */
export const maxS3KeyBytes = 1024;

/**
 * Longest prefix accepted. The longest suffixes bundling appends are '.manifest.xml' (13 bytes) and '.part.' plus the
 * zero-padded part index (12 bytes for up to 999,999 parts), so 1000 + 13 = 1013 bytes stays under the 1024-byte key
 * limit with room to spare. Prefix characters are ASCII only, so characters = bytes.
 */
export const maxPrefixLength = 1000;

/**
 * A bundle prefix: the start of every key the bundle writes (`<prefix>.manifest.xml`, `<prefix>.part.N`).
 * Allowed: S3's "safe" key characters (letters, digits, ! - _ . * ' ( )) and '/' as a folder separator; no leading or
 * trailing '/', no empty, '.' or '..' folder, no whitespace or control characters, at most {@link maxPrefixLength}.
 */
export function validatePrefix(prefix: string): ValidationResult {
	if (prefix.length === 0) {
		return invalid('Enter a prefix');
	}

	const bad = firstCharacter(prefix, /[A-Za-z0-9!_.*'()/-]/);
	if (bad !== undefined) {
		return invalid(`Prefixes can't contain ${describeCharacter(bad)}: use letters, digits and - _ . ! * ' ( ) /`);
	}

	if (prefix.length > maxPrefixLength) {
		return invalid(`Prefixes can have at most ${maxPrefixLength} characters (this one has ${prefix.length})`);
	}

	if (prefix.startsWith('/')) {
		return invalid("Prefixes can't start with '/'");
	}

	if (prefix.endsWith('/')) {
		return invalid("Prefixes can't end with '/': add a name after the folder");
	}

	const segments = prefix.split('/');
	if (segments.includes('')) {
		return invalid("Prefixes can't contain '//'");
	}

	if (segments.includes('..')) {
		return invalid("Prefixes can't contain a '..' folder");
	}

	if (segments.includes('.')) {
		return invalid("Prefixes can't contain a '.' folder");
	}

	return valid;
}

// ---------------------------------------------------------------------------------------------------------------
// AMI names and descriptions

export const minAmiNameLength = 3;
export const maxAmiNameLength = 128;
export const maxDescriptionLength = 255;

/** RegisterImage / CopyImage name: 3-128 characters of letters, digits, ( ) [ ] space . / - ' @ _ */
export function validateAmiName(name: string): ValidationResult {
	if (name.length === 0) {
		return invalid('Enter an AMI name');
	}

	const bad = firstCharacter(name, /[A-Za-z0-9()[\] ./'@_-]/);
	if (bad !== undefined) {
		return invalid(
			`AMI names can't contain ${describeCharacter(bad)}: use letters, digits, spaces and ( ) [ ] . / - ' @ _`,
		);
	}

	if (name.length < minAmiNameLength) {
		return invalid(`AMI names need at least ${minAmiNameLength} characters`);
	}

	if (name.length > maxAmiNameLength) {
		return invalid(`AMI names can have at most ${maxAmiNameLength} characters (this one has ${name.length})`);
	}

	return valid;
}

/** AMI description: optional (empty is fine), at most 255 characters, no control characters. */
export function validateDescription(description: string): ValidationResult {
	const length = [...description].length;
	if (length > maxDescriptionLength) {
		return invalid(`Descriptions can have at most ${maxDescriptionLength} characters (this one has ${length})`);
	}

	const bad = firstCharacter(description, /[^\p{Cc}]/u);
	if (bad !== undefined) {
		return invalid(`Descriptions can't contain ${describeCharacter(bad)}`);
	}

	return valid;
}

// ---------------------------------------------------------------------------------------------------------------
// Regions

/**
 * Region code shape: a 2-4 letter area, one to three words, a number: us-east-1, ap-southeast-2, us-gov-west-1,
 * cn-north-1, us-isob-east-1, eusc-de-east-1. Checks the shape only, not that the region exists or is enabled.
 */
export function validateRegion(region: string): ValidationResult {
	if (region.length === 0) {
		return invalid('Enter a region');
	}

	if (/[A-Z]/.test(region)) {
		return invalid('Region codes are lowercase, like us-east-1');
	}

	if (/^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}[a-z]$/.test(region)) {
		return invalid(`'${region}' is an availability zone: use its region, ${region.slice(0, -1)}`);
	}

	if (!/^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/.test(region)) {
		return invalid('Regions look like us-east-1 or ap-southeast-2');
	}

	return valid;
}

/** True for region-shaped strings (see {@link validateRegion}). */
export function isRegion(region: string): boolean {
	return validateRegion(region).ok;
}

// ---------------------------------------------------------------------------------------------------------------
// Resource ids

const instanceIdPattern = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const bundleIdPattern = /^bun-[0-9a-f]{8,}$/;
const imageIdPattern = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** i- followed by 8 or 17 lowercase hex digits. */
export function isInstanceId(value: string): boolean {
	return instanceIdPattern.test(value);
}

/** bun- followed by 8 or more lowercase hex digits. */
export function isBundleId(value: string): boolean {
	return bundleIdPattern.test(value);
}

/** ami- followed by 8 or 17 lowercase hex digits. */
export function isImageId(value: string): boolean {
	return imageIdPattern.test(value);
}

/** {@link isInstanceId} with a reason, for flags and inputs. */
export function validateInstanceId(value: string): ValidationResult {
	return isInstanceId(value) ? valid : invalid(`'${value}' is not an instance id (they look like i-0123456789abcdef0)`);
}

/** {@link isBundleId} with a reason, for flags and inputs. */
export function validateBundleId(value: string): ValidationResult {
	return isBundleId(value) ? valid : invalid(`'${value}' is not a bundle id (they look like bun-c1a540a8)`);
}

/** {@link isImageId} with a reason, for flags and inputs. */
export function validateImageId(value: string): ValidationResult {
	return isImageId(value) ? valid : invalid(`'${value}' is not an AMI id (they look like ami-0123456789abcdef0)`);
}
