import {describe, expect, test} from 'vitest';
import {
	describeCharacter,
	isBundleId,
	isImageId,
	isInstanceId,
	isRegion,
	maxPrefixLength,
	maxS3KeyBytes,
	type ValidationResult,
	validateAmiName,
	validateBucketName,
	validateBundleId,
	validateDescription,
	validateImageId,
	validateInstanceId,
	validatePrefix,
	validateRegion,
} from '../../source/core/validation.js';

function reasonOf(result: ValidationResult): string | undefined {
	return result.ok ? undefined : result.reason;
}

describe('validateBucketName', () => {
	test.each([
		'abc',
		'my-bucket',
		'my.bucket.name',
		'bundles-123456789012-us-east-1',
		'a'.repeat(63),
		'1bucket',
		'bucket1',
		'192.168.5.4x',
		'xn-bucket',
		'my-s3alias-bucket',
	])('accepts %s', (name) => {
		expect(validateBucketName(name)).toEqual({ok: true});
	});

	test.each([
		['', 'Enter a bucket name'],
		['MyBucket', "Bucket names can't contain uppercase letters"],
		['my_bucket', "Bucket names can't contain '_'"],
		['my bucket', "Bucket names can't contain spaces"],
		['bucket/x', "Bucket names can't contain '/'"],
		['ab', 'Bucket names need at least 3 characters'],
		['a'.repeat(64), 'Bucket names can have at most 63 characters (this one has 64)'],
		['-bucket', 'Bucket names must begin with a letter or digit'],
		['.bucket', 'Bucket names must begin with a letter or digit'],
		['bucket-', 'Bucket names must end with a letter or digit'],
		['bucket.', 'Bucket names must end with a letter or digit'],
		['my..bucket', "Bucket names can't contain two dots in a row"],
		['my.-bucket', "Bucket names can't have a dot next to a hyphen"],
		['my-.bucket', "Bucket names can't have a dot next to a hyphen"],
		['192.168.5.4', "Bucket names can't be formatted as an IP address"],
		['10.0.0.1', "Bucket names can't be formatted as an IP address"],
		['xn--bucket', "Bucket names can't start with 'xn--'"],
		['sthree-bucket', "Bucket names can't start with 'sthree-'"],
		['amzn-s3-demo-bucket', "Bucket names can't start with 'amzn-s3-demo-'"],
		['bucket-s3alias', "Bucket names can't end with '-s3alias'"],
		['bucket--ol-s3', "Bucket names can't end with '--ol-s3'"],
		['bucket.mrap', "Bucket names can't end with '.mrap'"],
		['bucket--x-s3', "Bucket names can't end with '--x-s3'"],
		['bucket--table-s3', "Bucket names can't end with '--table-s3'"],
		['bücket', "Bucket names can't contain 'ü'"],
	])('rejects %j', (name, reason) => {
		const result = validateBucketName(name);
		expect(result.ok).toBe(false);
		expect(reasonOf(result)).toContain(reason);
	});
});

describe('validatePrefix', () => {
	test.each([
		'winami',
		'web01-20261123-1402',
		'bundles/web01/2026-11-23',
		"a!b_c.d*e'f(g)h",
		'x',
		'name.',
		'a'.repeat(maxPrefixLength),
	])('accepts %s', (prefix) => {
		expect(validatePrefix(prefix)).toEqual({ok: true});
	});

	test.each([
		['', 'Enter a prefix'],
		['/winami', "Prefixes can't start with '/'"],
		['bundles/', "Prefixes can't end with '/'"],
		['a//b', "Prefixes can't contain '//'"],
		['../etc', "Prefixes can't contain a '..' folder"],
		['a/../b', "Prefixes can't contain a '..' folder"],
		['..', "Prefixes can't contain a '..' folder"],
		['a/./b', "Prefixes can't contain a '.' folder"],
		['my prefix', "Prefixes can't contain spaces"],
		['tab\there', "Prefixes can't contain tabs"],
		['line\nbreak', "Prefixes can't contain line breaks"],
		['nul\u0000', "Prefixes can't contain the character U+0000"],
		['a\u200bb', "Prefixes can't contain the character U+200B"],
		['a#b', "Prefixes can't contain '#'"],
		['a?b', "Prefixes can't contain '?'"],
		['a%20b', "Prefixes can't contain '%'"],
		['a\\b', "Prefixes can't contain '\\'"],
		['prefixé', "Prefixes can't contain 'é'"],
		['a'.repeat(maxPrefixLength + 1), `Prefixes can have at most ${maxPrefixLength} characters`],
	])('rejects %j', (prefix, reason) => {
		const result = validatePrefix(prefix);
		expect(result.ok).toBe(false);
		expect(reasonOf(result)).toContain(reason);
	});

	test('the longest accepted prefix still fits the manifest and part keys in 1024 bytes', () => {
		const prefix = 'a'.repeat(maxPrefixLength);
		expect(validatePrefix(prefix).ok).toBe(true);
		expect(Buffer.byteLength(`${prefix}.manifest.xml`)).toBeLessThanOrEqual(maxS3KeyBytes);
		expect(Buffer.byteLength(`${prefix}.part.999999`)).toBeLessThanOrEqual(maxS3KeyBytes);
	});
});

