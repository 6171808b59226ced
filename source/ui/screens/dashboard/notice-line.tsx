import {Text} from 'ink';
import {cursorMark} from '../../components/text-field.js';
import {WrappedText} from '../../components/wrapped-text.js';
import type {Notice} from '../../state/dashboard-state.js';

export type NoticeLineProps = {
	filter: string;
	filterEditing: boolean;
	/** Undefined when no notice is shown (none, or faded). */
	notice: Notice | undefined;
	width: number;
	maxLines: number;
};

/** The line under the status: the filter being typed or kept, else the latest notice (wrapped), else blank. */
export function NoticeLine({filter, filterEditing, notice, width, maxLines}: NoticeLineProps) {
	if (filterEditing || filter.length > 0) {
		return (
			<Text wrap="truncate-end">
				<Text bold>/ </Text>
				{filter}
				{/* A character, not an inverse space: NO_COLOR drops inverse video */}
				{filterEditing ? cursorMark : null}
				<Text dimColor> {filterEditing ? '(enter keeps, esc clears)' : '(esc clears)'}</Text>
			</Text>
		);
	}

	if (!notice) {
		return <Text> </Text>;
	}

	const color = notice.tone === 'error' ? 'red' : notice.tone === 'success' ? 'green' : undefined;
	return <WrappedText text={notice.text} width={width} maxLines={maxLines} color={color} id="notice" />;
}
