/** Reading a bundle manifest from S3: "bucket/prefix.manifest.xml" -> parsed core Manifest + ManifestSummary. */
import {GetObjectCommand} from '@aws-sdk/client-s3';
import {AppError} from '../core/app-error.js';
import {parseManifestLocation} from '../core/format.js';
import {type Manifest, ManifestError, manifestMaxBytes, parseManifest} from '../core/manifest.js';
import type {ManifestSummary} from '../core/services.js';
import {type AwsContext, attempt} from './context.js';

export type ManifestLocation = {bucket: string; key: string};

/** "bucket/path/prefix.manifest.xml" -> {bucket, key} (core's parser); AppError InvalidManifestLocation otherwise. */
export function toManifestLocation(location: string): ManifestLocation {
	const parsed = parseManifestLocation(location);
	if (!parsed.ok) {
		throw new AppError({
			code: 'InvalidManifestLocation',
			message: `"${location}" is not a manifest location: ${parsed.reason}`,
			hint: 'Give it as bucket/prefix.manifest.xml.',
		});
	}

	return {bucket: parsed.bucket, key: parsed.key};
}

export function formatManifestLocation(location: ManifestLocation): string {
	return `${location.bucket}/${location.key}`;
}

/** The key of a part file: manifests name parts relative to the manifest's own folder. */
export function partKey(manifestKey: string, filename: string): string {
	const slash = manifestKey.lastIndexOf('/');
	return slash === -1 ? filename : `${manifestKey.slice(0, slash + 1)}${filename}`;
}

export type LoadedManifest = {location: ManifestLocation; manifest: Manifest; summary: ManifestSummary};

export async function loadManifest(
	context: AwsContext,
	region: string,
	manifestLocation: string,
	signal?: AbortSignal,
): Promise<LoadedManifest> {
	const location = toManifestLocation(manifestLocation);
	const errorContext = {
		operation: 'GetObject',
		region,
		resource: manifestLocation,
		resourceFor: (code: string) => (code === 'NoSuchBucket' ? location.bucket : undefined),
	};
	const bytes = await attempt(context, errorContext, async () => {
		const output = await context.clients
			.s3(region)
			.send(new GetObjectCommand({Bucket: location.bucket, Key: location.key}), signal ? {abortSignal: signal} : {});
		if (output.ContentLength !== undefined && output.ContentLength > manifestMaxBytes) {
			// Do not download it: a manifest is a few KiB.
			(output.Body as {destroy?: () => void} | undefined)?.destroy?.();
			throw new AppError({
				code: 'InvalidManifest',
				message: `${manifestLocation} is not a bundle manifest: it is ${output.ContentLength} bytes, more than the ${manifestMaxBytes}-byte limit`,
				hint: 'Check the manifest path (bucket/prefix.manifest.xml).',
			});
		}

		return output.Body ? Buffer.from(await output.Body.transformToByteArray()) : Buffer.alloc(0);
	});

	let manifest: Manifest;
	try {
		manifest = parseManifest(bytes);
		for (const part of manifest.parts) {
			if (part.filename.includes('/') || part.filename === '.' || part.filename === '..') {
				throw new ManifestError(`part ${part.index} has a file name with a folder in it ("${part.filename}")`);
			}
		}
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new AppError({
			code: 'InvalidManifest',
			message: `${manifestLocation} is not a valid bundle manifest: ${reason}`,
			hint: 'Bundle again, or point to the manifest the bundle task wrote (bucket/prefix.manifest.xml).',
			cause: error,
		});
	}

	return {
		location,
		manifest,
		summary: {
			location: manifestLocation,
			architecture: manifest.architecture,
			partCount: manifest.parts.length,
			size: manifest.size,
			bundledSize: manifest.bundledSize,
		},
	};
}
