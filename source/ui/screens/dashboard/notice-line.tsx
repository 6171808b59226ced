import {Text} from 'ink';
import type {Notice} from '../../state/dashboard-state.js';

export type NoticeLineProps = {filter: string; filterEditing: boolean; notice: Notice | undefined; lines: string[]};

/** The line under the status: the filter being typed or kept, else the latest notice (wrapped), else blank. */
export function NoticeLine({filter, filterEditing, notice, lines}: NoticeLineProps) {
	if (filterEditing || filter.length > 0) {
		return (
			<Text wrap="truncate-end">
				<Text bold>/ </Text>
				{filter}
				{filterEditing ? <Text inverse> </Text> : null}
				<Text dimColor> {filterEditing ? '(enter keeps, esc clears)' : '(esc clears)'}</Text>
			</Text>
		);
	}

	if (!notice || lines.length === 0) {
		return <Text> </Text>;
	}

	const color = notice.tone === 'error' ? 'red' : notice.tone === 'success' ? 'green' : undefined;
	return (
		<>
			{lines.map((line, index) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: the lines of one notice, in order
				<Text key={index} wrap="truncate-end" color={color}>
					{line}
				</Text>
			))}
		</>
	);
}
