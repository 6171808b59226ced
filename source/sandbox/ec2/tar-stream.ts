/**
 * The tar stream EC2's bundler made of an image (ec2-ami-tools: `tar -c --owner 0 --group 0` of one file named like
 * the bundle prefix), written here without a dependency: a POSIX ustar header, the file's bytes padded to 512-byte
 * blocks, two zero blocks, and zeros up to the 10 KiB record GNU tar writes. A name over 100 bytes or a size over
 * the 11 octal digits of the size field (8 GiB) goes into a pax extended header first, as POSIX tar does.
 */
import {Readable} from 'node:stream';

export const tarBlockSize = 512;
const tarRecordSize = 20 * tarBlockSize;
const maxOctalSize = 0o77777777777;

export type TarEntry = {name: string; size: number; mtime: Date};

function octal(value: number, width: number): string {
	return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(fields: {name: Buffer; size: number; mtime: Date; type: '0' | 'x'}): Buffer {
	const block = Buffer.alloc(tarBlockSize);
	fields.name.copy(block, 0, 0, 100);
	block.write(octal(0o644, 8), 100, 'latin1');
	block.write(octal(0, 8), 108, 'latin1');
	block.write(octal(0, 8), 116, 'latin1');
	block.write(octal(fields.size > maxOctalSize ? 0 : fields.size, 12), 124, 'latin1');
	block.write(octal(Math.floor(fields.mtime.getTime() / 1000), 12), 136, 'latin1');
	block.write(' '.repeat(8), 148, 'latin1');
	block.write(fields.type, 156, 'latin1');
	block.write('ustar\u000000', 257, 'latin1');
	block.write('root', 265, 'latin1');
	block.write('root', 297, 'latin1');
	let sum = 0;
	for (const byte of block) {
		sum += byte;
	}

	block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
	return block;
}

function padding(size: number): number {
	return (tarBlockSize - (size % tarBlockSize)) % tarBlockSize;
}

/** One pax record: "<length> <key>=<value>\n", where length counts itself. */
function paxRecord(key: string, value: string): string {
	const body = ` ${key}=${value}\n`;
	let length = Buffer.byteLength(body) + 1;
	while (String(length).length + Buffer.byteLength(body) !== length) {
		length = String(length).length + Buffer.byteLength(body);
	}

	return `${length}${body}`;
}

/** Everything before the file's bytes: a pax header when ustar cannot hold the name or the size, then ustar's. */
export function tarEntryHeader(entry: TarEntry): Buffer {
	const name = Buffer.from(entry.name, 'utf8');
	const records = [
		...(name.length > 100 ? [paxRecord('path', entry.name)] : []),
		...(entry.size > maxOctalSize ? [paxRecord('size', String(entry.size))] : []),
	].join('');
	const ustar = header({name, size: entry.size, mtime: entry.mtime, type: '0'});
	if (records === '') {
		return ustar;
	}

	const pax = Buffer.from(records, 'utf8');
	return Buffer.concat([
		header({name: Buffer.from('PaxHeader', 'latin1'), size: pax.length, mtime: entry.mtime, type: 'x'}),
		pax,
		Buffer.alloc(padding(pax.length)),
		ustar,
	]);
}

/** The bytes after the file's: its padding to a block, the two zero blocks, and zeros to the end of the record. */
export function tarEntryTrailer(entry: TarEntry): Buffer {
	const used = tarEntryHeader(entry).length + entry.size + padding(entry.size) + 2 * tarBlockSize;
	return Buffer.alloc(
		padding(entry.size) + 2 * tarBlockSize + ((tarRecordSize - (used % tarRecordSize)) % tarRecordSize),
	);
}

/** The whole archive's size in bytes. */
export function tarSize(entry: TarEntry): number {
	return tarEntryHeader(entry).length + entry.size + tarEntryTrailer(entry).length;
}

/** A tar archive of one file whose bytes come from `data` (exactly entry.size of them). */
export function tarStream(entry: TarEntry, data: AsyncIterable<Buffer>): Readable {
	async function* archive() {
		yield tarEntryHeader(entry);
		let written = 0;
		for await (const chunk of data) {
			written += chunk.length;
			yield chunk;
		}

		if (written !== entry.size) {
			throw new Error(`the image gave ${written} bytes, not the ${entry.size} its tar header announced`);
		}

		yield tarEntryTrailer(entry);
	}

	return Readable.from(archive(), {objectMode: false});
}
