import {describe, expect, test} from 'vitest';
import {
	countOf,
	defaultPrefix,
	displayWidth,
	fitColumn,
	formatBytes,
	formatClock,
	formatDateTime,
	formatDuration,
	formatProgress,
	formatRelative,
	manifestKey,
	manifestLocation,
	parseDuration,
	parseManifestLocation,
	partKey,
	progressBar,
	sanitizePrefixPart,
	supportsUnicode,
	truncate,
	truncateMiddle,
} from '../../source/core/format.js';
import {validatePrefix} from '../../source/core/validation.js';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

describe('formatDuration', () => {
	test.each([
		[0, '0s'],
		[999, '0s'],
		[12 * second, '12s'],
		[59 * second + 999, '59s'],
		[minute, '1m 00s'],
		[3 * minute + 5 * second, '3m 05s'],
		[59 * minute + 59 * second, '59m 59s'],
		[hour, '1h 00m'],
		[hour + 2 * minute + 30 * second, '1h 02m'],
		[23 * hour + 59 * minute, '23h 59m'],
		[24 * hour, '1d 00h'],
		[50 * hour, '2d 02h'],
		[-5000, '0s'],
		[Number.NaN, '?'],
		[Number.POSITIVE_INFINITY, '?'],
	])('%s ms -> %s', (ms, expected) => {
		expect(formatDuration(ms)).toBe(expected);
	});
});

describe('countOf', () => {
	test('singular for exactly one ("1 part", never "1 parts")', () => {
		expect(countOf(1, 'part')).toBe('1 part');
		expect(countOf(0, 'part')).toBe('0 parts');
		expect(countOf(12, 'part')).toBe('12 parts');
		expect(countOf(1, 'copy', 'copies')).toBe('1 copy');
		expect(countOf(2, 'copy', 'copies')).toBe('2 copies');
	});
});

describe('formatBytes', () => {
	test.each([
		[0, '0 B'],
		[512, '512 B'],
		[1023, '1023 B'],
		[1024, '1 KiB'],
		[1536, '1.5 KiB'],
		[10 * 1024 * 1024, '10 MiB'],
		[10.4 * 1024 * 1024, '10 MiB'],
		[9.84 * 1024 ** 3, '9.8 GiB'],
		[1024 * 1024 - 1, '1 MiB'],
		[5 * 1024 ** 4, '5 TiB'],
		[-1, '?'],
		[Number.NaN, '?'],
	])('%s -> %s', (bytes, expected) => {
		expect(formatBytes(bytes)).toBe(expected);
	});
});

test('formatProgress', () => {
	expect(formatProgress(70)).toBe('70%');
	expect(formatProgress(0)).toBe('0%');
	expect(formatProgress(undefined)).toBe('?');
});

describe('times', () => {
	const date = new Date('2026-11-23T04:02:09Z');

	test('clock and date-time in UTC', () => {
		expect(formatClock(date, {utc: true})).toBe('04:02:09');
		expect(formatDateTime(date, {utc: true})).toBe('2026-11-23 04:02');
	});

	test('clock in local time uses the local fields', () => {
		const pad = (n: number) => String(n).padStart(2, '0');
		expect(formatClock(date)).toBe(`${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`);
	});

	test('invalid dates', () => {
		expect(formatClock(new Date(Number.NaN))).toBe('?');
		expect(formatDateTime(new Date(Number.NaN))).toBe('?');
		expect(formatRelative(new Date(Number.NaN), date)).toBe('?');
	});

	test.each([
		[0, 'just now'],
		[500, 'just now'],
		[12 * second, '12 s ago'],
		[59 * second, '59 s ago'],
		[3 * minute + 40 * second, '3 min ago'],
		[2 * hour + 59 * minute, '2 h ago'],
		[5 * 24 * hour, '5 d ago'],
		[-12 * second, 'in 12 s'],
		[-90 * minute, 'in 1 h'],
	])('relative %s ms -> %s', (delta, expected) => {
		const now = new Date('2026-11-23T14:00:00Z');
		expect(formatRelative(new Date(now.getTime() - delta), now)).toBe(expected);
	});
});

