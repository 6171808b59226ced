import {Box, Text} from 'ink';
import {safeText} from '../../core/terminal-text.js';
import {listWindow} from '../state/list-and-text.js';

export type SelectListItem = {
	key: string;
	/** One line; cut at the terminal width rather than wrapped. */
	label: string;
	/** Shown dimmed and never highlighted (the caller keeps the selection off it). */
	disabled?: boolean | undefined;
	/** Shown in yellow after the label, e.g. a warning about this item. */
	note?: string | undefined;
};

export type SelectListProps = {
	items: SelectListItem[];
	/** Index of the highlighted item, -1 for none. */
	selectedIndex: number;
	/** Most lines the list may use, the scroll line included. */
	height: number;
	/** Whether the list has the keyboard (dims the marker otherwise). */
	focused?: boolean | undefined;
};

/**
 * A windowed list (never taller than `height`), props only: the caller owns the selection and the keys. Kept beside
 * ChoiceList (ink-select-input) for the instance list, whose non-selectable rows are shown dimmed with their reason.
 */
export function SelectList({items, selectedIndex, height, focused = true}: SelectListProps) {
	const {start, end, more} = listWindow(items.length, selectedIndex, height);
	const visible = items.slice(start, end);

	return (
		<Box flexDirection="column">
			{visible.map((item, offset) => {
				const selected = start + offset === selectedIndex;
				return (
					<Text key={item.key} wrap="truncate-end" dimColor={item.disabled} inverse={selected && focused}>
						{selected ? '› ' : '  '}
						{safeText(item.label)}
						{item.note ? <Text color="yellow"> {item.note}</Text> : null}
					</Text>
				);
			})}
			{more === undefined ? null : (
				<Text dimColor wrap="truncate-end">
					{more}
				</Text>
			)}
		</Box>
	);
}
