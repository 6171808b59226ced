import {Box, Text} from 'ink';
import type {KeyHint} from './key-footer.js';

export type HelpOverlayProps = {
	title: string;
	keys: KeyHint[];
	/** Most lines the overlay may use (the frame must stay shorter than the terminal). */
	maxLines?: number | undefined;
};

/** Every key of the current screen, one per line, in a bordered box. Generic: props only. */
export function HelpOverlay({title, keys, maxLines}: HelpOverlayProps) {
	// Border (2) + title (1) + closing hint (1).
	const room = maxLines === undefined ? keys.length : Math.max(1, maxLines - 4);
	const shown = keys.length > room ? keys.slice(0, Math.max(0, room - 1)) : keys;
	const hidden = keys.length - shown.length;
	const keyWidth = Math.max(...keys.map((hint) => hint.key.length), 3);
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Text bold wrap="truncate-end">
				{title}
			</Text>
			{shown.map((hint) => (
				<Text key={hint.key} wrap="truncate-end">
					<Text bold>{hint.key.padEnd(keyWidth)}</Text> {hint.label}
				</Text>
			))}
			{hidden > 0 ? <Text dimColor>… {hidden} more (enlarge the terminal)</Text> : null}
			<Text dimColor wrap="truncate-end">
				? or esc closes this help
			</Text>
		</Box>
	);
}
