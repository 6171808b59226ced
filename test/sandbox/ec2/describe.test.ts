import {DescribeInstancesCommand, DescribeRegionsCommand, type Instance} from '@aws-sdk/client-ec2';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {type Fixture, failure, openSandbox, rawEc2} from './fixture.js';

let fixture: Fixture;

beforeAll(async () => {
	fixture = await openSandbox({pace: {imageSize: 4 * 1024 * 1024, stepDelayMs: 10, bytesPerSecond: undefined}});
});

afterAll(async () => {
	await fixture?.cleanup();
});

function names(instances: Instance[]): string[] {
	return instances.map((instance) => instance.Tags?.find((tag) => tag.Key === 'Name')?.Value ?? '?').sort();
}

async function instances(input: ConstructorParameters<typeof DescribeInstancesCommand>[0] = {}, region = 'us-east-1') {
	const output = await fixture.ec2(region).send(new DescribeInstancesCommand(input));
	return output.Reservations?.flatMap((reservation) => reservation.Instances ?? []) ?? [];
}

describe('DescribeRegions', () => {
	test('lists the four sandbox regions', async () => {
		const output = await fixture.ec2().send(new DescribeRegionsCommand({}));
		expect(output.Regions?.map((region) => region.RegionName).sort()).toEqual([
			'ap-southeast-2',
			'eu-west-1',
			'us-east-1',
			'us-west-2',
		]);
		expect(output.Regions?.[0]?.OptInStatus).toBe('opt-in-not-required');
		expect(output.Regions?.[0]?.Endpoint).toMatch(/^ec2\.[a-z\d-]+\.amazonaws\.com$/);
	});

	test('RegionNames and the region-name filter select', async () => {
		const byName = await fixture.ec2().send(new DescribeRegionsCommand({RegionNames: ['eu-west-1']}));
		expect(byName.Regions?.map((region) => region.RegionName)).toEqual(['eu-west-1']);
		const filtered = await fixture
			.ec2()
			.send(new DescribeRegionsCommand({Filters: [{Name: 'region-name', Values: ['us-*']}]}));
		expect(filtered.Regions?.map((region) => region.RegionName).sort()).toEqual(['us-east-1', 'us-west-2']);
	});

	test('an unknown region name is an InvalidParameterValue', async () => {
		const error = await failure(fixture.ec2().send(new DescribeRegionsCommand({RegionNames: ['mars-1']})));
		expect(error.name).toBe('InvalidParameterValue');
		expect(error.message).toContain('mars-1');
	});

	test('DryRun', async () => {
		const error = await failure(fixture.ec2().send(new DescribeRegionsCommand({DryRun: true})));
		expect(error).toMatchObject({
			name: 'DryRunOperation',
			message: 'Request would have succeeded, but DryRun flag is set.',
			status: 412,
		});
	});
});

