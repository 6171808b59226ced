/** Regions and instances: DescribeRegions, DescribeInstances (all pages) mapped to core Instance with eligibility. */
import {DescribeInstancesCommand, DescribeRegionsCommand, type Instance as Ec2Instance} from '@aws-sdk/client-ec2';
import type {Instance, InstanceState} from '../core/types.js';
import {type AwsContext, attempt} from './context.js';

export async function listRegions(context: AwsContext): Promise<string[]> {
	return attempt(context, {operation: 'DescribeRegions', region: context.defaultRegion}, async () => {
		const output = await context.clients.ec2(context.defaultRegion).send(new DescribeRegionsCommand({}));
		const names = (output.Regions ?? []).flatMap((region) => (region.RegionName ? [region.RegionName] : []));
		return names.sort((a, b) => a.localeCompare(b));
	});
}

/** All instances of the region, every page (pageSize = DescribeInstances MaxResults, 5..1000). */
export async function listInstances(
	context: AwsContext,
	region: string,
	signal?: AbortSignal,
	pageSize = 1000,
): Promise<Instance[]> {
	return attempt(context, {operation: 'DescribeInstances', region}, async () => {
		const client = context.clients.ec2(region);
		const instances: Instance[] = [];
		let nextToken: string | undefined;
		do {
			const page = await client.send(
				new DescribeInstancesCommand({MaxResults: pageSize, ...(nextToken ? {NextToken: nextToken} : {})}),
				signal ? {abortSignal: signal} : {},
			);
			for (const reservation of page.Reservations ?? []) {
				for (const instance of reservation.Instances ?? []) {
					const mapped = toInstance(instance, region);
					if (mapped) {
						instances.push(mapped);
					}
				}
			}

			nextToken = page.NextToken || undefined;
		} while (nextToken);

		return instances;
	});
}

const instanceStates = new Set<InstanceState>([
	'pending',
	'running',
	'stopping',
	'stopped',
	'shutting-down',
	'terminated',
]);

export function toInstance(instance: Ec2Instance, region: string): Instance | undefined {
	if (!instance.InstanceId) {
		return undefined;
	}

	const stateName = instance.State?.Name;
	const state: InstanceState = instanceStates.has(stateName as InstanceState)
		? (stateName as InstanceState)
		: 'pending';
	const windows =
		instance.Platform?.toLowerCase() === 'windows' || instance.PlatformDetails?.toLowerCase().startsWith('windows');
	const platform = windows ? 'windows' : 'linux';
	const rootDeviceType = instance.RootDeviceType === 'instance-store' ? 'instance-store' : 'ebs';
	const ineligibleReason = eligibilityProblem(platform, rootDeviceType, state);
	return {
		id: instance.InstanceId,
		region,
		name: instance.Tags?.find((tag) => tag.Key === 'Name')?.Value || undefined,
		type: instance.InstanceType ?? 'unknown',
		availabilityZone: instance.Placement?.AvailabilityZone ?? '',
		state,
		launchTime: instance.LaunchTime,
		platform,
		rootDeviceType,
		eligible: ineligibleReason === undefined,
		ineligibleReason,
	};
}

/** Why an instance cannot be bundled, or undefined when it can (running, instance store-backed Windows). */
export function eligibilityProblem(
	platform: Instance['platform'],
	rootDeviceType: Instance['rootDeviceType'],
	state: InstanceState,
): string | undefined {
	if (platform !== 'windows') {
		return 'Not Windows';
	}

	if (rootDeviceType !== 'instance-store') {
		return 'EBS-backed: use CreateImage instead';
	}

	if (state !== 'running') {
		return `Not running (${state})`;
	}

	return undefined;
}
