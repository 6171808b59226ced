import {describe, expect, test} from 'vitest';
import {failureReason} from '../../source/commands/waiter.js';
import type {BundleTask} from '../../source/core/types.js';

const base: BundleTask = {
	bundleId: 'bun-0a1b2c3d',
	instanceId: 'i-0123456789abcdef0',
	region: 'us-east-1',
	state: 'failed',
	progress: 63,
	startTime: new Date('2026-01-01T00:00:00Z'),
	updateTime: new Date('2026-01-01T00:10:00Z'),
	bucket: 'my-amis',
	prefix: 'win',
	error: undefined,
};

function failed(code: string, message: string): BundleTask {
	return {...base, error: {code, message}};
}

describe('a failed bundle task: what failed, why, and what to do', () => {
	test('an expired upload policy points to --expiry', () => {
		expect(
			failureReason(
				failed(
					'Client.AccessDenied',
					'S3 refused the upload of win.part.00: Invalid according to Policy: Policy expired.',
				),
			),
		).toBe(
			'bundle task bun-0a1b2c3d failed: Client.AccessDenied: S3 refused the upload of win.part.00: Invalid according to Policy: Policy expired — the upload policy expired before EC2 stored the bundle: bundle again with a longer --expiry (default 24h)',
		);
	});

	test("another account's bucket points to a bucket you own", () => {
		expect(failureReason(failed('Client.AccessDenied', 'Bucket x belongs to another AWS account.'))).toMatch(
			/ — bundle again into a bucket you own/,
		);
		// The task's own message already says what to do: not said twice.
		expect(
			failureReason(failed('Client.AccessDenied', 'Bucket x belongs to another AWS account. Use a bucket you own.')),
		).toBe(
			'bundle task bun-0a1b2c3d failed: Client.AccessDenied: Bucket x belongs to another AWS account. Use a bucket you own',
		);
	});

	test('a cancelled task says cancelled (as the dashboard does) and gets no remedy; an unknown failure says to bundle again', () => {
		expect(failureReason(failed('Client.Cancelled', 'The bundle task was cancelled by the user.'))).toBe(
			'bundle task bun-0a1b2c3d was cancelled (Client.Cancelled), so it will not complete',
		);
		expect(failureReason(failed('Server.InternalError', 'Disk read error'))).toMatch(/ — bundle the instance again/);
		expect(failureReason({...base, state: 'cancelling'})).toBe(
			'bundle task bun-0a1b2c3d is being cancelled, so it will not complete',
		);
	});
});
