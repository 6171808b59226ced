/** A dialog drawn in place of the detail pane: a titled rule, its lines (at most `height` in all), a key hint. */
import {Box, Text} from 'ink';
import type {ReactNode} from 'react';

export type DialogFrameProps = {
	title: string;
	/** Keys that work in the dialog, one line at the bottom. */
	hint: string;
	width: number;
	/** Lines the dialog uses (rule and hint included). */
	height: number;
	/** The dialog's lines: wrapped messages may take several lines; what does not fit in `height` is clipped. */
	children: ReactNode;
};

export function DialogFrame({title, hint, width, height, children}: DialogFrameProps) {
	const room = Math.max(0, height - 2);
	const rule = `── ${title} `;
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{rule}
				{'─'.repeat(Math.max(0, width - rule.length))}
			</Text>
			<Box flexDirection="column" height={room} overflow="hidden">
				{children}
			</Box>
			<Text dimColor wrap="truncate-end">
				{hint}
			</Text>
		</Box>
	);
}
