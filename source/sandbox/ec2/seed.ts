/**
 * The seeded instances of every account and region: bundle-eligible ones (Windows, instance store-backed, running),
 * image -> S3 ones (Windows EBS-backed, running or stopped; erp01 with a 100 GiB data volume, archive01 with a
 * 1000 GiB one, big enough to meet the store quota) and ineligible ones (Linux, stopped instance store-backed).
 * Everything is derived from the account id and region, so ids are stable across restarts and machines.
 */
import {createHash} from 'node:crypto';
import {type SandboxAccount, sandboxRegions} from '../contracts.js';
import type {InstanceRecord, InstanceStateName} from './world.js';

type SeedSpec = {
	name: string;
	type: string;
	zone: 'a' | 'b' | 'c';
	state: InstanceStateName;
	platform: 'windows' | 'linux';
	rootDeviceType: 'instance-store' | 'ebs';
	architecture: 'x86_64' | 'i386';
	/** Days before the reference date */
	launchedDaysAgo: number;
	dataVolumeGiB?: number;
};

const seedSpecs: SeedSpec[] = [
	{
		name: 'web01',
		type: 'm1.small',
		zone: 'a',
		state: 'running',
		platform: 'windows',
		rootDeviceType: 'instance-store',
		architecture: 'i386',
		launchedDaysAgo: 41,
	},
	{
		name: 'web02',
		type: 'm1.large',
		zone: 'b',
		state: 'running',
		platform: 'windows',
		rootDeviceType: 'instance-store',
		architecture: 'x86_64',
		launchedDaysAgo: 37,
	},
	{
		name: 'app01',
		type: 'c1.medium',
		zone: 'c',
		state: 'running',
		platform: 'windows',
		rootDeviceType: 'instance-store',
		architecture: 'x86_64',
		launchedDaysAgo: 12,
	},
	{
		name: 'app02',
		type: 'm1.xlarge',
		zone: 'a',
		state: 'running',
		platform: 'windows',
		rootDeviceType: 'instance-store',
		architecture: 'x86_64',
		launchedDaysAgo: 9,
	},
	{
		name: 'sql01',
		type: 'c1.xlarge',
		zone: 'b',
		state: 'running',
		platform: 'windows',
		rootDeviceType: 'instance-store',
		architecture: 'x86_64',
		launchedDaysAgo: 120,
	},
	{
		name: 'dc01',
		type: 'm3.medium',
		zone: 'c',
		state: 'running',
		platform: 'windows',
		rootDeviceType: 'ebs',
		architecture: 'x86_64',
		launchedDaysAgo: 200,
	},
	{
		name: 'build01',
		type: 'c1.medium',
		zone: 'a',
		state: 'running',
		platform: 'linux',
		rootDeviceType: 'instance-store',
		architecture: 'x86_64',
		launchedDaysAgo: 3,
	},
	{
		name: 'file01',
		type: 'm1.medium',
		zone: 'b',
		state: 'stopped',
		platform: 'windows',
		rootDeviceType: 'instance-store',
		architecture: 'x86_64',
		launchedDaysAgo: 64,
	},
	{
		name: 'erp01',
		type: 'm5.xlarge',
		zone: 'a',
		state: 'running',
		platform: 'windows',
		rootDeviceType: 'ebs',
		architecture: 'x86_64',
		launchedDaysAgo: 88,
		dataVolumeGiB: 100,
	},
	{
		name: 'hr01',
		type: 't3.large',
		zone: 'b',
		state: 'stopped',
		platform: 'windows',
		rootDeviceType: 'ebs',
		architecture: 'x86_64',
		launchedDaysAgo: 150,
	},
	{
		name: 'archive01',
		type: 'r5.large',
		zone: 'c',
		state: 'running',
		platform: 'windows',
		rootDeviceType: 'ebs',
		architecture: 'x86_64',
		launchedDaysAgo: 230,
		dataVolumeGiB: 1000,
	},
];

/** Launch times are relative to a fixed date so the world is deterministic. */
const referenceTime = Date.UTC(2026, 9, 1, 8, 30, 0);

function hexDigest(...parts: string[]): string {
	return createHash('sha256').update(parts.join('\0')).digest('hex');
}

export function seedInstances(accounts: SandboxAccount[]): InstanceRecord[] {
	const instances: InstanceRecord[] = [];
	for (const account of accounts) {
		for (const region of sandboxRegions) {
			for (const [index, spec] of seedSpecs.entries()) {
				const hash = hexDigest('instance', account.id, region, spec.name);
				instances.push({
					id: `i-${hash.slice(0, 17)}`,
					accountId: account.id,
					region,
					name: spec.name,
					type: spec.type,
					availabilityZone: `${region}${spec.zone}`,
					state: spec.state,
					platform: spec.platform,
					rootDeviceType: spec.rootDeviceType,
					architecture: spec.architecture,
					imageId: `ami-${hexDigest('image', region, spec.platform, spec.rootDeviceType).slice(0, 17)}`,
					launchTime: new Date(
						referenceTime -
							spec.launchedDaysAgo * 86_400_000 +
							(index * 7919 + Number.parseInt(hash.slice(17, 21), 16)) * 1000,
					).toISOString(),
					privateIpAddress: `10.${sandboxRegions.indexOf(region)}.${index + 1}.${(Number.parseInt(hash.slice(21, 23), 16) % 250) + 4}`,
					reservationId: `r-${hash.slice(23, 40)}`,
					...(spec.dataVolumeGiB === undefined ? {} : {dataVolumeGiB: spec.dataVolumeGiB}),
				});
			}
		}
	}

	return instances;
}
