import {Text} from 'ink';
import {continueSentence} from '../../core/app-error.js';
import {safeLine} from '../../core/terminal-text.js';
import {errorText} from '../state/remote.js';
import {wrappedLines, wrappedText} from './wrapped-text.js';

function message(error: unknown, prefix: string | undefined): string {
	const text = safeLine(errorText(error));
	return prefix ? `✗ ${prefix}: ${continueSentence(text)}` : `✗ ${text}`;
}

export type ErrorLineProps = {
	error: unknown;
	prefix?: string | undefined;
	/** Wraps at this width (the reason is never cut); without it the line is wrapped by Ink. */
	width?: number | undefined;
	maxLines?: number | undefined;
};

/** How many lines <ErrorLine> takes at `width`. */
export function errorLineCount({error, prefix, width, maxLines}: ErrorLineProps & {width: number}): number {
	return wrappedText(message(error, prefix), {width, maxLines}).length;
}

/** A failure in red: what failed and why, wrapped (continuation lines indented) rather than cut. */
export function ErrorLine({error, prefix, width, maxLines}: ErrorLineProps) {
	if (width === undefined) {
		return (
			<Text color="red" wrap="wrap">
				{message(error, prefix)}
			</Text>
		);
	}

	return <>{wrappedLines(message(error, prefix), {width, maxLines, color: 'red', id: 'error'})}</>;
}
