import {Box, Text} from 'ink';
import type {KeyHint} from './key-footer.js';
import {wrapText} from './wrapped-text.js';

export type HelpOverlayProps = {
	title: string;
	keys: KeyHint[];
	/** Most lines the overlay may use (the frame must stay shorter than the terminal). */
	maxLines?: number | undefined;
	/** Terminal width: given, each entry wraps under its key instead of being cut. */
	width?: number | undefined;
	/** First line shown (↑↓ scroll it); given, nothing is hidden: a help longer than the room scrolls. */
	scroll?: number | undefined;
	/** The keys that close it, for the last line ('? or esc' for a help). */
	closeKeys?: string | undefined;
};

// Border (2) + title (1) + closing hint (1); border and padding take 4 columns.
const chrome = 4;

function keyWidthOf(keys: KeyHint[]): number {
	return Math.max(...keys.map((hint) => hint.key.length), 3);
}

/** The help's lines for a terminal width: one entry per line, wrapped under its key when too long. */
export function helpLines(keys: KeyHint[], width: number | undefined): Array<{key: string; text: string}> {
	const keyWidth = keyWidthOf(keys);
	return keys.flatMap((hint) => {
		const full = `${hint.key.padEnd(keyWidth)} ${hint.label}`;
		const wrapped = width === undefined ? [full] : wrapText(full, width - chrome, keyWidth + 1);
		return wrapped.map((text, index) => ({key: `${hint.key}-${index}`, text}));
	});
}

/** Lines of entries the overlay has room for. */
export function helpRoom(maxLines: number): number {
	return Math.max(1, maxLines - chrome);
}

/** The largest useful scroll: the last entry on the last line. */
export function helpScrollMax(keys: KeyHint[], width: number, maxLines: number): number {
	return Math.max(0, helpLines(keys, width).length - helpRoom(maxLines));
}

/** Every key of the current screen, one per line, in a bordered box. Generic: props only. */
export function HelpOverlay({title, keys, maxLines, width, scroll, closeKeys = '? or esc'}: HelpOverlayProps) {
	const lines = helpLines(keys, width);
	const room = maxLines === undefined ? lines.length : helpRoom(maxLines);
	const scrolls = scroll !== undefined && lines.length > room;
	const start = scrolls ? Math.min(Math.max(0, scroll), lines.length - room) : 0;
	const shown = scrolls ? lines.slice(start, start + room) : lines.length > room ? lines.slice(0, room - 1) : lines;
	const hidden = scrolls ? 0 : lines.length - shown.length;
	const keyWidth = keyWidthOf(keys);
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Text bold wrap="truncate-end">
				{title}
			</Text>
			{shown.map((line) => (
				<Text key={line.key} wrap="truncate-end">
					<Text bold>{line.text.slice(0, keyWidth)}</Text>
					{line.text.slice(keyWidth)}
				</Text>
			))}
			{hidden > 0 ? <Text dimColor>… {hidden} more (enlarge the terminal)</Text> : null}
			<Text dimColor wrap="truncate-end">
				{scrolls
					? `↑↓ scroll · lines ${start + 1}-${start + shown.length} of ${lines.length} · ${closeKeys} closes`
					: `${closeKeys} closes`}
			</Text>
		</Box>
	);
}
