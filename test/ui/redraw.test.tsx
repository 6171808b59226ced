/**
 * Issue 15 #3: the dashboard runs in the alternate screen (left on every way out), and a resize or Ctrl+L clears the
 * screen and draws the whole frame again (no stale copies of an older frame).
 */
import {EventEmitter} from 'node:events';
import {Text} from 'ink';
import {afterEach, describe, expect, test} from 'vitest';
import {clearScreen, enterAlternateScreen} from '../../source/alternate-screen.js';
import {useRedraw} from '../../source/ui/hooks/use-redraw.js';
import {type Rendered, renderTui} from '../helpers/render.js';
import {waitFor} from '../helpers/wait-for.js';

describe('alternate screen', () => {
	test('entered once, left once: by the caller or by the process exit event (a crash)', () => {
		const written: string[] = [];
		const stream = {write: (text: string) => written.push(text)};
		const events = new EventEmitter();
		const leave = enterAlternateScreen(stream, events);
		expect(written.join('')).toContain('\u001B[?1049h');
		expect(events.listenerCount('exit')).toBe(1);
		events.emit('exit');
		leave();
		const output = written.join('');
		expect(output.split('\u001B[?1049l')).toHaveLength(2);
		expect(output.endsWith('\u001B[?1049l')).toBe(true);
		expect(output).toContain('\u001B[?25h');
		expect(events.listenerCount('exit')).toBe(0);
	});
});

function Screen() {
	useRedraw();
	return <Text>the frame</Text>;
}

let rendered: Rendered | undefined;
afterEach(() => {
	rendered?.unmount();
	rendered = undefined;
});

describe('full redraw', () => {
	const redraws = (ui: Rendered) => ui.frames.filter((frame) => frame.includes(clearScreen)).length;

	test('Ctrl+L clears the screen (Ink then writes the whole frame again)', async () => {
		const ui = renderTui(<Screen />);
		rendered = ui;
		await ui.waitForFrame('the frame');
		expect(redraws(ui)).toBe(0);
		await ui.press('\u000C');
		await waitFor(() => redraws(ui) === 1);
		// Ink's write() puts its whole frame back after the clear; ink-testing-library (debug mode) does not show that,
		// the tmux walk does.
	});

	test('a resize clears the screen too', async () => {
		const ui = renderTui(<Screen />);
		rendered = ui;
		await ui.waitForFrame('the frame');
		(ui.stdout as unknown as EventEmitter).emit('resize');
		await waitFor(() => redraws(ui) === 1);
	});
});
