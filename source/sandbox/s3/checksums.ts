/** The S3 flexible checksums (x-amz-checksum-*): CRC32, CRC32C, SHA1, SHA256 are verified; CRC64NVME is accepted. */
import {createHash} from 'node:crypto';
import {crc32} from 'node:zlib';

export type Checksum = {update(data: Buffer): void; digestBase64(): string};

const crc32cTable = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) {
			c = c & 1 ? 0x82_f6_3b_78 ^ (c >>> 1) : c >>> 1;
		}

		table[n] = c >>> 0;
	}

	return table;
})();

function uint32Base64(value: number): string {
	const buffer = Buffer.alloc(4);
	buffer.writeUInt32BE(value >>> 0);
	return buffer.toString('base64');
}

function crc32Checksum(): Checksum {
	let value = 0;
	return {
		update(data) {
			value = crc32(data, value);
		},
		digestBase64: () => uint32Base64(value),
	};
}

function crc32cChecksum(): Checksum {
	let value = 0xff_ff_ff_ff;
	return {
		update(data) {
			for (const byte of data) {
				value = crc32cTable[(value ^ byte) & 0xff]! ^ (value >>> 8);
			}
		},
		digestBase64: () => uint32Base64(value ^ 0xff_ff_ff_ff),
	};
}

function hashChecksum(name: 'sha1' | 'sha256'): Checksum {
	const hash = createHash(name);
	return {
		update(data) {
			hash.update(data);
		},
		digestBase64: () => hash.digest('base64'),
	};
}

/** A checksum for the header name (x-amz-checksum-crc32, ...); undefined when the sandbox does not verify it. */
export function checksumFor(headerName: string): Checksum | undefined {
	switch (headerName.toLowerCase()) {
		case 'x-amz-checksum-crc32': {
			return crc32Checksum();
		}

		case 'x-amz-checksum-crc32c': {
			return crc32cChecksum();
		}

		case 'x-amz-checksum-sha1': {
			return hashChecksum('sha1');
		}

		case 'x-amz-checksum-sha256': {
			return hashChecksum('sha256');
		}

		default: {
			return undefined;
		}
	}
}

export function checksumLabel(headerName: string): string {
	return headerName.toLowerCase().replace('x-amz-checksum-', '').toUpperCase();
}