describe('DescribeInstances', () => {
	test('seeded world: eligible and ineligible instances with full fields', async () => {
		const all = await instances();
		expect(names(all)).toEqual([
			'app01',
			'app02',
			'archive01',
			'build01',
			'dc01',
			'erp01',
			'file01',
			'hr01',
			'sql01',
			'web01',
			'web02',
		]);
		const web01 = all.find((instance) => instance.Tags?.some((tag) => tag.Value === 'web01'))!;
		expect(web01.InstanceId).toMatch(/^i-[\da-f]{17}$/);
		expect(web01).toMatchObject({
			InstanceType: 'm1.small',
			Platform: 'windows',
			RootDeviceType: 'instance-store',
			State: {Code: 16, Name: 'running'},
			Placement: {AvailabilityZone: 'us-east-1a'},
		});
		expect(web01.LaunchTime).toBeInstanceOf(Date);
		expect(web01.ImageId).toMatch(/^ami-/);
		const types = new Set(all.map((instance) => instance.InstanceType));
		const zones = new Set(all.map((instance) => instance.Placement?.AvailabilityZone));
		expect(types.size).toBeGreaterThanOrEqual(4);
		expect(zones).toEqual(new Set(['us-east-1a', 'us-east-1b', 'us-east-1c']));
		const dc01 = all.find((instance) => instance.Tags?.some((tag) => tag.Value === 'dc01'))!;
		expect(dc01.RootDeviceType).toBe('ebs');
		const build01 = all.find((instance) => instance.Tags?.some((tag) => tag.Value === 'build01'))!;
		expect(build01.Platform).toBeUndefined();
		const file01 = all.find((instance) => instance.Tags?.some((tag) => tag.Value === 'file01'))!;
		expect(file01.State).toEqual({Code: 80, Name: 'stopped'});
	});

	test('ids are deterministic across sandboxes and differ per region', async () => {
		const second = await openSandbox({pace: {imageSize: 1024 * 1024, stepDelayMs: 0, bytesPerSecond: undefined}});
		try {
			const mine = (await instances()).map((instance) => instance.InstanceId).sort();
			const theirs = (await second.ec2().send(new DescribeInstancesCommand({}))).Reservations?.flatMap(
				(reservation) => reservation.Instances ?? [],
			).map((instance) => instance.InstanceId);
			expect(theirs?.sort()).toEqual(mine);
		} finally {
			await second.cleanup();
		}

		const west = (await instances({}, 'us-west-2')).map((instance) => instance.InstanceId);
		const east = (await instances()).map((instance) => instance.InstanceId);
		expect(west.filter((id) => east.includes(id))).toEqual([]);
		expect((await instances({}, 'us-west-2'))[0]?.Placement?.AvailabilityZone).toMatch(/^us-west-2[abc]$/);
	});

	test('filters: platform + root-device-type + instance-state-name select the eligible ones', async () => {
		const eligible = await instances({
			Filters: [
				{Name: 'platform', Values: ['windows']},
				{Name: 'root-device-type', Values: ['instance-store']},
				{Name: 'instance-state-name', Values: ['running']},
			],
		});
		expect(names(eligible)).toEqual(['app01', 'app02', 'sql01', 'web01', 'web02']);
	});

	test('filters: tag:Name with wildcards, instance-id, several values', async () => {
		expect(names(await instances({Filters: [{Name: 'tag:Name', Values: ['web*']}]}))).toEqual(['web01', 'web02']);
		expect(names(await instances({Filters: [{Name: 'tag:Name', Values: ['sql01', 'dc01']}]}))).toEqual([
			'dc01',
			'sql01',
		]);
		const [first] = await instances({Filters: [{Name: 'tag:Name', Values: ['app02']}]});
		const byId = await instances({Filters: [{Name: 'instance-id', Values: [first!.InstanceId!]}]});
		expect(names(byId)).toEqual(['app02']);
		expect(names(await instances({Filters: [{Name: 'instance-state-name', Values: ['stopped']}]}))).toEqual([
			'file01',
			'hr01',
		]);
	});

	test('InstanceIds select; unknown and malformed ids are errors', async () => {
		const [first] = await instances({Filters: [{Name: 'tag:Name', Values: ['web02']}]});
		expect(names(await instances({InstanceIds: [first!.InstanceId!]}))).toEqual(['web02']);
		const notFound = await failure(instances({InstanceIds: ['i-0123456789abcdef0']}));
		expect(notFound).toMatchObject({name: 'InvalidInstanceID.NotFound', status: 400});
		expect(notFound.message).toContain('i-0123456789abcdef0');
		const malformed = await failure(instances({InstanceIds: ['web01']}));
		expect(malformed.name).toBe('InvalidInstanceID.Malformed');
	});

	test('an unknown filter is refused', async () => {
		const error = await failure(instances({Filters: [{Name: 'no-such-filter', Values: ['x']}]}));
		expect(error.name).toBe('InvalidParameterValue');
		expect(error.message).toContain("'no-such-filter'");
	});

	test('MaxResults / NextToken pages through every instance once', async () => {
		const seen: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const output = await fixture.ec2().send(new DescribeInstancesCommand({MaxResults: 5, NextToken: token}));
			pages++;
			for (const reservation of output.Reservations ?? []) {
				for (const instance of reservation.Instances ?? []) {
					seen.push(instance.InstanceId!);
				}
			}

			token = output.NextToken;
		} while (token);
		expect(pages).toBe(3);
		expect(seen).toHaveLength(11);
		expect(new Set(seen).size).toBe(11);
	});

	test('MaxResults out of range, with InstanceIds, and a bad NextToken are errors', async () => {
		expect((await failure(instances({MaxResults: 2}))).name).toBe('InvalidParameterValue');
		expect((await failure(instances({MaxResults: 5, InstanceIds: ['i-0123456789abcdef0']}))).name).toBe(
			'InvalidParameterCombination',
		);
		expect((await failure(instances({MaxResults: 5, NextToken: 'garbage'}))).name).toBe('InvalidPaginationToken');
	});

	test('DryRun reports success as DryRunOperation, but real errors first', async () => {
		expect((await failure(instances({DryRun: true}))).name).toBe('DryRunOperation');
		expect((await failure(instances({DryRun: true, InstanceIds: ['i-0123456789abcdef0']}))).name).toBe(
			'InvalidInstanceID.NotFound',
		);
	});

	test('the other account has its own instances', async () => {
		const output = await fixture.ec2('us-east-1', fixture.other).send(new DescribeInstancesCommand({}));
		const theirs = output.Reservations?.flatMap((reservation) => reservation.Instances ?? []) ?? [];
		const mine = await instances();
		expect(theirs).toHaveLength(11);
		expect(theirs.some((instance) => mine.some((own) => own.InstanceId === instance.InstanceId))).toBe(false);
		expect(output.Reservations?.[0]?.OwnerId).toBe(fixture.other.id);
	});
});

describe('protocol', () => {
	test('an unknown action is InvalidAction in EC2 error XML with a request id', async () => {
		const response = await rawEc2(fixture, {Action: 'LaunchRockets'});
		expect(response.status).toBe(400);
		expect(response.body).toMatch(
			/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action LaunchRockets is not valid for this web service\.<\/Message><\/Error><\/Errors><RequestID>[^<]+<\/RequestID><\/Response>$/,
		);
	});

	test('responses carry the 2016-11-15 namespace and the request id', async () => {
		const response = await rawEc2(fixture, {Action: 'DescribeRegions'});
		expect(response.status).toBe(200);
		expect(response.body).toContain('<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">');
		expect(response.body).toMatch(/<requestId>[^<]+<\/requestId><regionInfo><item><regionName>/);
	});

	test('MissingParameter names the parameter', async () => {
		const response = await rawEc2(fixture, {Action: 'BundleInstance'});
		expect(response.status).toBe(400);
		expect(response.body).toContain('<Code>MissingParameter</Code>');
		expect(response.body).toContain('InstanceId');
	});
});
