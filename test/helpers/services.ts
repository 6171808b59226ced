/**
 * The real Services (source/aws) pointed at an in-process sandbox region on a free port.
 * `close()` destroys the SDK clients, then stops the sandbox (and removes its temporary data directory).
 */
import {createServices} from '../../source/aws/services.js';
import type {Services} from '../../source/core/services.js';
import type {Sandbox, SandboxOptions} from '../../source/sandbox/contracts.js';
import {startTestSandbox} from './sandbox.js';

export type TestServices = {
	sandbox: Sandbox;
	services: Services;
	close(): Promise<void>;
};

export async function startTestServices(
	options: {sandbox?: SandboxOptions; region?: string; maxAttempts?: number} = {},
): Promise<TestServices> {
	const sandbox = await startTestSandbox(options.sandbox);
	let services: Services;
	try {
		services = await createServices({
			mode: 'sandbox',
			endpointUrl: sandbox.endpoint,
			credentials: sandbox.credentials,
			region: options.region ?? 'us-east-1',
			maxAttempts: options.maxAttempts,
			// Region and profile come from the options only, never from the developer's own AWS setup.
			env: {},
		});
	} catch (error) {
		await sandbox.close();
		throw error;
	}

	return {
		sandbox,
		services,
		async close() {
			services.close();
			await sandbox.close();
		},
	};
}
