/**
 * Renders through ink-testing-library, with the terminal size given through the UI's size context (its stdout is
 * fixed at 100 columns with no rows): default 80x24, resize(), key presses with yields between writes, and waitFor
 * on frame content.
 */
import {render as inkTestRender} from 'ink-testing-library';
import type {ReactElement, ReactNode} from 'react';
import {useState} from 'react';
import {type TerminalSize, TerminalSizeContext} from '../../source/ui/hooks/use-terminal-size.js';
import {tick, waitFor} from './wait-for.js';

const ansi = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
	return text.replaceAll(ansi, '');
}

type Sizer = {size: TerminalSize; set?: (size: TerminalSize) => void};

function SizedTerminal({sizer, children}: {sizer: Sizer; children: ReactNode}) {
	const [size, setSize] = useState(sizer.size);
	sizer.set = (next) => {
		sizer.size = next;
		setSize(next);
	};

	return <TerminalSizeContext.Provider value={size}>{children}</TerminalSizeContext.Provider>;
}

type TestStdout = ReturnType<typeof inkTestRender>['stdout'];

export type Rendered = {
	/** The last frame without ANSI codes. */
	lastFrame(): string;
	frames: string[];
	/** Output written outside the frame (bells, OSC 9) and frames, raw. */
	stdout: TestStdout;
	/** The terminal size the UI is given now. */
	readonly size: TerminalSize;
	press(...sequence: string[]): Promise<void>;
	type(text: string): Promise<void>;
	resize(columns: number, rows: number): void;
	waitForFrame(match: string | RegExp | ((frame: string) => boolean), timeout?: number): Promise<string>;
	unmount(): void;
};

export function renderTui(tree: ReactElement, size: {columns?: number; rows?: number} = {}): Rendered {
	const sizer: Sizer = {size: {columns: size.columns ?? 80, rows: size.rows ?? 24}};
	const instance = inkTestRender(<SizedTerminal sizer={sizer}>{tree}</SizedTerminal>);
	const {stdin, stdout} = instance;
	const lastFrame = () => stripAnsi(stdout.lastFrame() ?? '');
	return {
		lastFrame,
		frames: stdout.frames,
		stdout,
		get size() {
			return sizer.size;
		},
		async press(...sequence) {
			for (const key of sequence) {
				await tick();
				stdin.write(key);
				await tick();
			}
		},
		async type(text) {
			for (const char of text) {
				await tick();
				stdin.write(char);
			}

			await tick();
		},
		resize(columns, rows) {
			sizer.set?.({columns, rows});
		},
		async waitForFrame(match, timeout) {
			const test =
				typeof match === 'string'
					? (frame: string) => frame.includes(match)
					: match instanceof RegExp
						? (frame: string) => match.test(frame)
						: match;
			return waitFor(
				() => {
					const frame = lastFrame();
					return test(frame) ? frame : undefined;
				},
				{timeout, message: () => `expected frame to match ${String(match)}; last frame:\n${lastFrame()}`},
			);
		},
		unmount() {
			instance.unmount();
			instance.cleanup();
		},
	};
}

/** Visible line count of a frame (what must stay below the terminal height). */
export function frameHeight(frame: string): number {
	return frame.split('\n').length;
}
