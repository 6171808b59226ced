import {Text} from 'ink';
import Spinner from 'ink-spinner';

export type SpinnerLineProps = {
	/** What is happening right now, e.g. "Loading instances in us-east-1…" */
	label: string;
};

/** One line: a spinner and what the tool is doing (for work of unknown length). */
export function SpinnerLine({label}: SpinnerLineProps) {
	return (
		<Text wrap="truncate-end">
			<Text color="cyan">
				<Spinner type="dots" />
			</Text>{' '}
			{label}
		</Text>
	);
}