describe('progressBar', () => {
	test.each([
		[0, 10, '░░░░░░░░░░'],
		[30, 10, '███░░░░░░░'],
		[34, 10, '███░░░░░░░'],
		[35, 10, '████░░░░░░'],
		[100, 10, '██████████'],
		[150, 4, '████'],
		[-20, 4, '░░░░'],
		[undefined, 5, '░░░░░'],
		[50, 0, ''],
		[50, -3, ''],
	])('%s%% over %s cells', (percent, width, expected) => {
		expect(progressBar(percent, width)).toBe(expected);
	});

	test('ascii fallback', () => {
		expect(progressBar(50, 8, {ascii: true})).toBe('####----');
		expect(progressBar(undefined, 3, {ascii: true})).toBe('---');
	});

	test('always exactly width cells', () => {
		for (let percent = 0; percent <= 100; percent++) {
			expect([...progressBar(percent, 23)]).toHaveLength(23);
		}
	});
});

describe('supportsUnicode', () => {
	test.each([
		[{TERM: 'xterm-256color'}, 'linux', true],
		[{}, 'darwin', true],
		[{TERM: 'linux'}, 'linux', false],
		[{TERM: 'dumb'}, 'darwin', false],
		[{}, 'win32', false],
		[{WT_SESSION: 'abc'}, 'win32', true],
		[{TERM_PROGRAM: 'vscode'}, 'win32', true],
	])('%j on %s -> %s', (env, platform, expected) => {
		expect(supportsUnicode(env, platform)).toBe(expected);
	});
});

describe('column helpers', () => {
	test('displayWidth counts wide and zero-width characters', () => {
		expect(displayWidth('abc')).toBe(3);
		expect(displayWidth('日本')).toBe(4);
		expect(displayWidth('e\u0301')).toBe(1);
		expect(displayWidth('')).toBe(0);
	});

	test.each([
		['bun-c1a540a8', 20, 'bun-c1a540a8'],
		['bun-c1a540a8', 12, 'bun-c1a540a8'],
		['bun-c1a540a8', 11, 'bun-c1a540…'],
		['bun-c1a540a8', 1, 'b'],
		['bun-c1a540a8', 0, ''],
		['日本語のサーバー', 7, '日本語…'],
	])('truncate(%j, %s) -> %j', (text, width, expected) => {
		expect(truncate(text, width)).toBe(expected);
		expect(displayWidth(truncate(text, width))).toBeLessThanOrEqual(Math.max(0, width));
	});

	test('truncate with an ASCII ellipsis', () => {
		expect(truncate('abcdefghij', 6, '...')).toBe('abc...');
	});

	test('truncateMiddle keeps both ends', () => {
		expect(truncateMiddle('bundles/web01-20261123-1402', 15)).toBe('bundles…23-1402');
		expect(truncateMiddle('short', 15)).toBe('short');
		expect(displayWidth(truncateMiddle('bundles/web01-20261123-1402', 10))).toBe(10);
	});

	test('fitColumn pads or cuts to exactly the width', () => {
		expect(fitColumn('abc', 6)).toBe('abc   ');
		expect(fitColumn('abc', 6, 'right')).toBe('   abc');
		expect(fitColumn('abcdefgh', 6)).toBe('abcde…');
		expect(fitColumn('日本語', 5)).toBe('日本…');
		expect(fitColumn('日本語', 4)).toBe('日… ');
		expect(fitColumn('x', 0)).toBe('');
	});
});

