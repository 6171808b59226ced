/**
 * A full redraw: the screen cleared, then the whole frame written again. On every resize (a narrower terminal rewraps
 * the old frame into stale copies that Ink's line eraser cannot reach) and on Ctrl+L, as in k9s, less and shells.
 */
import {useInput, useStdin, useStdout} from 'ink';
import {useCallback, useEffect} from 'react';
import {clearScreen} from '../../alternate-screen.js';

export function useRedraw(): void {
	const {stdout, write} = useStdout();
	const {isRawModeSupported} = useStdin();
	// Ink's write() takes its frame away, writes this, and puts the whole frame back: the full redraw.
	const redraw = useCallback(() => {
		write(clearScreen);
	}, [write]);

	useEffect(() => {
		stdout.on('resize', redraw);
		return () => {
			stdout.off('resize', redraw);
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
