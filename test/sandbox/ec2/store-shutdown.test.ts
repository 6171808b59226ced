/**
 * A store task the sandbox stops in the middle of a part: close() returns only once that part's write has ended, so
 * nothing writes into the data directory after close (a caller may remove it at once). The part write is held open
 * by a gate in the multipart writer, so the order is the same on every run.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {sandboxAccounts} from '../../../source/sandbox/accounts.js';
import type {Ec2Service, SandboxRegion} from '../../../source/sandbox/contracts.js';
import {createEc2Service} from '../../../source/sandbox/ec2/service.js';
import {ec2ObjectAccess} from '../../../source/sandbox/s3/ec2-access.js';
import {MultipartUploads} from '../../../source/sandbox/s3/multipart.js';
import {createObjectStore} from '../../../source/sandbox/s3/object-store.js';
import {eventLoopTurns, gate} from '../../helpers/gate.js';
import {waitFor} from '../../helpers/wait-for.js';

let dir: string | undefined;
afterEach(async () => {
	if (dir) {
		await rm(dir, {recursive: true, force: true});
		dir = undefined;
	}
});

const account = sandboxAccounts[0]!;
const region: SandboxRegion = 'us-east-1';

async function call(service: Ec2Service, action: string, params: Record<string, string>): Promise<string> {
	const response = await service.handle({
		account,
		region,
		action,
		params: new URLSearchParams(params),
		requestId: 'test',
	});
	expect(response.status, response.body).toBe(200);
	return response.body;
}

function firstTag(xml: string, tag: string): string | undefined {
	return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

test('close() waits for the store part being written when the sandbox stops', async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'bundledeck-store-shutdown-'));
	const accounts = sandboxAccounts.map((entry) => ({...entry}));
	const store = await createObjectStore({dir, accounts});
	const access = ec2ObjectAccess(store, new MultipartUploads(dir, store));
	const events: string[] = [];
	const started = gate();
	const release = gate();
	const service = await createEc2Service({
		dir,
		accounts,
		objects: store,
		openObjectStream: access.openObjectStream,
		multipart: {
			...access.multipart,
			async uploadPart(...args) {
				started.open();
				await release.opened;
				const etag = await access.multipart.uploadPart(...args);
				events.push('part written');
				return etag;
			},
		},
		pace: {bytesPerSecond: undefined, imageSize: 24 * 1024 * 1024, stepDelayMs: 1},
	});
	await store.createBucket(account.id, 'shutdown', region);
	const instances = await call(service, 'DescribeInstances', {});
	const ebsInstance =
		/<instanceId>(i-[0-9a-f]+)<\/instanceId>(?:(?!<\/item>\s*<\/instancesSet>)[\s\S])*?<rootDeviceType>ebs</.exec(
			instances,
		)?.[1];
	expect(ebsInstance).toBeDefined();
	const imageId = firstTag(
		await call(service, 'CreateImage', {InstanceId: ebsInstance!, Name: 'shutdown', NoReboot: 'true'}),
		'imageId',
	)!;
	await waitFor(
		async () => firstTag(await call(service, 'DescribeImages', {'ImageId.1': imageId}), 'imageState') === 'available',
		{
			timeout: 60_000,
		},
	);
	await call(service, 'CreateStoreImageTask', {ImageId: imageId, Bucket: 'shutdown'});
	await started.opened;

	const closing = service.close().then(() => events.push('closed'));
	await eventLoopTurns();
	release.open();
	await closing;
	expect(events).toEqual(['part written', 'closed']);
});
