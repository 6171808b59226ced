/** DescribeInstances: one reservation per instance; filters, InstanceId.N, MaxResults / NextToken. */
import {SandboxError} from '../../contracts.js';
import type {ActionHandler} from '../action-context.js';
import {checkInstanceId} from '../ids.js';
import {applyFilters, checkDryRun, decodeToken, encodeToken, filters, integer, list, optional} from '../params.js';
import {instanceVolumes} from '../volumes.js';
import {type InstanceRecord, instanceStateCodes} from '../world.js';
import {ec2Time, el, itemSet, node} from '../xml.js';
import {instanceTags} from './tags.js';

function tags(instance: InstanceRecord): Array<{key: string; value: string}> {
	return Object.entries(instanceTags(instance)).map(([key, value]) => ({key, value}));
}

function fieldFor(name: string): ((instance: InstanceRecord) => string[]) | undefined {
	if (name.startsWith('tag:')) {
		const key = name.slice(4);
		return (instance) =>
			tags(instance)
				.filter((tag) => tag.key === key)
				.map((tag) => tag.value);
	}

	switch (name) {
		case 'instance-id': {
			return (instance) => [instance.id];
		}

		case 'platform': {
			return (instance) => (instance.platform === 'windows' ? ['windows'] : []);
		}

		case 'platform-details': {
			return (instance) => [instance.platform === 'windows' ? 'Windows' : 'Linux/UNIX'];
		}

		case 'root-device-type': {
			return (instance) => [instance.rootDeviceType];
		}

		case 'instance-state-name': {
			return (instance) => [instance.state];
		}

		case 'instance-state-code': {
			return (instance) => [String(instanceStateCodes[instance.state])];
		}

		case 'instance-type': {
			return (instance) => [instance.type];
		}

		case 'availability-zone': {
			return (instance) => [instance.availabilityZone];
		}

		case 'image-id': {
			return (instance) => [instance.imageId];
		}

		case 'architecture': {
			return (instance) => [instance.architecture];
		}

		case 'reservation-id': {
			return (instance) => [instance.reservationId];
		}

		case 'private-ip-address': {
			return (instance) => [instance.privateIpAddress];
		}

		case 'tag-key': {
			return (instance) => tags(instance).map((tag) => tag.key);
		}

		case 'tag-value': {
			return (instance) => tags(instance).map((tag) => tag.value);
		}

		default: {
			return undefined;
		}
	}
}

export function instanceXml(instance: InstanceRecord): string {
	const stopped = instance.state === 'stopped' || instance.state === 'stopping';
	const privateDns = `ip-${instance.privateIpAddress.replaceAll('.', '-')}.${instance.region === 'us-east-1' ? 'ec2.internal' : `${instance.region}.compute.internal`}`;
	return (
		el('instanceId', instance.id) +
		el('imageId', instance.imageId) +
		node('instanceState', el('code', instanceStateCodes[instance.state]), el('name', instance.state)) +
		el('privateDnsName', privateDns) +
		'<dnsName/>' +
		(stopped ? el('reason', `User initiated (${ec2Time(instance.launchTime)})`) : '<reason/>') +
		el('amiLaunchIndex', 0) +
		'<productCodes/>' +
		el('instanceType', instance.type) +
		el('launchTime', ec2Time(instance.launchTime)) +
		node('placement', el('availabilityZone', instance.availabilityZone), '<groupName/>', el('tenancy', 'default')) +
		(instance.platform === 'windows' ? el('platform', 'windows') : '') +
		node('monitoring', el('state', 'disabled')) +
		el('privateIpAddress', instance.privateIpAddress) +
		'<groupSet/>' +
		(stopped
			? node(
					'stateReason',
					el('code', 'Client.UserInitiatedShutdown'),
					el('message', 'Client.UserInitiatedShutdown: User initiated shutdown'),
				)
			: '') +
		el('architecture', instance.architecture) +
		el('rootDeviceType', instance.rootDeviceType) +
		el('rootDeviceName', '/dev/sda1') +
		itemSet(
			'blockDeviceMapping',
			instanceVolumes(instance).map(
				(volume) =>
					el('deviceName', volume.device) +
					node(
						'ebs',
						el('volumeId', volume.volumeId),
						el('status', 'attached'),
						el('attachTime', ec2Time(instance.launchTime)),
						el('deleteOnTermination', volume.device === '/dev/sda1'),
					),
			),
		) +
		el('virtualizationType', 'hvm') +
		itemSet(
			'tagSet',
			tags(instance).map((tag) => el('key', tag.key) + el('value', tag.value)),
		) +
		el('hypervisor', 'xen') +
		el('platformDetails', instance.platform === 'windows' ? 'Windows' : 'Linux/UNIX')
	);
}

export const describeInstances: ActionHandler = ({account, region, params}, {world}) => {
	const ids = list(params, 'InstanceId');
	const maxResults = integer(params, 'MaxResults');
	const nextToken = optional(params, 'NextToken');
	const filterList = filters(params);
	for (const id of ids) {
		checkInstanceId(id);
	}

	if (maxResults !== undefined) {
		if (ids.length > 0) {
			throw new SandboxError(
				'InvalidParameterCombination',
				'The parameter instancesSet cannot be used with the parameter maxResults',
			);
		}

		if (maxResults < 5 || maxResults > 1000) {
			throw new SandboxError(
				'InvalidParameterValue',
				`Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
			);
		}
	}

	const all = world.instances(account.id, region);
	const missing = ids.filter((id) => !all.some((instance) => instance.id === id));
	if (missing.length > 0) {
		throw new SandboxError(
			'InvalidInstanceID.NotFound',
			missing.length === 1
				? `The instance ID '${missing[0]}' does not exist`
				: `The instance IDs '${missing.join(', ')}' do not exist`,
		);
	}

	const selected = applyFilters(
		ids.length > 0 ? all.filter((instance) => ids.includes(instance.id)) : all,
		filterList,
		fieldFor,
		'InvalidParameterValue',
	);
	const fingerprint = JSON.stringify(filterList);
	const start = nextToken === undefined ? 0 : decodeToken(nextToken, fingerprint);
	checkDryRun(params);
	const end = maxResults === undefined ? selected.length : start + maxResults;
	const page = selected.slice(start, end);
	const reservations = page.map(
		(instance) =>
			el('reservationId', instance.reservationId) +
			el('ownerId', account.id) +
			'<groupSet/>' +
			itemSet('instancesSet', [instanceXml(instance)]),
	);
	return (
		itemSet('reservationSet', reservations) +
		(end < selected.length ? el('nextToken', encodeToken(end, fingerprint)) : '')
	);
};
