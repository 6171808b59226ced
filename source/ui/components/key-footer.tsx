import {Box, Text} from 'ink';

export type KeyHint = {key: string; label: string};

/** The keys that work right now, on one line (cut at the terminal width rather than wrapping). */
export function KeyFooter({keys}: {keys: KeyHint[]}) {
	return (
		<Box>
			<Text wrap="truncate-end">
				{keys.map((hint, index) => (
					<Text key={hint.key}>
						{index > 0 ? '  ' : ''}
						<Text bold>{hint.key}</Text> {hint.label}
					</Text>
				))}
			</Text>
		</Box>
	);
}
