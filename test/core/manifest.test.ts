import {describe, expect, test} from 'vitest';
import {
	buildManifest,
	ManifestError,
	type ManifestInput,
	manifestSignedText,
	parseManifest,
	partFileName,
} from '../../source/core/manifest.js';

const digestA = 'a'.repeat(40);
const digestB = '0123456789abcdef0123456789abcdef01234567';

function input(overrides: Partial<ManifestInput> = {}): ManifestInput {
	return {
		name: 'winami',
		user: '111122223333',
		architecture: 'x86_64',
		digest: 'f'.repeat(40),
		size: 33_554_432,
		bundledSize: 21_000_000,
		ec2EncryptedKey: 'abcd01',
		userEncryptedKey: 'ef2345',
		ec2EncryptedIv: '6789ab',
		userEncryptedIv: 'cdef01',
		parts: [
			{filename: 'winami.part.0', digest: digestA},
			{filename: 'winami.part.1', digest: digestB},
		],
		...overrides,
	};
}

const good = buildManifest(input(), () => 'deadbeef');

function expectManifestError(xml: string, message: RegExp): void {
	let thrown: unknown;
	try {
		parseManifest(xml);
	} catch (error) {
		thrown = error;
	}

	expect(thrown).toBeInstanceOf(ManifestError);
	expect((thrown as Error).message).toMatch(message);
}

describe('buildManifest / parseManifest', () => {
	test('round trip keeps every field', () => {
		const manifest = parseManifest(good);
		expect(manifest).toEqual({
			version: '2007-10-10',
			bundler: {name: 'bundledeck-sandbox', version: '1.5.3', release: '20071010'},
			name: 'winami',
			user: '111122223333',
			architecture: 'x86_64',
			digest: 'f'.repeat(40),
			size: 33_554_432,
			bundledSize: 21_000_000,
			ec2EncryptedKey: 'abcd01',
			userEncryptedKey: 'ef2345',
			ec2EncryptedIv: '6789ab',
			userEncryptedIv: 'cdef01',
			parts: [
				{index: 0, filename: 'winami.part.0', digest: digestA},
				{index: 1, filename: 'winami.part.1', digest: digestB},
			],
			signature: 'deadbeef',
		});
	});

	test('writes the 2007-10-10 schema elements', () => {
		expect(good).toContain('<version>2007-10-10</version>');
		expect(good).toContain('<machine_configuration><architecture>x86_64</architecture></machine_configuration>');
		expect(good).toContain('<digest algorithm="SHA1">ffffffffffffffffffffffffffffffffffffffff</digest>');
		expect(good).toContain('<ec2_encrypted_key algorithm="AES-128-CBC">abcd01</ec2_encrypted_key>');
		expect(good).toContain('<parts count="2"><part index="0"><filename>winami.part.0</filename>');
		expect(good).toContain('<bundled_size>21000000</bundled_size>');
		expect(good).toContain('<signature>deadbeef</signature>');
	});

	test('the signer receives machine_configuration + image text exactly as written', () => {
		let signed = '';
		const xml = buildManifest(input(), (text) => {
			signed = text;
			return '00';
		});
		expect(signed).toBe(manifestSignedText(input()));
		expect(xml).toContain(signed);
		expect(signed.startsWith('<machine_configuration>')).toBe(true);
		expect(signed.endsWith('</image>')).toBe(true);
	});

	test('escapes names and parses them back', () => {
		const xml = buildManifest(input({name: 'a&b<c>'}));
		expect(xml).toContain('<name>a&amp;b&lt;c&gt;</name>');
		expect(parseManifest(xml).name).toBe('a&b<c>');
		expect(parseManifest(xml).signature).toBeUndefined();
	});

	test('parts are returned sorted by index even when listed out of order', () => {
		const swapped = good.replace(
			/(<part index="0">.*?<\/part>)(<part index="1">.*?<\/part>)/,
			(_m, first: string, second: string) => second + first,
		);
		expect(swapped).not.toBe(good);
		expect(parseManifest(swapped).parts.map((part) => part.index)).toEqual([0, 1]);
	});

	test('accepts a Buffer', () => {
		expect(parseManifest(Buffer.from(good)).name).toBe('winami');
	});

	test('refuses to build invalid input', () => {
		expect(() => buildManifest(input({parts: []}))).toThrow(/at least one part/);
		expect(() => buildManifest(input({parts: [{filename: 'x', digest: 'nothex'}]}))).toThrow(/part x digest/);
	});

	test('partFileName pads to the digit count of the part count', () => {
		expect(partFileName('win', 0, 2)).toBe('win.part.0');
		expect(partFileName('win', 3, 12)).toBe('win.part.03');
		expect(partFileName('win', 9, 10)).toBe('win.part.09');
		expect(partFileName('win', 100, 101)).toBe('win.part.100');
	});
});

