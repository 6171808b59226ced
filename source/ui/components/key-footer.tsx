import {Text} from 'ink';

export type KeyHint = {key: string; label: string};

const separator = '  ';

function hintWidth(hint: KeyHint): number {
	return [...hint.key].length + 1 + [...hint.label].length;
}

function totalWidth(keys: readonly KeyHint[]): number {
	return keys.reduce((sum, hint, index) => sum + hintWidth(hint) + (index > 0 ? separator.length : 0), 0);
}

/** "? help" and "q quit" / "ctrl+c quit": always shown (the help overlay lists the rest). */
function pinned(hint: KeyHint): boolean {
	return hint.key === '?' || hint.label === 'quit';
}

/**
 * The hints that fit in `width`, in order: the list is ordered by importance, so the last hints that are not pinned
 * (help, quit) are left out first.
 */
export function fitKeys(keys: readonly KeyHint[], width: number | undefined): KeyHint[] {
	const shown = [...keys];
	while (width !== undefined && totalWidth(shown) > width) {
		const index = shown.findLastIndex((hint) => !pinned(hint));
		if (index < 0) {
			break;
		}

		shown.splice(index, 1);
	}

	return shown;
}

/** The keys that work right now, on one line: least important hints left out to fit `width`, never wrapped. */
export function KeyFooter({keys, width}: {keys: KeyHint[]; width?: number | undefined}) {
	return (
		<Text wrap="truncate-end">
			{fitKeys(keys, width).map((hint, index) => (
				<Text key={hint.key}>
					{index > 0 ? separator : ''}
					<Text bold>{hint.key}</Text> {hint.label}
				</Text>
			))}
		</Text>
	);
}
