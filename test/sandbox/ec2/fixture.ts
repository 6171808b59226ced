/** An in-process sandbox on port 0 plus real SDK clients for it, for the EC2 half's tests. */
import {createHash} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Sha256} from '@aws-crypto/sha256-js';
import {
	BundleInstanceCommand,
	type BundleTask,
	DescribeBundleTasksCommand,
	DescribeInstancesCommand,
	type EC2Client,
} from '@aws-sdk/client-ec2';
import type {S3Client} from '@aws-sdk/client-s3';
import {SignatureV4} from '@smithy/signature-v4';
import {signUploadPolicy} from '../../../source/core/upload-policy.js';
import type {Sandbox, SandboxAccount, SandboxOptions} from '../../../source/sandbox/contracts.js';
import {ec2Client, s3Client, startTestSandbox} from '../../helpers/sandbox.js';
import {waitFor} from '../../helpers/wait-for.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

export const mib = 1024 * 1024;

export type Fixture = {
	sandbox: Sandbox;
	dir: string;
	account: SandboxAccount;
	other: SandboxAccount;
	ec2(region?: string, account?: SandboxAccount): EC2Client;
	s3(region?: string, account?: SandboxAccount): S3Client;
	/** Closes the sandbox (the directory stays until cleanup()). */
	close(): Promise<void>;
	cleanup(): Promise<void>;
};

export async function makeDir(): Promise<string> {
	return mkdtemp(path.join(tmpdir(), 'bundledeck-ec2-test-'));
}

export async function openSandbox(options: SandboxOptions = {}): Promise<Fixture> {
	const dir = options.dir ?? (await makeDir());
	const sandbox = await startTestSandbox({...options, dir});
	const account = sandbox.accounts.find((candidate) => candidate.accessKeyId === sandbox.credentials.accessKeyId)!;
	const other = sandbox.accounts.find((candidate) => candidate.id !== account.id)!;
	const clients: Array<{destroy(): void}> = [];
	const credentialsOf = (who: SandboxAccount) => ({accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey});
	let closed = false;
	async function close(): Promise<void> {
		if (closed) {
			return;
		}

		closed = true;
		for (const client of clients) {
			client.destroy();
		}

		await sandbox.close();
	}

	return {
		sandbox,
		dir,
		account,
		other,
		ec2(region = 'us-east-1', who = account) {
			const client = ec2Client(sandbox, region, {credentials: credentialsOf(who), maxAttempts: 1});
			clients.push(client);
			return client;
		},
		s3(region = 'us-east-1', who = account) {
			const client = s3Client(sandbox, region, {credentials: credentialsOf(who), maxAttempts: 1});
			clients.push(client);
			return client;
		},
		close,
		async cleanup() {
			await close();
			await rm(dir, {recursive: true, force: true});
		},
	};
}

export async function instanceId(ec2: EC2Client, name: string): Promise<string> {
	const output = await ec2.send(new DescribeInstancesCommand({Filters: [{Name: 'tag:Name', Values: [name]}]}));
	const id = output.Reservations?.[0]?.Instances?.[0]?.InstanceId;
	if (!id) {
		throw new Error(`no seeded instance named ${name}`);
	}

	return id;
}

export async function instanceState(ec2: EC2Client, id: string): Promise<string | undefined> {
	const output = await ec2.send(new DescribeInstancesCommand({InstanceIds: [id]}));
	return output.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

/** BundleInstance with a policy signed like the AWS CLI does (the SDK gets the RAW policy JSON bytes). */
export async function startBundle(
	ec2: EC2Client,
	input: {
		instanceId: string;
		bucket: string;
		prefix: string;
		account: SandboxAccount;
		signWith?: string;
		dryRun?: boolean;
		/** Sign a policy for another prefix / expiry than the bundle's */
		policy?: {prefix?: string; expiration?: Date};
	},
): Promise<BundleTask> {
	const policy = signUploadPolicy(
		{
			bucket: input.bucket,
			prefix: input.policy?.prefix ?? input.prefix,
			expiration: input.policy?.expiration ?? new Date(Date.now() + 24 * 3_600_000),
		},
		input.signWith ?? input.account.secretAccessKey,
	);
	const output = await ec2.send(
		new BundleInstanceCommand({
			InstanceId: input.instanceId,
			Storage: {
				S3: {
					Bucket: input.bucket,
					Prefix: input.prefix,
					AWSAccessKeyId: input.account.accessKeyId,
					UploadPolicy: Buffer.from(policy.json, 'utf8'),
					UploadPolicySignature: policy.signature,
				},
			},
			DryRun: input.dryRun,
		}),
	);
	return output.BundleTask!;
}

export async function describeTask(ec2: EC2Client, bundleId: string): Promise<BundleTask> {
	const output = await ec2.send(new DescribeBundleTasksCommand({BundleIds: [bundleId]}));
	return output.BundleTasks![0]!;
}

export async function waitForTask(
	ec2: EC2Client,
	bundleId: string,
	until: (task: BundleTask) => boolean,
	seen?: BundleTask[],
): Promise<BundleTask> {
	let last: BundleTask | undefined;
	return waitFor(
		async () => {
			last = await describeTask(ec2, bundleId);
			seen?.push(last);
			return until(last) ? last : undefined;
		},
		{timeout: 45_000, interval: 20, message: () => `last task state: ${JSON.stringify(last)}`},
	);
}

export const finished = (task: BundleTask) => task.State === 'complete' || task.State === 'failed';

export function sha1(data: Uint8Array): string {
	return createHash('sha1').update(data).digest('hex');
}

/** Catches the SDK error of a call: {name, message, status}. */
export async function failure(
	promise: Promise<unknown>,
): Promise<{name: string; message: string; status: number | undefined}> {
	try {
		await promise;
	} catch (error) {
		const typed = error as {name: string; message: string; $metadata?: {httpStatusCode?: number}};
		return {name: typed.name, message: typed.message, status: typed.$metadata?.httpStatusCode};
	}

	throw new Error('expected the call to fail, it succeeded');
}

/** A raw, correctly signed EC2 Query request (for what the SDK cannot send, like an unknown action). */
export async function rawEc2(
	fixture: Fixture,
	params: Record<string, string>,
	region = 'us-east-1',
): Promise<{status: number; body: string}> {
	const url = new URL(fixture.sandbox.endpoint);
	const body = new URLSearchParams({Version: '2016-11-15', ...params}).toString();
	const signer = new SignatureV4({
		service: 'ec2',
		region,
		sha256: Sha256,
		credentials: {accessKeyId: fixture.account.accessKeyId, secretAccessKey: fixture.account.secretAccessKey},
	});
	const signed = await signer.sign({
		method: 'POST',
		protocol: url.protocol,
		hostname: url.hostname,
		port: Number(url.port),
		path: '/',
		headers: {host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8'},
		body,
	});
	const response = await fetch(`${fixture.sandbox.endpoint}/`, {
		method: 'POST',
		headers: signed.headers,
		body,
	});
	return {status: response.status, body: await response.text()};
}
