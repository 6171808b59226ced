/** S3 general purpose bucket naming rules. Returns the reason a name is invalid, or undefined when it is valid. */
const forbiddenPrefixes = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const forbiddenSuffixes = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export function bucketNameProblem(name: string): string | undefined {
	if (name.length < 3 || name.length > 63) {
		return 'Bucket names must be between 3 and 63 characters long.';
	}

	if (!/^[a-z\d.-]+$/.test(name)) {
		return 'Bucket names can consist only of lowercase letters, numbers, dots (.), and hyphens (-).';
	}

	if (!/^[a-z\d]/.test(name) || !/[a-z\d]$/.test(name)) {
		return 'Bucket names must begin and end with a letter or number.';
	}

	if (name.includes('..')) {
		return 'Bucket names must not contain two adjacent periods.';
	}

	if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) {
		return 'Bucket names must not be formatted as an IP address.';
	}

	const prefix = forbiddenPrefixes.find((p) => name.startsWith(p));
	if (prefix) {
		return `Bucket names must not start with the prefix ${prefix}.`;
	}

	const suffix = forbiddenSuffixes.find((s) => name.endsWith(s));
	if (suffix) {
		return `Bucket names must not end with the suffix ${suffix}.`;
	}

	return undefined;
}
