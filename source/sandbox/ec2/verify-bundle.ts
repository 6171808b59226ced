/**
 * Checks a bundle in S3 the way RegisterImage does: the manifest exists in a bucket of the caller in that region,
 * parses, and every part is present with the SHA1 digest the manifest records. Throws SandboxError
 * InvalidManifest (or InvalidParameterValue for a malformed location) with a precise message.
 */
import {createHash} from 'node:crypto';
import {type Manifest, ManifestError, manifestMaxBytes, parseManifest} from '../../core/manifest.js';
import {type ObjectStore, SandboxError} from '../contracts.js';

export type BundleLocation = {bucket: string; key: string; directory: string};

export function parseImageLocation(location: string): BundleLocation {
	const slash = location.indexOf('/');
	if (slash <= 0 || slash === location.length - 1) {
		throw new SandboxError(
			'InvalidParameterValue',
			`Invalid value '${location.slice(0, 200)}' for ImageLocation: expected bucket/prefix.manifest.xml`,
		);
	}

	const bucket = location.slice(0, slash);
	const key = location.slice(slash + 1);
	const lastSlash = key.lastIndexOf('/');
	return {bucket, key, directory: lastSlash === -1 ? '' : key.slice(0, lastSlash + 1)};
}

function invalid(message: string): SandboxError {
	return new SandboxError('InvalidManifest', message);
}

export async function readBundleManifest(
	objects: ObjectStore,
	location: BundleLocation,
	accountId: string,
	region: string,
): Promise<Manifest> {
	const bucket = objects.getBucket(location.bucket);
	if (!bucket) {
		throw invalid(`Bucket ${location.bucket} does not exist, so the manifest cannot be read.`);
	}

	if (bucket.ownerId !== accountId) {
		throw invalid(`Access to bucket ${location.bucket} is denied: it belongs to another account.`);
	}

	if (bucket.region !== region) {
		throw invalid(
			`Bucket ${location.bucket} is in ${bucket.region}, not ${region}: register the image in ${bucket.region}, or copy the bundle to a bucket in ${region}.`,
		);
	}

	const head = await objects.headObject(location.bucket, location.key);
	if (!head) {
		throw invalid(`Manifest ${location.key} was not found in bucket ${location.bucket}.`);
	}

	if (head.size > manifestMaxBytes) {
		throw invalid(`Manifest ${location.key} is ${head.size} bytes, larger than the ${manifestMaxBytes}-byte limit.`);
	}

	const body = await objects.readObject(location.bucket, location.key);
	if (!body) {
		throw invalid(`Manifest ${location.key} was not found in bucket ${location.bucket}.`);
	}

	try {
		return parseManifest(body);
	} catch (error) {
		if (error instanceof ManifestError) {
			throw invalid(`Manifest ${location.key} is invalid: ${error.message}.`);
		}

		throw error;
	}
}

/** Reads the manifest and checks every part's presence and digest, and the total size. */
export async function verifyBundle(
	objects: ObjectStore,
	location: BundleLocation,
	accountId: string,
	region: string,
): Promise<Manifest> {
	const manifest = await readBundleManifest(objects, location, accountId, region);
	let total = 0;
	for (const part of manifest.parts) {
		const key = `${location.directory}${part.filename}`;
		const body = await objects.readObject(location.bucket, key);
		if (!body) {
			throw invalid(`Part ${part.filename} listed in the manifest is missing from bucket ${location.bucket}.`);
		}

		const digest = createHash('sha1').update(body).digest('hex');
		if (digest !== part.digest) {
			throw invalid(
				`Part ${part.filename} digest does not match the manifest (the bundle was changed after it was stored).`,
			);
		}

		total += body.length;
	}

	if (total !== manifest.bundledSize) {
		throw invalid(`The parts total ${total} bytes but the manifest's bundled_size is ${manifest.bundledSize}.`);
	}

	return manifest;
}