describe('parseManifest refuses hostile input', () => {
	test('billion laughs entity bomb', () => {
		const bomb =
			'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">' +
			'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><manifest><version>&lol3;</version></manifest>';
		expectManifestError(bomb, /DOCTYPE/);
	});

	test('DOCTYPE with an external entity', () => {
		const xxe = `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>${good.replace('<?xml version="1.0" ?>', '')}`;
		expectManifestError(xxe, /DOCTYPE/);
	});

	test('lowercase doctype is refused too', () => {
		expectManifestError(`<!doctype manifest>${good.replace('<?xml version="1.0" ?>', '')}`, /DOCTYPE/);
	});

	test('entity references are not expanded', () => {
		const xml = good.replace('<name>winami</name>', '<name>&custom;</name>');
		// Unknown entity references are left as text, never resolved
		expect(parseManifest(xml).name).toBe('&custom;');
	});

	test('larger than 1 MiB', () => {
		const huge = good.replace('<name>winami</name>', `<name>${'x'.repeat(1024 * 1024)}</name>`);
		expectManifestError(huge, /larger than the 1048576-byte limit/);
	});
});

describe('parseManifest reports malformed manifests precisely', () => {
	const cases: Array<[string, string, RegExp]> = [
		['empty', '', /manifest is empty/],
		['not XML', 'hello world', /not well-formed XML|no <manifest> root/],
		['unclosed tag', '<manifest><version>2007-10-10</version>', /not well-formed XML/],
		['wrong root', '<image><name>x</name></image>', /no <manifest> root/],
		['wrong version', good.replace('2007-10-10', '2020-01-01'), /version "2020-01-01" is not supported/],
		['missing version', good.replace('<version>2007-10-10</version>', ''), /missing manifest\/version/],
		[
			'unknown architecture',
			good.replace('<architecture>x86_64</architecture>', '<architecture>sparc</architecture>'),
			/architecture "sparc" is unknown/,
		],
		[
			'missing machine_configuration',
			good.replace(/<machine_configuration>.*?<\/machine_configuration>/, ''),
			/missing manifest\/machine_configuration/,
		],
		['missing image', good.replace(/<image>.*<\/image>/, ''), /missing manifest\/image/],
		['missing image name', good.replace('<name>winami</name>', ''), /missing image\/name/],
		['missing user', good.replace('<user>111122223333</user>', ''), /missing image\/user/],
		['missing parts', good.replace(/<parts.*<\/parts>/, ''), /missing image\/parts/],
		['empty parts', good.replace(/<parts.*<\/parts>/, '<parts count="0"></parts>'), /lists no part/],
		[
			'part count mismatch',
			good.replace('<parts count="2">', '<parts count="3">'),
			/parts count is 3 but 2 part elements are listed/,
		],
		[
			'count not a number',
			good.replace('<parts count="2">', '<parts count="two">'),
			/parts count is not a non-negative/,
		],
		['count missing', good.replace('<parts count="2">', '<parts>'), /no count attribute/],
		['duplicate index', good.replace('<part index="1">', '<part index="0">'), /part index 0 twice/],
		['index out of range', good.replace('<part index="1">', '<part index="7">'), /index 7 is out of range/],
		['index missing', good.replace('<part index="1">', '<part>'), /part without an index/],
		['bad part digest', good.replace(`>${digestB}<`, '>xyz<'), /part winami\.part\.1 digest is not a SHA1 hex string/],
		[
			'wrong digest algorithm',
			good.replace(`<digest algorithm="SHA1">${digestB}`, `<digest algorithm="MD5">${digestB}`),
			/digest algorithm "MD5" is not SHA1/,
		],
		[
			'bad image digest',
			good.replace(`<digest algorithm="SHA1">${'f'.repeat(40)}`, '<digest algorithm="SHA1">1234'),
			/image digest is not a SHA1/,
		],
		['missing filename', good.replace('<filename>winami.part.1</filename>', ''), /part 1 has no filename/],
		[
			'filename with a path',
			good.replace('<filename>winami.part.1</filename>', '<filename>../etc/passwd</filename>'),
			/not a plain file name/,
		],
		[
			'duplicate filename',
			good.replace('<filename>winami.part.1</filename>', '<filename>winami.part.0</filename>'),
			/part file winami\.part\.0 twice/,
		],
		['negative size', good.replace('<size>33554432</size>', '<size>-5</size>'), /image size is not a non-negative/],
		['missing bundled_size', good.replace(/<bundled_size>\d+<\/bundled_size>/, ''), /missing image\/bundled_size/],
		['key not hex', good.replace('>abcd01<', '>not-hex<'), /image\/ec2_encrypted_key is not a hex string/],
		['signature not hex', good.replace('<signature>deadbeef</signature>', '<signature>zz</signature>'), /signature/],
	];

	test.each(cases)('%s', (_name, xml, message) => {
		expectManifestError(xml, message);
	});
});
