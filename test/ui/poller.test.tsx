/** usePoller schedules through startTimer: a delay Node cannot honour never turns the poll loop into a tight loop. */
import {Text} from 'ink';
import {afterEach, expect, test} from 'vitest';
import {usePoller} from '../../source/ui/hooks/use-poller.js';
import {type Rendered, renderTui} from '../helpers/render.js';
import {waitFor} from '../helpers/wait-for.js';

let rendered: Rendered | undefined;
afterEach(() => {
	rendered?.unmount();
	rendered = undefined;
});

const counts = {polls: 0, results: 0};

function Poller() {
	usePoller<number>({
		key: 'k',
		async poll() {
			counts.polls++;
			return counts.polls;
		},
		onResult() {
			counts.results++;
		},
		failed: () => false,
		// e.g. an idle interval computed from a far-off time
		interval: () => 2 ** 32,
		backoff: {baseMs: 10, maxMs: 10},
	});
	return <Text>polling</Text>;
}

test('an interval over 2^31-1 ms waits (clamped) instead of firing at once', async () => {
	rendered = renderTui(<Poller />);
	await waitFor(() => counts.results === 1);
	// Give a mis-scheduled timer (Node fires an overflowing one after 1 ms) many chances to fire.
	for (let index = 0; index < 20; index++) {
		await new Promise((resolve) => {
			setTimeout(resolve, 5);
		});
	}

	expect(counts.polls).toBe(1);
});
