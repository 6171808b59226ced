/**
 * The reducer owns the cursor; ink-select-input resets its own highlight to the top when its items change. A list
 * replaced by another at the same place (the migrate dialog's esc from the method step back to the regions) must
 * still show the reducer's cursor, or the next arrow seems dropped (issue 15 #7).
 */
import {render} from 'ink-testing-library';
import {expect, test} from 'vitest';
import {ChoiceList} from '../../../source/ui/components/choice-list.js';
import {stripAnsi} from '../../helpers/render.js';
import {tick} from '../../helpers/wait-for.js';

const methods = [
	{key: 'copy-image', label: 'CopyImage'},
	{key: 'copy-bundle', label: 'Copy the bundle'},
];
const regions = [
	{key: 'ap-southeast-2', label: 'ap-southeast-2'},
	{key: 'eu-west-1', label: 'eu-west-1'},
	{key: 'us-west-2', label: 'us-west-2'},
];

test('other items at the same place, same cursor: the highlight is on the cursor row', async () => {
	const screen = render(<ChoiceList items={methods} selectedIndex={1} height={5} />);
	await tick();
	expect(stripAnsi(screen.lastFrame() ?? '')).toContain('› Copy the bundle');
	screen.rerender(<ChoiceList items={regions} selectedIndex={1} height={5} />);
	await tick();
	await tick();
	const frame = stripAnsi(screen.lastFrame() ?? '');
	expect(frame).toContain('› eu-west-1');
	expect(frame).not.toContain('› ap-southeast-2');
	screen.unmount();
});

test('the same rows with other notes (the bucket list for an instance in another region) keep the cursor', async () => {
	const rows = (note: string | undefined) => [
		{key: 'a', label: 'bucket-a', note},
		{key: 'b', label: 'bucket-b'},
	];
	const screen = render(<ChoiceList items={rows(undefined)} selectedIndex={1} height={5} />);
	await tick();
	screen.rerender(<ChoiceList items={rows('✗ not the instance region')} selectedIndex={1} height={5} />);
	await tick();
	await tick();
	expect(stripAnsi(screen.lastFrame() ?? '')).toContain('› bucket-b');
	screen.unmount();
});
