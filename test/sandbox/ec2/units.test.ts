/** Unit tests of the EC2 half's building blocks: synthetic disk image, Query parameters and filters, part writer. */
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough, Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {gzipSync} from 'node:zlib';
import {describe, expect, test} from 'vitest';
import {createDiskImage} from '../../../source/sandbox/ec2/disk-image.js';
import {applyFilters, filters, list, matchesPattern} from '../../../source/sandbox/ec2/params.js';
import {PartWriter} from '../../../source/sandbox/ec2/part-writer.js';
import {tarEntryHeader, tarSize, tarStream} from '../../../source/sandbox/ec2/tar-stream.js';

const mib = 1024 * 1024;

async function digestOf(stream: Readable): Promise<{sha1: string; size: number; data: Buffer[]}> {
	const hash = createHash('sha1');
	const data: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const buffer = Buffer.from(chunk as Buffer);
		hash.update(buffer);
		data.push(buffer);
		size += buffer.length;
	}

	return {sha1: hash.digest('hex'), size, data};
}

describe('synthetic disk image', () => {
	test('is deterministic per seed, exact in size, and differs between instances', async () => {
		const size = 3 * mib + 12_345;
		const first = await digestOf(createDiskImage('i-0123456789abcdef0', size).stream());
		const again = await digestOf(createDiskImage('i-0123456789abcdef0', size).stream());
		const other = await digestOf(createDiskImage('i-fedcba98765432100', size).stream());
		expect(first.size).toBe(size);
		expect(again.sha1).toBe(first.sha1);
		expect(other.sha1).not.toBe(first.sha1);
	});

	test('is partly compressible and partly random', async () => {
		const {data} = await digestOf(createDiskImage('i-0123456789abcdef0', 32 * mib).stream());
		const whole = Buffer.concat(data);
		const ratio = gzipSync(whole, {level: 6}).length / whole.length;
		expect(ratio).toBeGreaterThan(0.3);
		expect(ratio).toBeLessThan(0.9);
		expect(whole.subarray(3, 7).toString('latin1')).toBe('NTFS');
	});

	test('estimatedBundledSize is close to the real gzip output (it weights the progress of bundling vs storing)', async () => {
		const image = createDiskImage('i-0123456789abcdef0', 24 * mib);
		const {data} = await digestOf(image.stream());
		const actual = gzipSync(Buffer.concat(data), {level: 6}).length;
		expect(Math.abs(image.estimatedBundledSize() - actual) / actual).toBeLessThan(0.05);
	});

	test('an empty image is an empty stream', async () => {
		expect((await digestOf(createDiskImage('x', 0).stream())).size).toBe(0);
	});
});

describe('part writer', () => {
	test('splits at exact part boundaries and hashes every part', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'part-writer-'));
		try {
			const input = Buffer.alloc(25 * 1000, 7);
			for (let index = 0; index < input.length; index++) {
				input[index] = index % 251;
			}

			const writer = new PartWriter(dir, 10_000);
			await pipeline(
				Readable.from([input.subarray(0, 3333), input.subarray(3333, 20_000), input.subarray(20_000)]),
				writer,
			);
			expect(writer.parts.map((part) => part.size)).toEqual([10_000, 10_000, 5000]);
			expect(writer.total).toBe(25_000);
			for (const [index, part] of writer.parts.entries()) {
				const expected = input.subarray(index * 10_000, index * 10_000 + part.size);
				expect(await readFile(part.file)).toEqual(expected);
				expect(part.digest).toBe(createHash('sha1').update(expected).digest('hex'));
			}
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});

	test('destroyed while a part is being opened: the part and its write end before close', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'part-writer-'));
		try {
			const writer = new PartWriter(dir, 100);
			const closed = new Promise<string[]>((resolve) => {
				writer.once('close', () => {
					resolve(readdirSync(dir));
				});
			});
			writer.write(Buffer.alloc(40, 1));
			// Still opening part-0 (a file system call): a destroy that does not wait closes before it exists
			writer.destroy();
			expect(await closed).toEqual(['part-0']);
			expect(readFileSync(path.join(dir, 'part-0'))).toEqual(Buffer.alloc(40, 1));
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});

	test('an exact multiple makes no empty trailing part; an empty stream makes one empty part', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'part-writer-'));
		try {
			const exact = new PartWriter(dir, 100);
			await pipeline(Readable.from([Buffer.alloc(200)]), exact);
			expect(exact.parts.map((part) => part.size)).toEqual([100, 100]);
			const emptyDir = path.join(dir, 'empty');
			await mkdir(emptyDir);
			const empty = new PartWriter(emptyDir, 100);
			await pipeline(Readable.from([]), empty);
			expect(empty.parts.map((part) => part.size)).toEqual([0]);
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});
});

