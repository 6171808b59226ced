/**
 * The bundle manifest (<prefix>.manifest.xml) in the ec2-ami-tools 2007-10-10 schema: build and parse.
 * Pure (no I/O). The parser never expands entities, refuses DOCTYPE declarations and bounds the input size,
 * and reports malformed manifests with a ManifestError whose message names what is wrong.
 */
import {XMLParser, XMLValidator} from 'fast-xml-parser';
import type {Architecture} from './types.js';
import {escapeXml} from './xml-escape.js';

export const manifestVersion = '2007-10-10';
export const manifestMaxBytes = 1024 * 1024;
export const manifestArchitectures: readonly Architecture[] = ['i386', 'x86_64'];

export class ManifestError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ManifestError';
	}
}

export type ManifestPart = {
	index: number;
	filename: string;
	/** SHA1 hex (lower case) of the part file */
	digest: string;
};

export type ManifestInput = {
	/** Image name: the bundle prefix */
	name: string;
	/** Account id of the bundle owner */
	user: string;
	architecture: Architecture;
	/** SHA1 hex of the unencrypted stream: the tar archive of the image, before gzip */
	digest: string;
	/** The image file's size in bytes (not the tar stream's) */
	size: number;
	/** Sum of the part sizes in bytes */
	bundledSize: number;
	/** Hex: the AES key and IV, RSA-encrypted for EC2 and for the user */
	ec2EncryptedKey: string;
	userEncryptedKey: string;
	ec2EncryptedIv: string;
	userEncryptedIv: string;
	/** In order; index = position */
	parts: Array<{filename: string; digest: string}>;
	bundler?: {name: string; version: string; release: string} | undefined;
};

export type Manifest = {
	version: string;
	bundler: {name: string; version: string; release: string} | undefined;
	name: string;
	user: string;
	architecture: Architecture;
	digest: string;
	size: number;
	bundledSize: number;
	ec2EncryptedKey: string | undefined;
	userEncryptedKey: string | undefined;
	ec2EncryptedIv: string | undefined;
	userEncryptedIv: string | undefined;
	/** Sorted by index, indexes 0..count-1 */
	parts: ManifestPart[];
	/** Hex RSA-SHA1 signature, undefined when absent */
	signature: string | undefined;
};

const defaultBundler = {name: 'bundledeck-sandbox', version: '1.5.3', release: '20071010'};
const sha1Pattern = /^[\da-f]{40}$/i;
const hexPattern = /^[\da-f]+$/i;

function element(name: string, value: string | number, attributes = ''): string {
	return `<${name}${attributes}>${escapeXml(String(value))}</${name}>`;
}

/** The part of the manifest that is signed: machine_configuration followed by image, as written in the file. */
export function manifestSignedText(input: ManifestInput): string {
	const parts = input.parts
		.map(
			(part, index) =>
				`<part index="${index}">${element('filename', part.filename)}${element('digest', part.digest.toLowerCase(), ' algorithm="SHA1"')}</part>`,
		)
		.join('');
	const machine = `<machine_configuration>${element('architecture', input.architecture)}</machine_configuration>`;
	const image =
		'<image>' +
		element('name', input.name) +
		element('user', input.user) +
		element('type', 'machine') +
		element('digest', input.digest.toLowerCase(), ' algorithm="SHA1"') +
		element('size', input.size) +
		element('bundled_size', input.bundledSize) +
		element('ec2_encrypted_key', input.ec2EncryptedKey, ' algorithm="AES-128-CBC"') +
		element('user_encrypted_key', input.userEncryptedKey, ' algorithm="AES-128-CBC"') +
		element('ec2_encrypted_iv', input.ec2EncryptedIv) +
		element('user_encrypted_iv', input.userEncryptedIv) +
		`<parts count="${input.parts.length}">${parts}</parts>` +
		'</image>';
	return machine + image;
}

/**
 * Builds the manifest XML. `sign` receives manifestSignedText(input) and returns the hex signature
 * (RSA-SHA1 with the bundler's private key); without it the signature element is omitted.
 */
