/**
 * A plain choice list (regions, destination buckets, the copy method), drawn by ink-select-input. The screen's
 * reducer owns the cursor and the keys (isFocused is false), so key bursts and the one screen pattern hold; the
 * list is windowed here to `height` lines, with a line saying how many rows are above and below.
 */
import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import {listWindow} from '../state/list-and-text.js';

export type ChoiceItem = {
	key: string;
	/** One line; cut at the terminal width rather than wrapped. */
	label: string;
	/** Shown in yellow after the label, e.g. a warning about this item. */
	note?: string | undefined;
};

export type ChoiceListProps = {
	items: ChoiceItem[];
	/** Index of the highlighted item, -1 for none. */
	selectedIndex: number;
	/** Most lines the list may use, the scroll line included. */
	height: number;
	/** Whether the list has the keyboard (the highlight is shown inverse only then). */
	focused?: boolean | undefined;
};

type ItemProps = {isSelected?: boolean; label: string; value?: string | undefined};

function marker({isSelected}: {isSelected?: boolean}) {
	return <Text>{isSelected ? '› ' : '  '}</Text>;
}

function Row({isSelected = false, label, value: note, inverse}: ItemProps & {inverse: boolean}) {
	return (
		<Text wrap="truncate-end" inverse={inverse && isSelected}>
			{label}
			{note ? <Text color="yellow"> {note}</Text> : null}
		</Text>
	);
}

function FocusedItem(props: ItemProps) {
	return <Row {...props} inverse />;
}

function UnfocusedItem(props: ItemProps) {
	return <Row {...props} inverse={false} />;
}

const NoMarker = () => <Text>{'  '}</Text>;

export function ChoiceList({items, selectedIndex, height, focused = true}: ChoiceListProps) {
	const {start, end, more} = listWindow(items.length, selectedIndex, height);
	const visible = items.slice(start, end);
	const none = selectedIndex < 0;

	return (
		<Box flexDirection="column">
			<SelectInput
				// initialIndex is read at mount only, and SelectInput moves its highlight to the top when its items' values
				// (the notes) change: a new key per cursor and per list draws the reducer's cursor (issue 15 #7).
				key={`${start}:${selectedIndex}:${visible.map((item) => `${item.key}=${item.note ?? ''}`).join('\n')}`}
				items={visible.map((item) => ({key: item.key, label: item.label, value: item.note}))}
				initialIndex={none ? 0 : selectedIndex - start}
				isFocused={false}
				indicatorComponent={none ? NoMarker : marker}
				itemComponent={focused && !none ? FocusedItem : UnfocusedItem}
			/>
			{more === undefined ? null : (
				<Text dimColor wrap="truncate-end">
					{more}
				</Text>
			)}
		</Box>
	);
}
