/** The sandbox's EC2 service in-process at full speed, for the benchmarks: no HTTP, one call() per action. */
import {defaultAccount, sandboxAccounts} from '../../source/sandbox/accounts.js';
import {createEc2Service} from '../../source/sandbox/ec2/service.js';
import {ec2ObjectAccess} from '../../source/sandbox/s3/ec2-access.js';
import {MultipartUploads} from '../../source/sandbox/s3/multipart.js';
import {createObjectStore} from '../../source/sandbox/s3/object-store.js';

export async function openBenchEc2(dir: string, imageSize: number) {
	const objects = await createObjectStore({dir, accounts: sandboxAccounts});
	const ec2 = await createEc2Service({
		dir,
		accounts: sandboxAccounts,
		objects,
		...ec2ObjectAccess(objects, new MultipartUploads(dir, objects)),
		pace: {bytesPerSecond: undefined, imageSize, stepDelayMs: 0},
	});
	/** Runs one EC2 action as the default account in us-east-1; throws on an error response. */
	const call = async (action: string, params: Record<string, string>) => {
		const response = await ec2.handle({
			account: defaultAccount,
			region: 'us-east-1',
			action,
			params: new URLSearchParams(params),
			requestId: 'bench',
		});
		if (response.status !== 200) {
			throw new Error(`${action} failed: ${response.body}`);
		}

		return response.body;
	};

	return {objects, ec2, call};
}