export function buildManifest(input: ManifestInput, sign?: (text: string) => string): string {
	if (input.parts.length === 0) {
		throw new ManifestError('a manifest needs at least one part');
	}

	for (const part of input.parts) {
		if (!sha1Pattern.test(part.digest)) {
			throw new ManifestError(`part ${part.filename} digest is not a SHA1 hex string`);
		}
	}

	if (!sha1Pattern.test(input.digest)) {
		throw new ManifestError('image digest is not a SHA1 hex string');
	}

	const bundler = input.bundler ?? defaultBundler;
	const signed = manifestSignedText(input);
	const signature = sign ? element('signature', sign(signed)) : '';
	return (
		'<?xml version="1.0" ?>\n<manifest>' +
		element('version', manifestVersion) +
		`<bundler>${element('name', bundler.name)}${element('version', bundler.version)}${element('release', bundler.release)}</bundler>` +
		signed +
		signature +
		'</manifest>\n'
	);
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	processEntities: false,
	htmlEntities: false,
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	isArray: (name, jpath) => jpath === 'manifest.image.parts.part' || name === 'part',
});

function isNode(value: unknown): value is XmlNode {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text content of an element that may carry attributes. */
function text(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return value;
	}

	if (typeof value === 'number') {
		return String(value);
	}

	if (isNode(value)) {
		const inner = value['#text'];
		if (typeof inner === 'string' || typeof inner === 'number') {
			return String(inner);
		}

		// An element with attributes but no text
		return '';
	}

	return undefined;
}

function unescapeXml(value: string): string {
	return value.replaceAll(/&(lt|gt|quot|apos|amp);/g, (_match, name: string) => {
		switch (name) {
			case 'lt': {
				return '<';
			}

			case 'gt': {
				return '>';
			}

			case 'quot': {
				return '"';
			}

			case 'apos': {
				return "'";
			}

			default: {
				return '&';
			}
		}
	});
}

function requiredText(node: XmlNode, key: string, where: string): string {
	const raw = text(node[key]);
	if (raw === undefined || raw === '') {
		throw new ManifestError(`manifest is missing ${where}/${key}`);
	}

	if (Array.isArray(node[key])) {
		throw new ManifestError(`manifest has more than one ${where}/${key}`);
	}

	return unescapeXml(raw);
}

function optionalHex(node: XmlNode, key: string): string | undefined {
	const raw = text(node[key]);
	if (raw === undefined || raw === '') {
		return undefined;
	}

	if (!hexPattern.test(raw)) {
		throw new ManifestError(`manifest image/${key} is not a hex string`);
	}

	return raw.toLowerCase();
}

function nonNegativeInteger(value: string, what: string): number {
	if (!/^\d{1,15}$/.test(value)) {
		throw new ManifestError(`manifest ${what} is not a non-negative integer: "${value.slice(0, 40)}"`);
	}

	return Number(value);
}

function sha1Digest(value: unknown, what: string): string {
	const raw = text(value);
	if (raw === undefined || raw === '') {
		throw new ManifestError(`${what} digest is missing`);
	}

	if (isNode(value)) {
		const algorithm = value['@_algorithm'];
		if (typeof algorithm === 'string' && algorithm.toUpperCase() !== 'SHA1') {
			throw new ManifestError(`${what} digest algorithm "${algorithm}" is not SHA1`);
		}
	}

	if (!sha1Pattern.test(raw)) {
		throw new ManifestError(`${what} digest is not a SHA1 hex string (40 hex digits)`);
	}

	return raw.toLowerCase();
}

function parseParts(image: XmlNode): ManifestPart[] {
	const partsNode = image['parts'];
	if (partsNode === undefined) {
		throw new ManifestError('manifest is missing image/parts');
	}

	if (!isNode(partsNode)) {
		throw new ManifestError('manifest image/parts lists no part');
	}

	const countText = partsNode['@_count'];
	if (typeof countText !== 'string') {
		throw new ManifestError('manifest image/parts has no count attribute');
	}

	const count = nonNegativeInteger(countText, 'parts count');
	const list = partsNode['part'];
	const items = Array.isArray(list) ? (list as unknown[]) : [];
	if (items.length === 0) {
		throw new ManifestError('manifest image/parts lists no part');
	}

	if (items.length !== count) {
		throw new ManifestError(`manifest parts count is ${count} but ${items.length} part elements are listed`);
	}

	const byIndex = new Map<number, ManifestPart>();
	for (const item of items) {
		if (!isNode(item)) {
			throw new ManifestError('manifest has an empty part element');
		}

		const indexText = item['@_index'];
		if (typeof indexText !== 'string') {
			throw new ManifestError('manifest has a part without an index attribute');
		}

		const index = nonNegativeInteger(indexText, 'part index');
		if (index >= count) {
			throw new ManifestError(`manifest part index ${index} is out of range (count ${count})`);
		}

		if (byIndex.has(index)) {
			throw new ManifestError(`manifest lists part index ${index} twice`);
		}

		const filenameText = text(item['filename']);
		if (filenameText === undefined || filenameText === '' || Array.isArray(item['filename'])) {
			throw new ManifestError(`manifest part ${index} has no filename`);
		}

		const filename = unescapeXml(filenameText);
		if (filename.includes('/') || filename.includes('\\') || filename === '.' || filename === '..') {
			throw new ManifestError(`manifest part ${index} filename "${filename}" is not a plain file name`);
		}

		byIndex.set(index, {index, filename, digest: sha1Digest(item['digest'], `part ${filename}`)});
	}

	const filenames = new Set<string>();
	const parts = [...byIndex.values()].sort((a, b) => a.index - b.index);
	for (const part of parts) {
		if (filenames.has(part.filename)) {
			throw new ManifestError(`manifest lists part file ${part.filename} twice`);
		}

		filenames.add(part.filename);
	}

	return parts;
}

