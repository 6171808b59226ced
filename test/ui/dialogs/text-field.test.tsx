/**
 * NO_COLOR drops inverse video and bold: the focused field and the cursor must be marked with characters. The frames
 * are read without their ANSI codes, i.e. as a terminal without colour or attributes shows them.
 */
import {Box} from 'ink';
import {expect, test} from 'vitest';
import {TextField} from '../../../source/ui/components/text-field.js';
import {renderTui} from '../../helpers/render.js';

test('the focused field is marked with › and its cursor with ▏; an unfocused one has neither (issue 15 #8)', () => {
	const screen = renderTui(
		<Box flexDirection="column">
			<TextField label="Name" value="web01" focused />
			<TextField label="Description" value="" focused={false} placeholder="(optional)" />
		</Box>,
	);
	const lines = screen.lastFrame().split('\n');
	expect(lines[0]).toBe('› Name web01▏');
	expect(lines[1]).toBe('  Description (optional)');
	screen.unmount();
});

test('an empty focused field shows the cursor before its placeholder', () => {
	const screen = renderTui(<TextField label="Description" value="" focused placeholder="(optional)" />);
	expect(screen.lastFrame()).toBe('› Description ▏(optional)');
	screen.unmount();
});
