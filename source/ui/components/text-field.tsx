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

/**
 * A one-line text input, props only: the screen's reducer owns the value and applies the keys
 * (see ui/state/list-and-text.ts), so there is exactly one input handler per screen.
 */
export function TextField({label, value, focused, placeholder, invalidReason}: TextFieldProps) {
	return (
		<>
			<Text wrap="truncate-start">
				<Text bold>{label} </Text>
				{value.length === 0 && placeholder ? <Text dimColor>{placeholder}</Text> : <Text>{value}</Text>}
				{focused ? <Text inverse> </Text> : null}
			</Text>
			{invalidReason ? (
				<Text color="red" wrap="wrap">
					✗ {invalidReason}
				</Text>
			) : null}
		</>
	);
}
