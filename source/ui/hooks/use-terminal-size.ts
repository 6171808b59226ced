/**
 * The terminal size reaches the UI through a context: the app's root provides the real terminal's size (following
 * resize), tests provide any size (ink-testing-library's stdout is fixed at 100 columns with no rows).
 */
import {useStdout} from 'ink';
import {createContext, createElement, type ReactNode, useContext, useEffect, useState} from 'react';

export type TerminalSize = {columns: number; rows: number};

const fallback: TerminalSize = {columns: 80, rows: 24};

export const TerminalSizeContext = createContext<TerminalSize | undefined>(undefined);

/** The size the screens lay out for. Fallback 80x24. */
export function useTerminalSize(): TerminalSize {
	return useContext(TerminalSizeContext) ?? fallback;
}

function read(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows};
}

/** Provides the real terminal's size (ink 6 has no useWindowSize), unless an outer provider already gives one. */
export function TerminalSizeRoot({children}: {children: ReactNode}) {
	const outer = useContext(TerminalSizeContext);
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => read(stdout));
	useEffect(() => {
		if (outer) {
			return;
		}

		const onResize = () => {
			setSize(read(stdout));
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, outer]);
	return createElement(TerminalSizeContext.Provider, {value: outer ?? size}, children);
}
