/**
 * What bundledeck says when AWS's answer to a call without a client token was lost and the SDK's retry found what the
 * first call had made (BundleInstance's task, RegisterImage's image): the CLI and the dashboard say it the same way.
 */

export function adoptedBundleLine(bundleId: string, instanceId: string, bucket: string, prefix: string): string {
	return `AWS's answer to BundleInstance was lost and the retry found task ${bundleId} already bundling ${instanceId} into s3://${bucket}/${prefix}: that is this bundle`;
}

export function adoptedImageLine(imageId: string, name: string, manifestLocation: string): string {
	return `AWS's answer to RegisterImage was lost and the retry found ${imageId} already registered as "${name}" from ${manifestLocation}: that is this image`;
}

/** The dashboard's shorter forms (its notice has two lines): the task or image is already named on the line. */
export const adoptedBundleNote =
	"BundleInstance's answer was lost: the retry found this task, which the first call started";

export const adoptedImageNote =
	"RegisterImage's answer was lost: the retry found this image, which the first call registered";
