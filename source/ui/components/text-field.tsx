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
 * (see editText), so there is exactly one input handler per screen.
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
				<Text color="red" wrap="truncate-end">
					✗ {invalidReason}
				</Text>
			) : null}
		</>
	);
}

export type EditKey = {backspace: boolean; delete: boolean; ctrl: boolean; meta: boolean};

/**
 * The value after a key press in a text field, or undefined when the key is not an edit.
 * Backspace arrives as `key.delete` from most terminals (0x7F): both erase the last character.
 * Printable input (several characters when pasted) is appended; control characters are dropped.
 * Ink hands over a burst of keys that arrive in one read as one input ("\x7f\x7f\x7f" when Backspace is
 * held or pressed quickly): every backspace in the burst erases one character.
 */
export function editText(value: string, input: string, key: EditKey): string | undefined {
	if (key.backspace || key.delete) {
		return value.slice(0, -1);
	}

	if (/^[\u0008\u007F]+$/.test(input)) {
		return value.slice(0, Math.max(0, value.length - input.length));
	}

	if (key.ctrl && input === 'u') {
		return '';
	}

	if (key.ctrl || key.meta) {
		return undefined;
	}

	const printable = input.replaceAll(/[\u0000-\u001F\u007F]/g, '');
	return printable.length > 0 ? value + printable : undefined;
}
