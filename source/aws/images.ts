/** AMIs: RegisterImage (manifest checked first), DescribeImages, CopyImage (sent to the destination region). */
import {randomUUID} from 'node:crypto';
import {
	CopyImageCommand,
	DescribeImagesCommand,
	type Image as Ec2Image,
	RegisterImageCommand,
} from '@aws-sdk/client-ec2';
import {AppError} from '../core/app-error.js';
import type {CopyImageInput, ManifestSummary, RegisterImageInput, RegisterImageResult} from '../core/services.js';
import type {Image, ImageState} from '../core/types.js';
import {validateAmiName, validateDescription} from '../core/validation.js';
import {isImageState} from '../core/work-model.js';
import {type AwsContext, attempt} from './context.js';
import {formatManifestLocation, loadManifest} from './manifests.js';
import {errorName} from './s3-errors.js';

export async function readManifest(context: AwsContext, region: string, location: string): Promise<ManifestSummary> {
	return (await loadManifest(context, region, location)).summary;
}

function checkNameAndDescription(name: string, description: string | undefined): void {
	const nameCheck = validateAmiName(name);
	if (!nameCheck.ok) {
		throw new AppError({
			code: 'InvalidAMIName.Malformed',
			message: `AMI name "${name}" is not valid: ${nameCheck.reason}`,
		});
	}

	const descriptionCheck = validateDescription(description ?? '');
	if (!descriptionCheck.ok) {
		throw new AppError({
			code: 'InvalidParameterValue',
			message: `AMI description is not valid: ${descriptionCheck.reason}`,
		});
	}
}

/** InvalidAMIName.Duplicate / .Malformed are about the name, not the manifest or the source AMI. */
function amiNameFor(name: string): (code: string) => string | undefined {
	return (code) => (code.startsWith('InvalidAMIName.') ? `"${name}"` : undefined);
}

/** True when the SDK sent the call more than once: an earlier attempt may have acted and lost its answer. */
function retried(error: unknown): boolean {
	return ((error as {$metadata?: {attempts?: number}}).$metadata?.attempts ?? 1) > 1;
}

/** Your image in the region with this name, registered from this manifest. */
async function imageRegisteredFrom(
	context: AwsContext,
	region: string,
	name: string,
	imageLocation: string,
): Promise<string | undefined> {
	const output = await context.clients
		.ec2(region)
		.send(new DescribeImagesCommand({Owners: ['self'], Filters: [{Name: 'name', Values: [name]}]}));
	return output.Images?.find((image) => image.Name === name && image.ImageLocation === imageLocation)?.ImageId;
}

export async function registerImage(context: AwsContext, input: RegisterImageInput): Promise<RegisterImageResult> {
	checkNameAndDescription(input.name, input.description);
	// A missing or unreadable manifest is a clear error here, before RegisterImage is even called.
	const {summary, location} = await loadManifest(context, input.region, input.manifestLocation);
	const imageLocation = formatManifestLocation(location);
	const architecture = input.architecture ?? summary.architecture;
	return attempt(
		context,
		{
			operation: 'RegisterImage',
			region: input.region,
			resource: input.manifestLocation,
			resourceFor: amiNameFor(input.name),
		},
		async () => {
			let output: {ImageId?: string | undefined};
			try {
				output = await context.clients.ec2(input.region).send(
					new RegisterImageCommand({
						Name: input.name,
						ImageLocation: imageLocation,
						...(input.description ? {Description: input.description} : {}),
						...(architecture ? {Architecture: architecture} : {}),
					}),
				);
			} catch (error) {
				// RegisterImage has no client token: when the first answer was lost, the SDK's retry hears "name in use"
				// about the image that first call registered. Adopt it when it is yours and from this manifest.
				const adopted =
					errorName(error) === 'InvalidAMIName.Duplicate' && retried(error)
						? await imageRegisteredFrom(context, input.region, input.name, imageLocation)
						: undefined;
				if (adopted) {
					return {imageId: adopted, adopted: true};
				}

				throw error;
			}

			if (!output.ImageId) {
				throw new AppError({
					code: 'InvalidResponse',
					message: `RegisterImage for ${input.manifestLocation} returned no image id`,
				});
			}

			return {imageId: output.ImageId};
		},
	);
}

export async function describeImages(context: AwsContext, region: string, imageIds?: string[]): Promise<Image[]> {
	// One AMI asked for: a NotFound names it
	const resource = imageIds?.length === 1 ? imageIds[0] : undefined;
	return attempt(context, {operation: 'DescribeImages', region, resource}, async () => {
		const client = context.clients.ec2(region);
		const selection = imageIds && imageIds.length > 0 ? {ImageIds: imageIds} : {Owners: ['self']};
		const images: Image[] = [];
		let token: string | undefined;
		do {
			const page = await client.send(new DescribeImagesCommand({...selection, ...(token ? {NextToken: token} : {})}));
			for (const image of page.Images ?? []) {
				const mapped = toImage(image, region);
				if (mapped) {
					images.push(mapped);
				}
			}

			token = page.NextToken || undefined;
		} while (token);

		return images;
	});
}

export async function copyImage(context: AwsContext, input: CopyImageInput): Promise<{imageId: string}> {
	checkNameAndDescription(input.name, input.description);
	const errorContext = {
		operation: 'CopyImage',
		region: input.destinationRegion,
		resource: input.sourceImageId,
		resourceFor: amiNameFor(input.name),
	};
	return attempt(context, errorContext, async () => {
		const output = await context.clients.ec2(input.destinationRegion).send(
			new CopyImageCommand({
				SourceRegion: input.sourceRegion,
				SourceImageId: input.sourceImageId,
				Name: input.name,
				...(input.description ? {Description: input.description} : {}),
				ClientToken: input.clientToken ?? randomUUID(),
			}),
		);
		if (!output.ImageId) {
			throw new AppError({
				code: 'InvalidResponse',
				message: `CopyImage of ${input.sourceImageId} returned no image id`,
			});
		}

		return {imageId: output.ImageId};
	});
}

export function toImage(image: Ec2Image, region: string): Image | undefined {
	if (!image.ImageId) {
		return undefined;
	}

	const state = image.State as ImageState | undefined;
	const created = image.CreationDate ? new Date(image.CreationDate) : undefined;
	return {
		imageId: image.ImageId,
		region,
		name: image.Name ?? '',
		description: image.Description || undefined,
		state: isImageState(state) ? state : 'transient',
		imageLocation: image.ImageLocation || undefined,
		architecture: image.Architecture || undefined,
		rootDeviceType: image.RootDeviceType || undefined,
		platform: image.Platform || undefined,
		creationDate: created && !Number.isNaN(created.getTime()) ? created : undefined,
		...(image.SourceInstanceId ? {sourceInstanceId: image.SourceInstanceId} : {}),
		...(image.RootDeviceType === 'ebs'
			? {
					blockDevices: (image.BlockDeviceMappings ?? [])
						.filter((mapping) => mapping.Ebs)
						.map((mapping) => ({
							deviceName: mapping.DeviceName ?? '',
							snapshotId: mapping.Ebs?.SnapshotId || undefined,
							volumeSizeGiB: mapping.Ebs?.VolumeSize,
						})),
				}
			: {}),
	};
}
