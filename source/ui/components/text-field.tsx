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
				<Text color="red" wrap="wrap">
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
 * held or pressed quickly, "ab\x7fc" when typing fast): each character is applied in turn, every backspace
 * erasing one character.
 */
export function editText(value: string, input: string, key: EditKey): string | undefined {
	if (key.backspace || key.delete) {
		return value.slice(0, -1);
	}

	if (key.ctrl && input === 'u') {
		return '';
	}

	if (key.ctrl || key.meta) {
		return undefined;
	}

	let next = [...value];
	let edited = false;
	for (const char of input) {
		if (char === '\u0008' || char === '\u007F') {
			next = next.slice(0, -1);
			edited = true;
		} else if (!/[\u0000-\u001F]/.test(char)) {
			next.push(char);
			edited = true;
		}
	}

	return edited ? next.join('') : undefined;
}
