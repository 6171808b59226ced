/** Issue 14 item 9: before the first poll answered, the wait status line does not say "complete". */
import {expect, test} from 'vitest';
import {statusText} from '../../source/commands/wait.js';

const bar = () => '[----]';

test('no answer yet, with a problem: "no answer from AWS yet · retrying", never "complete"', () => {
	const line = statusText([], Date.now(), 'connection refused', {}, bar);
	expect(line).not.toContain('complete');
	expect(line).toContain('no answer from AWS yet · retrying: connection refused');
});

test('once every task is complete it says so', () => {
	const at = new Date();
	const task = {
		bundleId: 'bun-1a2b3c4d',
		instanceId: 'i-0123456789abcdef0',
		region: 'us-east-1',
		state: 'complete' as const,
		progress: 100,
		startTime: at,
		updateTime: at,
		bucket: 'b',
		prefix: 'p',
		error: undefined,
	};
	expect(statusText([task], Date.now(), undefined, {}, bar)).toMatch(/complete$/);
});
