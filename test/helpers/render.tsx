/**
 * Render helper built like ink-testing-library (fake stdin/stdout handed to Ink's render in debug mode), plus what
 * ink-testing-library 4 cannot do: a sized terminal (default 80x24; its stdout is fixed at 100 columns and has no
 * rows), resize events, key presses with yields between writes, and waitFor on frame content.
 */
import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import type {ReactElement} from 'react';
import {tick, waitFor} from './wait-for.js';

const ansi = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
	return text.replaceAll(ansi, '');
}

class FakeStdout extends EventEmitter {
	columns: number;
	rows: number;
	readonly isTTY = true;
	readonly frames: string[] = [];
	lastFrame: string | undefined;

	constructor(columns: number, rows: number) {
		super();
		this.columns = columns;
		this.rows = rows;
	}

	write = (frame: string) => {
		this.frames.push(frame);
		this.lastFrame = frame;
		return true;
	};
}

class FakeStdin extends EventEmitter {
	readonly isTTY = true;
	private data: string | null = null;

	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};

	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

export type Rendered = {
	/** The last frame without ANSI codes. */
	lastFrame(): string;
	frames: string[];
	/** Output written outside the frame (bells, OSC 9) and frames, raw. */
	stdout: FakeStdout;
	press(...sequence: string[]): Promise<void>;
	type(text: string): Promise<void>;
	resize(columns: number, rows: number): void;
	waitForFrame(match: string | RegExp | ((frame: string) => boolean), timeout?: number): Promise<string>;
	unmount(): void;
};

export function renderTui(tree: ReactElement, size: {columns?: number; rows?: number} = {}): Rendered {
	const stdout = new FakeStdout(size.columns ?? 80, size.rows ?? 24);
	const stdin = new FakeStdin();
	const instance = inkRender(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new FakeStdout(80, 24) as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const lastFrame = () => stripAnsi(stdout.lastFrame ?? '');
	return {
		lastFrame,
		frames: stdout.frames,
		stdout,
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
			stdout.columns = columns;
			stdout.rows = rows;
			stdout.emit('resize');
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
