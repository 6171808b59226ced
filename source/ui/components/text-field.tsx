import {Text} from 'ink';

export type TextFieldProps = {
	label: string;
	value: string;
	/** Whether keys go to this field now (shows the cursor). */
	focused: boolean;
	placeholder?: string | undefined;
	/** Shown under the value's line in red when set (live validation). */
	invalidReason?: string | undefined;
};

/** The marks of focus and of the cursor: characters, so they show without colour or inverse video (NO_COLOR). */
export const focusMark = '› ';
export const cursorMark = '▏';

/**
 * A one-line text input, props only: the screen's reducer owns the value and applies the keys
 * (see ui/state/list-and-text.ts), so there is exactly one input handler per screen.
 */
export function TextField({label, value, focused, placeholder, invalidReason}: TextFieldProps) {
	return (
		<>
			<Text wrap="truncate-start">
				{focused ? focusMark : '  '}
				<Text bold>{label} </Text>
				{value.length === 0 && placeholder && !focused ? <Text dimColor>{placeholder}</Text> : <Text>{value}</Text>}
				{focused ? cursorMark : null}
				{value.length === 0 && placeholder && focused ? <Text dimColor>{placeholder}</Text> : null}
			</Text>
			{invalidReason ? (
				<Text color="red" wrap="wrap">
					✗ {invalidReason}
				</Text>
			) : null}
		</>
	);
}