/** Parses and validates a manifest. Throws ManifestError naming what is wrong. */
export function parseManifest(xml: string | Buffer): Manifest {
	const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
	if (size > manifestMaxBytes) {
		throw new ManifestError(`manifest is ${size} bytes, larger than the ${manifestMaxBytes}-byte limit`);
	}

	const source = typeof xml === 'string' ? xml : xml.toString('utf8');
	if (source.trim() === '') {
		throw new ManifestError('manifest is empty');
	}

	if (/<!DOCTYPE/i.test(source)) {
		throw new ManifestError('manifest contains a DOCTYPE declaration, which is not allowed');
	}

	if (/<!ENTITY/i.test(source)) {
		throw new ManifestError('manifest declares entities, which is not allowed');
	}

	const validation = XMLValidator.validate(source);
	if (validation !== true) {
		throw new ManifestError(
			`manifest is not well-formed XML: ${validation.err.msg} (line ${validation.err.line}, column ${validation.err.col})`,
		);
	}

	const document: unknown = parser.parse(source);
	const root = isNode(document) ? document['manifest'] : undefined;
	if (!isNode(root)) {
		throw new ManifestError('document is not a manifest (no <manifest> root element)');
	}

	const version = requiredText(root, 'version', 'manifest');
	if (version !== manifestVersion) {
		throw new ManifestError(
			`manifest version "${version.slice(0, 40)}" is not supported (expected ${manifestVersion})`,
		);
	}

	const machine = root['machine_configuration'];
	if (!isNode(machine)) {
		throw new ManifestError('manifest is missing manifest/machine_configuration');
	}

	const architecture = requiredText(machine, 'architecture', 'machine_configuration');
	if (!(manifestArchitectures as readonly string[]).includes(architecture)) {
		throw new ManifestError(
			`manifest architecture "${architecture.slice(0, 40)}" is unknown (expected ${manifestArchitectures.join(' or ')})`,
		);
	}

	const image = root['image'];
	if (!isNode(image)) {
		throw new ManifestError('manifest is missing manifest/image');
	}

	const bundlerNode = root['bundler'];
	const bundler = isNode(bundlerNode)
		? {
				name: unescapeXml(text(bundlerNode['name']) ?? ''),
				version: unescapeXml(text(bundlerNode['version']) ?? ''),
				release: unescapeXml(text(bundlerNode['release']) ?? ''),
			}
		: undefined;
	const signatureText = text(root['signature']);
	if (signatureText !== undefined && signatureText !== '' && !hexPattern.test(signatureText)) {
		throw new ManifestError('manifest signature is not a hex string');
	}

	return {
		version,
		bundler,
		name: requiredText(image, 'name', 'image'),
		user: requiredText(image, 'user', 'image'),
		architecture: architecture as Architecture,
		digest: sha1Digest(image['digest'], 'image'),
		size: nonNegativeInteger(requiredText(image, 'size', 'image'), 'image size'),
		bundledSize: nonNegativeInteger(requiredText(image, 'bundled_size', 'image'), 'image bundled_size'),
		ec2EncryptedKey: optionalHex(image, 'ec2_encrypted_key'),
		userEncryptedKey: optionalHex(image, 'user_encrypted_key'),
		ec2EncryptedIv: optionalHex(image, 'ec2_encrypted_iv'),
		userEncryptedIv: optionalHex(image, 'user_encrypted_iv'),
		parts: parseParts(image),
		signature: signatureText === undefined || signatureText === '' ? undefined : signatureText.toLowerCase(),
	};
}

/** "<prefix>.part.<i>" with i zero-padded to the digit count of the part count (ec2-ami-tools naming). */
export function partFileName(prefix: string, index: number, count: number): string {
	const digits = String(count).length;
	return `${prefix}.part.${String(index).padStart(digits, '0')}`;
}
