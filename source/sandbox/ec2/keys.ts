/**
 * The sandbox's RSA key pairs: "ec2" (stands for EC2's bundling certificate: the AES key and IV are encrypted
 * for it) and "user" (the bundle owner's key: encrypts a second copy of key/IV and signs the manifest).
 * Generated once, persisted under <dir>/ec2/keys.json (mode 0600).
 */
import {constants, createSign, generateKeyPair, publicEncrypt} from 'node:crypto';
import {chmod} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {readJsonFile, writeJsonFile} from '../atomic-file.js';

const generate = promisify(generateKeyPair);

type PemPair = {publicKey: string; privateKey: string};
export type SandboxKeys = {ec2: PemPair; user: PemPair};

async function newPair(): Promise<PemPair> {
	const {publicKey, privateKey} = await generate('rsa', {
		modulusLength: 2048,
		publicKeyEncoding: {type: 'spki', format: 'pem'},
		privateKeyEncoding: {type: 'pkcs8', format: 'pem'},
	});
	return {publicKey, privateKey};
}

export async function loadOrCreateKeys(dir: string): Promise<SandboxKeys> {
	const file = path.join(dir, 'ec2', 'keys.json');
	const stored = await readJsonFile<SandboxKeys>(file);
	if (stored?.ec2?.privateKey && stored.user?.privateKey) {
		return stored;
	}

	const keys = {ec2: await newPair(), user: await newPair()};
	await writeJsonFile(file, keys);
	await chmod(file, 0o600);
	return keys;
}

/** RSA (PKCS#1 v1.5) encryption of the hex text of a key or IV, hex encoded: what ec2-ami-tools writes. */
export function encryptForManifest(publicKey: string, secret: Buffer): string {
	return publicEncrypt(
		{key: publicKey, padding: constants.RSA_PKCS1_PADDING},
		Buffer.from(secret.toString('hex')),
	).toString('hex');
}

export function signManifestText(privateKey: string, text: string): string {
	return createSign('RSA-SHA1').update(text).sign(privateKey, 'hex');
}
