/** DescribeAvailabilityZones, and CreateTags / DeleteTags / DescribeTags for instances and images, with the SDK. */
import {
	CreateTagsCommand,
	DeleteTagsCommand,
	DescribeAvailabilityZonesCommand,
	DescribeInstancesCommand,
	DescribeTagsCommand,
	type EC2Client,
} from '@aws-sdk/client-ec2';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Sandbox} from '../../../source/sandbox/contracts.js';
import {ec2Client, startTestSandbox} from '../../helpers/sandbox.js';

let sandbox: Sandbox;
let ec2: EC2Client;
let instanceId: string;

beforeAll(async () => {
	sandbox = await startTestSandbox();
	ec2 = ec2Client(sandbox, 'ap-southeast-2');
	const described = await ec2.send(new DescribeInstancesCommand({}));
	instanceId = described.Reservations![0]!.Instances![0]!.InstanceId!;
});

afterAll(async () => {
	ec2.destroy();
	await sandbox.close();
});

describe('DescribeAvailabilityZones', () => {
	test('three available zones in the signing region, with AWS-style zone ids; filters and names', async () => {
		const all = await ec2.send(new DescribeAvailabilityZonesCommand({}));
		expect(all.AvailabilityZones?.map((zone) => [zone.ZoneName, zone.ZoneId, zone.State, zone.RegionName])).toEqual([
			['ap-southeast-2a', 'apse2-az1', 'available', 'ap-southeast-2'],
			['ap-southeast-2b', 'apse2-az2', 'available', 'ap-southeast-2'],
			['ap-southeast-2c', 'apse2-az3', 'available', 'ap-southeast-2'],
		]);
		const one = await ec2.send(
			new DescribeAvailabilityZonesCommand({Filters: [{Name: 'zone-id', Values: ['apse2-az2']}]}),
		);
		expect(one.AvailabilityZones?.map((zone) => zone.ZoneName)).toEqual(['ap-southeast-2b']);
		await expect(ec2.send(new DescribeAvailabilityZonesCommand({ZoneNames: ['us-east-1a']}))).rejects.toMatchObject({
			name: 'InvalidParameterValue',
		});
	});
});

describe('tags', () => {
	test('CreateTags on an instance: DescribeTags and DescribeInstances show them; Name renames it; DeleteTags removes', async () => {
		await ec2.send(
			new CreateTagsCommand({
				Resources: [instanceId],
				Tags: [
					{Key: 'env', Value: 'demo'},
					{Key: 'Name', Value: 'renamed'},
				],
			}),
		);
		const tags = await ec2.send(new DescribeTagsCommand({Filters: [{Name: 'resource-id', Values: [instanceId]}]}));
		expect(tags.Tags?.map((tag) => [tag.Key, tag.Value, tag.ResourceType])).toEqual([
			['Name', 'renamed', 'instance'],
			['env', 'demo', 'instance'],
		]);
		const instance = (await ec2.send(new DescribeInstancesCommand({InstanceIds: [instanceId]}))).Reservations![0]!
			.Instances![0]!;
		expect(instance.Tags).toEqual(
			expect.arrayContaining([
				{Key: 'env', Value: 'demo'},
				{Key: 'Name', Value: 'renamed'},
			]),
		);
		await ec2.send(new DeleteTagsCommand({Resources: [instanceId], Tags: [{Key: 'env'}]}));
		const after = await ec2.send(new DescribeTagsCommand({Filters: [{Name: 'key', Values: ['env']}]}));
		expect(after.Tags).toEqual([]);
	});

	test('an unknown resource: InvalidInstanceID.NotFound / InvalidAMIID.NotFound; DryRun', async () => {
		await expect(
			ec2.send(new CreateTagsCommand({Resources: ['i-0000000000000000f'], Tags: [{Key: 'a', Value: 'b'}]})),
		).rejects.toMatchObject({name: 'InvalidInstanceID.NotFound'});
		await expect(
			ec2.send(new CreateTagsCommand({Resources: ['ami-0000000000000000f'], Tags: [{Key: 'a', Value: 'b'}]})),
		).rejects.toMatchObject({name: 'InvalidAMIID.NotFound'});
		await expect(
			ec2.send(new CreateTagsCommand({Resources: [instanceId], Tags: [{Key: 'a', Value: 'b'}], DryRun: true})),
		).rejects.toMatchObject({name: 'DryRunOperation'});
	});
});