describe('validateAmiName', () => {
	test.each([
		'abc',
		'Windows 2003 (bundled) [2026-11-23]',
		"web01's image @ 14:02".replace(':', '.'),
		'path/like/name_1-2',
		'a'.repeat(128),
	])('accepts %s', (name) => {
		expect(validateAmiName(name)).toEqual({ok: true});
	});

	test.each([
		['', 'Enter an AMI name'],
		['ab', 'AMI names need at least 3 characters'],
		['a'.repeat(129), 'AMI names can have at most 128 characters (this one has 129)'],
		['web:01', "AMI names can't contain ':'"],
		['web#01', "AMI names can't contain '#'"],
		['image,1', "AMI names can't contain ','"],
		['tab\tname', "AMI names can't contain tabs"],
		['naïve', "AMI names can't contain 'ï'"],
	])('rejects %j', (name, reason) => {
		const result = validateAmiName(name);
		expect(result.ok).toBe(false);
		expect(reasonOf(result)).toContain(reason);
	});
});

describe('validateDescription', () => {
	test.each(['', 'Bundled from web01 on 2026-11-23', 'Ünïcödé is fine — really', 'x'.repeat(255)])(
		'accepts %j',
		(text) => {
			expect(validateDescription(text)).toEqual({ok: true});
		},
	);

	test.each([
		['x'.repeat(256), 'Descriptions can have at most 255 characters (this one has 256)'],
		['two\nlines', "Descriptions can't contain line breaks"],
		['bell\u0007', "Descriptions can't contain the character U+0007"],
		['del\u007f', "Descriptions can't contain the character U+007F"],
	])('rejects %j', (text, reason) => {
		expect(reasonOf(validateDescription(text))).toBe(reason);
	});
});

describe('validateRegion', () => {
	test.each([
		'us-east-1',
		'us-west-2',
		'eu-west-1',
		'ap-southeast-2',
		'us-gov-west-1',
		'cn-north-1',
		'cn-northwest-1',
		'me-central-1',
		'il-central-1',
		'us-isob-east-1',
		'eusc-de-east-1',
	])('accepts %s', (region) => {
		expect(validateRegion(region)).toEqual({ok: true});
		expect(isRegion(region)).toBe(true);
	});

	test.each([
		['', 'Enter a region'],
		['US-EAST-1', 'Region codes are lowercase'],
		['us-east-1a', "'us-east-1a' is an availability zone: use its region, us-east-1"],
		['useast1', 'Regions look like us-east-1'],
		['us-east', 'Regions look like us-east-1'],
		['us_east_1', 'Regions look like us-east-1'],
		['us-east-1 ', 'Regions look like us-east-1'],
		['http://us-east-1', 'Regions look like us-east-1'],
	])('rejects %j', (region, reason) => {
		expect(reasonOf(validateRegion(region))).toContain(reason);
		expect(isRegion(region)).toBe(false);
	});
});

describe('resource ids', () => {
	test.each([
		['i-1234abcd', true],
		['i-0123456789abcdef0', true],
		['i-1234abc', false],
		['i-1234abcde', false],
		['i-0123456789ABCDEF0', false],
		['i-0123456789abcdef01', false],
		['I-1234abcd', false],
		['ami-1234abcd', false],
		['', false],
	])('isInstanceId(%j) is %s', (value, expected) => {
		expect(isInstanceId(value)).toBe(expected);
		expect(validateInstanceId(value).ok).toBe(expected);
	});

	test.each([
		['bun-c1a540a8', true],
		['bun-0123456789abcdef0', true],
		['bun-c1a540a', false],
		['bun-C1A540A8', false],
		['bun-c1a540ag', false],
		['bundle-c1a540a8', false],
		[' bun-c1a540a8', false],
	])('isBundleId(%j) is %s', (value, expected) => {
		expect(isBundleId(value)).toBe(expected);
		expect(validateBundleId(value).ok).toBe(expected);
	});

	test.each([
		['ami-1234abcd', true],
		['ami-0123456789abcdef0', true],
		['ami-123', false],
		['ami-0123456789abcdef', false],
		['aki-1234abcd', false],
		['ami-1234abcz', false],
	])('isImageId(%j) is %s', (value, expected) => {
		expect(isImageId(value)).toBe(expected);
		expect(validateImageId(value).ok).toBe(expected);
	});

	test('reasons show the expected shape', () => {
		expect(reasonOf(validateInstanceId('x'))).toBe("'x' is not an instance id (they look like i-0123456789abcdef0)");
		expect(reasonOf(validateBundleId('x'))).toContain('bun-');
		expect(reasonOf(validateImageId('x'))).toContain('ami-');
	});
});

test('describeCharacter names invisible characters', () => {
	expect(describeCharacter(' ')).toBe('spaces');
	expect(describeCharacter('\u00a0')).toBe('the character U+00A0');
	expect(describeCharacter('\u001b')).toBe('the character U+001B');
	expect(describeCharacter('x')).toBe("'x'");
});
