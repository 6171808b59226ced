/**
 * A title made of phrases joined by " · " that fits the width whole: the long forms first, then the short forms, then
 * without the phrases that may go (in their order); only when even that is too wide does it take more lines, and then
 * it breaks between phrases, never inside one (unless one phrase alone is wider than the terminal).
 */
import {Text} from 'ink';
import type {ReactNode} from 'react';
import {wrapText} from './wrapped-text.js';

export type Phrase = {
	text: string;
	/** A shorter form, used before anything is left out. */
	short?: string | undefined;
	/** May be left out to fit: 1 goes first, then 2. Phrases without it always stay (what you typed, the counts). */
	drop?: 1 | 2 | undefined;
};

const separator = ' · ';

function cells(text: string): number {
	return [...text].length;
}

export function fitPhrases(phrases: readonly Phrase[], width: number): string[] {
	const forms = (short: boolean, dropped: number) =>
		phrases
			.filter((phrase) => (phrase.drop ?? Number.POSITIVE_INFINITY) > dropped)
			.map((phrase) => (short ? (phrase.short ?? phrase.text) : phrase.text));
	const tries = [forms(false, 0), forms(true, 0), forms(true, 1), forms(true, 2)];
	const oneLine = tries.find((texts) => cells(texts.join(separator)) <= width);
	if (oneLine) {
		return [oneLine.join(separator)];
	}

	// On more lines there is room for what the last try left out, but not for the extras.
	const lines: string[] = [];
	for (const text of forms(true, 1)) {
		const last = lines.at(-1);
		if (last !== undefined && cells(last + separator + text) <= width) {
			lines[lines.length - 1] = last + separator + text;
		} else if (cells(text) <= width) {
			lines.push(text);
		} else {
			lines.push(...wrapText(text, width));
		}
	}

	return lines;
}

/** One <Text> per line of fitPhrases (screens count them to budget their rows). */
export function phraseLines(phrases: readonly Phrase[], width: number, id = 'title'): ReactNode[] {
	return fitPhrases(phrases, width).map((line, index) => (
		// biome-ignore lint/suspicious/noArrayIndexKey: the lines of one title, in order
		<Text key={`${id}-${index}`} wrap="truncate-end">
			{line}
		</Text>
	));
}
