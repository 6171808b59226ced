/** A dialog drawn in place of the detail pane: a titled rule, its lines (at most `height` in all), a key hint. */
import {Box, Text} from 'ink';
import {Children, type ReactNode} from 'react';

export type DialogFrameProps = {
	title: string;
	/** Keys that work in the dialog, one line at the bottom. */
	hint: string;
	width: number;
	/** Most lines the dialog may use (rule and hint included). */
	height: number;
	children: ReactNode;
};

export function DialogFrame({title, hint, width, height, children}: DialogFrameProps) {
	const lines = Children.toArray(children).filter(Boolean);
	const room = Math.max(0, height - 2);
	const shown = lines.slice(0, room);
	const rule = `── ${title} `;
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{rule}
				{'─'.repeat(Math.max(0, width - rule.length))}
			</Text>
			{shown}
			<Text dimColor wrap="truncate-end">
				{hint}
			</Text>
		</Box>
	);
}
