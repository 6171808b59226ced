/** RegisterImage, DescribeImages, DeregisterImage (CopyImage is in copy-image.ts) */
import {SandboxError} from '../../contracts.js';
import type {ActionContext, ActionHandler} from '../action-context.js';
import {checkImageId, newImageId} from '../ids.js';
import {
	applyFilters,
	checkDryRun,
	decodeToken,
	encodeToken,
	filters,
	integer,
	list,
	optional,
	required,
} from '../params.js';
import {tagField, tagSetXml} from '../tag-params.js';
import {parseImageLocation, verifyBundle} from '../verify-bundle.js';
import type {ImageRecord} from '../world.js';
import {el, itemSet, node} from '../xml.js';

const amiNamePattern = /^[\w()[\] ./\-'@]{3,128}$/;

export function checkName(name: string): void {
	if (!amiNamePattern.test(name)) {
		throw new SandboxError(
			'InvalidAMIName.Malformed',
			`AMI name '${name.slice(0, 140)}' is invalid: it must be 3 to 128 characters long and contain only letters, numbers, spaces and ( ) [ ] . / - ' @ _`,
		);
	}
}

export function checkDescription(description: string | undefined): void {
	if (description !== undefined && description.length > 255) {
		throw new SandboxError(
			'InvalidParameterValue',
			'Value for parameter Description is invalid: it must be at most 255 characters long.',
		);
	}
}

export function checkUniqueName(context: ActionContext, accountId: string, region: string, name: string): void {
	const existing = context.world.images(accountId, region).find((image) => image.name === name);
	if (existing) {
		throw new SandboxError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${existing.imageId}`);
	}
}

export function notFound(ids: string[]): SandboxError {
	return new SandboxError(
		'InvalidAMIID.NotFound',
		ids.length === 1 ? `The image id '[${ids[0]}]' does not exist` : `The image ids '[${ids.join(', ')}]' do not exist`,
	);
}

export function imageXml(image: ImageRecord): string {
	return (
		el('imageId', image.imageId) +
		el('imageLocation', image.imageLocation) +
		el('imageState', image.state) +
		el('imageOwnerId', image.accountId) +
		el('creationDate', image.creationDate) +
		el('isPublic', false) +
		el('architecture', image.architecture) +
		el('imageType', 'machine') +
		el('platform', 'windows') +
		el('platformDetails', 'Windows') +
		el('usageOperation', 'RunInstances:0002') +
		(image.stateReason
			? node('stateReason', el('code', image.stateReason.code), el('message', image.stateReason.message))
			: '') +
		el('name', image.name) +
		el('description', image.description) +
		el('rootDeviceType', image.ebs ? 'ebs' : 'instance-store') +
		el('rootDeviceName', '/dev/sda1') +
		itemSet(
			'blockDeviceMapping',
			(image.ebs?.blockDevices ?? []).map(
				(device) =>
					el('deviceName', device.deviceName) +
					node(
						'ebs',
						el('deleteOnTermination', device.deviceName === '/dev/sda1'),
						el('snapshotId', device.snapshotId),
						el('volumeSize', device.volumeSizeGiB),
						el('volumeType', 'gp3'),
						el('encrypted', false),
					),
			),
		) +
		el('virtualizationType', 'hvm') +
		(image.ebs?.sourceInstanceId ? el('sourceInstanceId', image.ebs.sourceInstanceId) : '') +
		tagSetXml(image.tags) +
		el('hypervisor', 'xen')
	);
}

export const registerImage: ActionHandler = async ({account, region, params}, context) => {
	const name = required(params, 'Name');
	const location = optional(params, 'ImageLocation');
	const description = optional(params, 'Description');
	const architecture = optional(params, 'Architecture');
	if (location === undefined || location === '') {
		throw new SandboxError(
			'MissingParameter',
			'The request must contain the parameter ImageLocation (instance store-backed images are registered from a bundle manifest).',
		);
	}

	checkName(name);
	checkDescription(description);
	if (architecture !== undefined && architecture !== 'i386' && architecture !== 'x86_64') {
		throw new SandboxError(
			'InvalidParameterValue',
			`Value (${architecture.slice(0, 40)}) for parameter architecture is invalid. Instance store-backed images support i386 and x86_64.`,
		);
	}

	checkUniqueName(context, account.id, region, name);
	const parsed = parseImageLocation(location);
	const manifest = await verifyBundle(context.objects, parsed, account.id, region);
	// The world may have changed while the parts were read
	checkUniqueName(context, account.id, region, name);
	checkDryRun(params);
	const image: ImageRecord = {
		imageId: newImageId(),
		accountId: account.id,
		region,
		name,
		description,
		state: 'pending',
		stateReason: undefined,
		imageLocation: location,
		architecture: architecture ?? manifest.architecture,
		creationDate: new Date().toISOString(),
		copy: undefined,
	};
	context.world.state.images.push(image);
	await context.world.flush();
	context.imageJobs.makeAvailable(image);
	return el('imageId', image.imageId);
};

function imageField(name: string): ((image: ImageRecord) => string[]) | undefined {
	const tagReader = tagField<ImageRecord>(name, (image) => image.tags);
	if (tagReader) {
		return tagReader;
	}

	switch (name) {
		case 'name': {
			return (image) => [image.name];
		}

		case 'manifest-location': {
			return (image) => (image.ebs ? [] : [image.imageLocation]);
		}

		case 'image-id': {
			return (image) => [image.imageId];
		}

		case 'state': {
			return (image) => [image.state];
		}

		case 'architecture': {
			return (image) => [image.architecture];
		}

		case 'description': {
			return (image) => (image.description === undefined ? [] : [image.description]);
		}

		case 'owner-id': {
			return (image) => [image.accountId];
		}

		case 'platform': {
			return () => ['windows'];
		}

		case 'root-device-type': {
			return (image) => [image.ebs ? 'ebs' : 'instance-store'];
		}

		case 'block-device-mapping.snapshot-id': {
			return (image) => (image.ebs?.blockDevices ?? []).map((device) => device.snapshotId);
		}

		case 'image-type': {
			return () => ['machine'];
		}

		case 'is-public': {
			return () => ['false'];
		}

		case 'virtualization-type': {
			return () => ['hvm'];
		}

		case 'hypervisor': {
			return () => ['xen'];
		}

		default: {
			return undefined;
		}
	}
}

export const describeImages: ActionHandler = ({account, region, params}, {world}) => {
	const owners = list(params, 'Owner');
	const ids = list(params, 'ImageId');
	const filterList = filters(params);
	const maxResults = integer(params, 'MaxResults');
	const nextToken = optional(params, 'NextToken');
	for (const id of ids) {
		checkImageId(id);
	}

	if (maxResults !== undefined) {
		if (ids.length > 0) {
			throw new SandboxError(
				'InvalidParameterCombination',
				'The parameter ImageIds cannot be used with the parameter maxResults',
			);
		}

		if (maxResults < 5 || maxResults > 1000) {
			throw new SandboxError(
				'InvalidParameterValue',
				`Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
			);
		}
	}

	for (const owner of owners) {
		if (owner !== 'self' && owner !== 'amazon' && owner !== 'aws-marketplace' && !/^\d{12}$/.test(owner)) {
			throw new SandboxError('InvalidUserID.Malformed', `Invalid user id: "${owner}"`);
		}
	}

	const mine = world.images(account.id, region);
	const missing = ids.filter((id) => !mine.some((image) => image.imageId === id));
	if (missing.length > 0) {
		throw notFound(missing);
	}

	const ownedVisible = owners.length === 0 || owners.some((owner) => owner === 'self' || owner === account.id);
	const candidates = ownedVisible ? (ids.length > 0 ? mine.filter((image) => ids.includes(image.imageId)) : mine) : [];
	const selected = applyFilters(candidates, filterList, imageField, 'InvalidParameterValue');
	const fingerprint = JSON.stringify([owners, filterList]);
	const start = nextToken === undefined ? 0 : decodeToken(nextToken, fingerprint);
	checkDryRun(params);
	const end = maxResults === undefined ? selected.length : start + maxResults;
	return (
		itemSet(
			'imagesSet',
			selected.slice(start, end).map((image) => imageXml(image)),
		) + (end < selected.length ? el('nextToken', encodeToken(end, fingerprint)) : '')
	);
};

export const deregisterImage: ActionHandler = async ({account, region, params}, {world}) => {
	const imageId = required(params, 'ImageId');
	checkImageId(imageId);
	const image = world.image(account.id, region, imageId);
	if (!image) {
		throw notFound([imageId]);
	}

	checkDryRun(params);
	world.state.images = world.state.images.filter((candidate) => candidate !== image);
	await world.flush();
	return el('return', true);
};
