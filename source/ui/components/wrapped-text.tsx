/**
 * Messages, reasons and detail lines wrap at the terminal width instead of being cut with "…". The wrapping is done
 * here (not by Ink) so that screens know how many lines a message takes and can budget their rows: the frame must
 * stay shorter than the terminal. Continuation lines can be indented (a hanging indent under a label).
 */
import {Text} from 'ink';
import type {ReactNode} from 'react';

function cells(text: string): number {
	return [...text].length;
}

/**
 * `text` wrapped at spaces into lines of at most `width` characters (words longer than a line are split);
 * lines after the first start with `indent` spaces. At least one line.
 */
export function wrapText(text: string, width: number, indent = 0): string[] {
	const limit = Math.max(1, width);
	const pad = ' '.repeat(indent < limit - 4 ? Math.max(0, indent) : 0);
	const lines: string[] = [];
	let current = '';
	let fresh = true;
	const push = () => {
		lines.push(current);
		current = pad;
		fresh = true;
	};

	for (const word of text.split(' ')) {
		const candidate = fresh ? current + word : `${current} ${word}`;
		if (cells(candidate) <= limit) {
			current = candidate;
			fresh = false;
			continue;
		}

		if (cells(pad + word) <= limit) {
			// Fits on a line of its own: start one.
			push();
			current += word;
			fresh = false;
			continue;
		}

		// Longer than a line: split it, starting right here.
		if (!fresh) {
			current += ' ';
		}

		let rest = [...word];
		while (rest.length > 0) {
			const room = Math.max(1, limit - cells(current));
			// Paths break after a '/' when there is one in reach (a bucket/key stays readable).
			const slash = rest.length > room ? rest.slice(0, room).lastIndexOf('/') : -1;
			const take = slash > 0 ? slash + 1 : room;
			current += rest.slice(0, take).join('');
			rest = rest.slice(take);
			fresh = false;
			if (rest.length > 0) {
				push();
			}
		}
	}

	lines.push(current);
	return lines;
}

/** At most `maxLines` lines; when lines are left out, the last one shown ends with "…". */
export function limitLines(lines: string[], maxLines: number | undefined, width: number): string[] {
	if (maxLines === undefined || lines.length <= maxLines) {
		return lines;
	}

	const kept = lines.slice(0, Math.max(0, maxLines));
	const last = kept.at(-1);
	if (last !== undefined) {
		const chars = [...last];
		kept[kept.length - 1] = `${chars.slice(0, Math.max(0, Math.min(chars.length, width - 1))).join('')}…`;
	}

	return kept;
}

export type WrapOptions = {
	width: number;
	/** Bold text at the start of the first line (continuation lines are indented under the text after it). */
	label?: string | undefined;
	/** Indent of continuation lines (default: the label's width, else 2). */
	indent?: number | undefined;
	color?: string | undefined;
	dimColor?: boolean | undefined;
	bold?: boolean | undefined;
	maxLines?: number | undefined;
	/** React key prefix of the lines. */
	id?: string | undefined;
};

/** The lines `wrappedLines` gives for a text (to budget rows). */
export function wrappedText(text: string, {width, label, indent, maxLines}: WrapOptions): string[] {
	const full = label ? `${label}${text}` : text;
	return limitLines(wrapText(full, width, indent ?? (label ? cells(label) : 2)), maxLines, width);
}

/** One <Text> per line of the wrapped text (one element per line, so callers can count them). */
export function wrappedLines(text: string, options: WrapOptions): ReactNode[] {
	const {label, color, dimColor, bold, id = 'line'} = options;
	return wrappedText(text, options).map((line, index) => (
		// biome-ignore lint/suspicious/noArrayIndexKey: the lines of one text, in order
		<Text key={`${id}-${index}`} wrap="truncate-end" color={color} dimColor={dimColor} bold={bold}>
			{index === 0 && label && line.startsWith(label) ? (
				<>
					<Text bold>{label}</Text>
					{line.slice(label.length)}
				</>
			) : (
				line
			)}
		</Text>
	));
}

/** A wrapped message as a fragment of lines (inside a column Box). */
export function WrappedText({text, ...options}: WrapOptions & {text: string}) {
	return <>{wrappedLines(text, options)}</>;
}