describe('prefixes and manifest locations', () => {
	const now = new Date('2026-11-23T14:02:59Z');

	test.each([
		['web01', 'web01-20261123-1402'],
		['Web Server #1', 'web-server-1-20261123-1402'],
		['  --Déjà vu__  ', 'deja-vu-20261123-1402'],
		['日本', 'i-0123456789abcdef0-20261123-1402'],
		['', 'i-0123456789abcdef0-20261123-1402'],
		[undefined, 'i-0123456789abcdef0-20261123-1402'],
		['../../etc/passwd', 'etc-passwd-20261123-1402'],
	])('defaultPrefix(%j)', (name, expected) => {
		const prefix = defaultPrefix(name, 'i-0123456789abcdef0', now, {utc: true});
		expect(prefix).toBe(expected);
		expect(validatePrefix(prefix)).toEqual({ok: true});
	});

	test('defaultPrefix caps long names and stays valid', () => {
		const prefix = defaultPrefix('x'.repeat(300), 'i-1234abcd', now, {utc: true});
		expect(prefix).toBe(`${'x'.repeat(40)}-20261123-1402`);
		expect(sanitizePrefixPart(`${'a'.repeat(39)}--b`)).toBe('a'.repeat(39));
	});

	test('manifest and part keys', () => {
		expect(manifestKey('winami')).toBe('winami.manifest.xml');
		expect(manifestLocation('mybucket', 'a/winami')).toBe('mybucket/a/winami.manifest.xml');
		expect(partKey('winami', 0, 1)).toBe('winami.part.0');
		expect(partKey('winami', 3, 12)).toBe('winami.part.03');
		expect(partKey('winami', 11, 12)).toBe('winami.part.11');
		expect(partKey('winami', 7, 100)).toBe('winami.part.007');
	});

	test.each([
		['mybucket/winami.manifest.xml', {bucket: 'mybucket', key: 'winami.manifest.xml', prefix: 'winami'}],
		['s3://mybucket/a/b/x.manifest.xml', {bucket: 'mybucket', key: 'a/b/x.manifest.xml', prefix: 'a/b/x'}],
		['  my.bucket/x.manifest.xml ', {bucket: 'my.bucket', key: 'x.manifest.xml', prefix: 'x'}],
		['Legacy_Bucket/x.manifest.xml', {bucket: 'Legacy_Bucket', key: 'x.manifest.xml', prefix: 'x'}],
	])('parseManifestLocation(%j)', (text, expected) => {
		expect(parseManifestLocation(text)).toEqual({ok: true, ...expected});
	});

	test('parseManifestLocation round-trips manifestLocation', () => {
		expect(parseManifestLocation(manifestLocation('b-1', 'p/q'))).toEqual({
			ok: true,
			bucket: 'b-1',
			key: 'p/q.manifest.xml',
			prefix: 'p/q',
		});
	});

	test.each([
		['', 'Enter a manifest location'],
		['winami.manifest.xml', 'no / found'],
		['/winami.manifest.xml', 'needs a bucket name'],
		['mybucket/', 'needs a key'],
		['mybucket//x.manifest.xml', "can't start with '/'"],
		['mybucket/x.xml', 'must end with .manifest.xml'],
		['mybucket/.manifest.xml', 'needs a name before .manifest.xml'],
		['mybucket/dir/.manifest.xml', 'needs a name before .manifest.xml'],
		['mybucket/x\n.manifest.xml', "can't contain control characters"],
		['my bucket/x.manifest.xml', "Bucket names can't contain spaces"],
		['ab/x.manifest.xml', 'at least 3 characters'],
		[`mybucket/${'a'.repeat(1020)}.manifest.xml`, '1024 bytes'],
	])('parseManifestLocation(%j) fails', (text, reason) => {
		const result = parseManifestLocation(text);
		expect(result.ok).toBe(false);
		expect(result.ok ? '' : result.reason).toContain(reason);
	});
});

describe('parseDuration', () => {
	test.each([
		['24h', 24 * hour],
		['90m', 90 * minute],
		['2h30m', 2 * hour + 30 * minute],
		['2h 30m', 2 * hour + 30 * minute],
		['45s', 45 * second],
		['1d', 24 * hour],
		['1d12h', 36 * hour],
		['1h0m5s', hour + 5 * second],
		[' 12H ', 12 * hour],
	])('%j -> %s ms', (text, ms) => {
		expect(parseDuration(text)).toEqual({ok: true, ms});
	});

	test.each([
		['', 'Enter a duration'],
		['90', "Add a unit to '90'"],
		['0s', 'longer than zero'],
		['0h0m', 'longer than zero'],
		// Not "like 0m": a bare zero is not a missing unit (issue 14 item 9).
		['0', 'longer than zero, like 30s'],
		['000', 'longer than zero, like 30s'],
		['30m2h', 'is not a duration'],
		['1.5h', 'is not a duration'],
		['-5m', 'is not a duration'],
		['5 minutes', 'is not a duration'],
		['5w', 'is not a duration'],
		['h', 'is not a duration'],
		['1h1h', 'is not a duration'],
		['99999999999999999999d', 'too long'],
	])('%j fails', (text, reason) => {
		const result = parseDuration(text);
		expect(result.ok).toBe(false);
		expect(result.ok ? '' : result.reason).toContain(reason);
	});
});
