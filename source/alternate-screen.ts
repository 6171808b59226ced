/**
 * The dashboard draws in the terminal's alternate screen, as k9s and less do: the shell's screen comes back untouched
 * when it ends, and a resize cannot leave stale frames in the scrollback. Left on every way out: the dashboard's own
 * exit (the caller's finally), signals (they unmount, then the finally runs) and crashes (process 'exit').
 */

const enter = '\u001B[?1049h\u001B[H\u001B[2J';
const leave = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

/** Clears the whole screen and homes the cursor: what a resize and Ctrl+L do before the frame is drawn again. */
export const clearScreen = '\u001B[2J\u001B[3J\u001B[H';

type Writable = {write(text: string): unknown};
type ExitEvents = {
	once(event: 'exit', listener: () => void): unknown;
	off(event: 'exit', listener: () => void): unknown;
};

/** Switches `stream` to the alternate screen; the returned function switches back (once, however often it is called). */
export function enterAlternateScreen(stream: Writable, events: ExitEvents = process): () => void {
	let left = false;
	const restore = () => {
		if (left) {
			return;
		}

		left = true;
		events.off('exit', restore);
		stream.write(`${showCursor}${leave}`);
	};

	stream.write(enter);
	events.once('exit', restore);
	return restore;
}