describe('Query parameters and filters', () => {
	test('lists come back in numeric order of N', () => {
		const params = new URLSearchParams({'InstanceId.10': 'c', 'InstanceId.2': 'b', 'InstanceId.1': 'a', Other: 'x'});
		expect(list(params, 'InstanceId')).toEqual(['a', 'b', 'c']);
	});

	test('filters are grouped by index with their values', () => {
		const params = new URLSearchParams({
			'Filter.2.Name': 'tag:Name',
			'Filter.2.Value.1': 'web*',
			'Filter.1.Name': 'platform',
			'Filter.1.Value.2': 'b',
			'Filter.1.Value.1': 'a',
		});
		expect(filters(params)).toEqual([
			{name: 'platform', values: ['a', 'b']},
			{name: 'tag:Name', values: ['web*']},
		]);
		expect(() => filters(new URLSearchParams({'Filter.1.Value.1': 'x'}))).toThrow(/has no Name/);
	});

	test('wildcards: * and ?, escapes, regex characters taken literally', () => {
		expect(matchesPattern('web01', 'web*')).toBe(true);
		expect(matchesPattern('web01', 'w?b01')).toBe(true);
		expect(matchesPattern('web01', 'web')).toBe(false);
		expect(matchesPattern('a.b', 'a.b')).toBe(true);
		expect(matchesPattern('axb', 'a.b')).toBe(false);
		expect(matchesPattern('a*b', 'a\\*b')).toBe(true);
		expect(matchesPattern('axb', 'a\\*b')).toBe(false);
		expect(matchesPattern('(x)', '(*)')).toBe(true);
	});

	test('applyFilters: AND across filters, OR across values; unknown filters refused', () => {
		const items = [
			{name: 'a', kind: 'x'},
			{name: 'b', kind: 'y'},
			{name: 'c', kind: 'x'},
		];
		const field = (name: string) =>
			name === 'name' || name === 'kind' ? (item: {name: string; kind: string}) => [item[name]] : undefined;
		expect(
			applyFilters(
				items,
				[
					{name: 'kind', values: ['x']},
					{name: 'name', values: ['a', 'b']},
				],
				field,
				'InvalidFilter',
			),
		).toEqual([{name: 'a', kind: 'x'}]);
		expect(() => applyFilters(items, [{name: 'size', values: ['1']}], field, 'InvalidFilter')).toThrow(
			"The filter 'size' is invalid",
		);
	});
});

describe('tar stream (the bundle payload before gzip)', () => {
	const mtime = new Date('2026-01-02T03:04:05Z');

	async function archive(name: string, data: Buffer): Promise<Buffer> {
		const chunks: Buffer[] = [];
		for await (const chunk of tarStream({name, size: data.length, mtime}, Readable.from([data]))) {
			chunks.push(chunk as Buffer);
		}

		return Buffer.concat(chunks);
	}

	/** GNU tar's own reading of the archive: `tar -tv` listing and the file's bytes. */
	function readWithTar(tar: Buffer): {listing: string; contents: Buffer} {
		const listing = spawnSync('tar', ['-tv', '--utc', '-f', '-'], {input: tar});
		const contents = spawnSync('tar', ['-xO', '-f', '-'], {input: tar});
		expect(listing.status, listing.stderr.toString()).toBe(0);
		return {listing: listing.stdout.toString(), contents: contents.stdout};
	}

	test('one file named like the image, that tar reads back byte for byte; sized in whole 10 KiB records', async () => {
		const data = Buffer.from('C:\\Windows\\'.repeat(300));
		const tar = await archive('winami', data);
		expect(tar.length).toBe(tarSize({name: 'winami', size: data.length, mtime}));
		expect(tar.length % 10_240).toBe(0);
		const read = readWithTar(tar);
		expect(read.listing).toMatch(/^-rw-r--r-- root\/root +3300 2026-01-02 03:04 winami\n$/);
		expect(read.contents.equals(data)).toBe(true);
	});

	test('a name longer than ustar holds goes into a pax header; an empty file works', async () => {
		const name = `${'w'.repeat(150)}-ami`;
		const read = readWithTar(await archive(name, Buffer.from('x')));
		expect(read.listing.trim().endsWith(` ${name}`)).toBe(true);
		expect(read.contents.toString()).toBe('x');
		expect(readWithTar(await archive('empty', Buffer.alloc(0))).listing).toContain(' 0 2026-01-02 03:04 empty');
	});

	test('a size over 8 GiB is given in a pax header (the octal field cannot hold it)', () => {
		const header = tarEntryHeader({name: 'big', size: 9 * 1024 * mib, mtime});
		expect(header.length).toBe(3 * 512);
		expect(header.toString('latin1', 512, 1024)).toContain(`size=${9 * 1024 * mib}\n`);
	});

	test('a stream shorter than its header announced fails instead of writing a corrupt archive', async () => {
		const stream = tarStream({name: 'short', size: 10, mtime}, Readable.from([Buffer.from('abc')]));
		await expect(pipeline(stream, new PassThrough().resume())).rejects.toThrow('gave 3 bytes, not the 10');
	});
});
