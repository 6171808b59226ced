/**
 * A full redraw: the screen cleared, then the whole frame written again. On every resize (a narrower terminal rewraps
 * the old frame into stale copies that Ink's line eraser cannot reach) and on Ctrl+L, as in k9s, less and shells.
 */
import {useInput, useStdin, useStdout} from 'ink';
import {useCallback, useEffect} from 'react';
import {clearScreen} from '../../alternate-screen.js';
import {startTimer} from '../../core/timers.js';

const resizeSettleMs = 50;

export function useRedraw(): void {
	const {stdout, write} = useStdout();
	const {isRawModeSupported} = useStdin();
	// Ink's write() takes its frame away, writes this, and puts the whole frame back: the full redraw.
	const redraw = useCallback(() => {
		write(clearScreen);
	}, [write]);

	useEffect(() => {
		// After the frame for the new size is laid out (the size reaches the screens through a state update), and once
		// per burst of resize events: a clear before it would be followed by Ink's frame laid out for the old width.
		let timer: ReturnType<typeof setTimeout> | undefined;
		const onResize = () => {
			clearTimeout(timer);
			timer = startTimer(redraw, resizeSettleMs);
		};

		stdout.on('resize', onResize);
		return () => {
			clearTimeout(timer);
			stdout.off('resize', onResize);
		};
	}, [stdout, redraw]);

	useInput(
		(input, key) => {
			if (key.ctrl && input === 'l') {
				redraw();
			}
		},
		{isActive: isRawModeSupported},
	);
}
