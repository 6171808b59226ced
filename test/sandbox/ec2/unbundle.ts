/**
 * Undoes a sandbox bundle as EC2 would with its private key: decrypt the AES key from the manifest, then the parts
 * (AES-128-CBC), gunzip, and hand back the tar stream. Node refuses PKCS#1 v1.5 private decryption (CVE-2023-46809),
 * so the RSA padding is removed here from a raw (no padding) decryption.
 */
import {constants, createDecipheriv, privateDecrypt} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import type {Manifest} from '../../../source/core/manifest.js';

function rsaPkcs1Decrypt(privateKey: string, hex: string): Buffer {
	const block = privateDecrypt({key: privateKey, padding: constants.RSA_NO_PADDING}, Buffer.from(hex, 'hex'));
	if (block[0] !== 0 || block[1] !== 2) {
		throw new Error('not a PKCS#1 v1.5 encryption block');
	}

	return block.subarray(block.indexOf(0, 2) + 1);
}

/** The tar stream inside a bundle whose parts are given in manifest order. */
export async function unbundle(sandboxDir: string, manifest: Manifest, parts: Uint8Array[]): Promise<Buffer> {
	const keys = JSON.parse(await readFile(path.join(sandboxDir, 'ec2', 'keys.json'), 'utf8')) as {
		ec2: {privateKey: string};
	};
	// ec2-ami-tools encrypts the hex text of the key and IV (openssl enc -K <hex> -iv <hex>)
	const key = Buffer.from(rsaPkcs1Decrypt(keys.ec2.privateKey, manifest.ec2EncryptedKey!).toString(), 'hex');
	const iv = Buffer.from(rsaPkcs1Decrypt(keys.ec2.privateKey, manifest.ec2EncryptedIv!).toString(), 'hex');
	const decipher = createDecipheriv('aes-128-cbc', key, iv);
	const gzipped = Buffer.concat([...parts.map((part) => decipher.update(part)), decipher.final()]);
	return gunzipSync(gzipped);
}
