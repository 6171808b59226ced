import {Text} from 'ink';
import {progressBar, supportsUnicode} from '../../core/format.js';

const ascii = !supportsUnicode(process.env, process.platform);

/** "██████░░░░" for a percentage (unknown -> empty; '#'/'-' where the terminal lacks block characters). */
export function progressBarText(percent: number | undefined, width: number): string {
	return progressBar(percent, width, {ascii});
}

/** " 62%" (always 4 cells; unknown -> "  ?%"). */
export function percentText(percent: number | undefined): string {
	return (percent === undefined ? '?%' : `${Math.round(percent)}%`).padStart(4);
}

export type ProgressBarProps = {
	percent: number | undefined;
	/** Cells for the bar itself; the percentage adds 5 more. */
	width: number;
	color?: string | undefined;
};

/** A bar with its percentage as text (never a bar alone). */
export function ProgressBar({percent, width, color}: ProgressBarProps) {
	return (
		<Text>
			<Text color={color}>{progressBarText(percent, width)}</Text> {percentText(percent)}
		</Text>
	);
}
