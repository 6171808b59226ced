import {Box, Text} from 'ink';
import {continueSentence} from '../../../core/app-error.js';
import {fitColumn, formatDateTime} from '../../../core/format.js';
import {imageStoreProblem} from '../../../core/image-path.js';
import type {Image} from '../../../core/types.js';
import {phraseLines} from '../../components/fit-phrases.js';
import {SelectList, type SelectListItem} from '../../components/select-list.js';
import {SpinnerLine} from '../../components/spinner-line.js';
import {wrappedLines} from '../../components/wrapped-text.js';
import {
	imageCursorIndex,
	imagePollMs,
	imagesPending,
	visibleImages,
	type WizardState,
} from '../../state/wizard-reducer.js';

const idWidth = 21;
const stateWidth = 9;

function nameWidth(width: number): number {
	// Room is left for the reason of a row that cannot be stored
	return Math.max(8, Math.min(40, width - 2 - idWidth - 33));
}

function imageRow(image: Image, width: number): SelectListItem {
	const name = fitColumn(image.name, nameWidth(width));
	const id = fitColumn(image.imageId, idWidth);
	const problem = imageStoreProblem(image);
	if (problem) {
		return {key: image.imageId, label: `${name} ${id} ✗ ${problem}`, disabled: true};
	}

	const created = image.creationDate ? formatDateTime(image.creationDate).slice(0, 10) : '—';
	return {key: image.imageId, label: `${name} ${id} ${fitColumn(image.state, stateWidth)} ${created}`};
}

/** Step 1, second source (a): your AMIs in the region; an EBS-backed available one is stored directly. */
export function ImageList({state, width, height}: {state: WizardState; width: number; height: number}) {
	const {images} = state;
	const visible = visibleImages(state);
	const storable = visible.filter((image) => imageStoreProblem(image) === undefined).length;
	const filter = state.filtering || state.filter ? `filter: ${state.filter}${state.filtering ? '▏' : ''}` : undefined;
	const pending = imagesPending(state);
	// As the instance list's title: one line when it fits, whole phrases left out (the footer shows R and a).
	const title = phraseLines(
		[
			{
				text: `Choose an AMI of yours to store in S3 (image → S3) in ${state.region}`,
				short: `Your AMIs in ${state.region}`,
				drop: 2,
			},
			...(filter ? [{text: filter}] : []),
			...(images?.status === 'ready' ? [{text: `${storable} of ${visible.length} can be stored`}] : []),
			pending
				? {
						text: `refreshed every ${imagePollMs / 1000} s while an AMI is pending`,
						short: `refreshed every ${imagePollMs / 1000} s`,
					}
				: {text: 'R refreshes', drop: 1},
			{text: 'a: instances', drop: 1},
		],
		width,
	);
	let body: React.ReactNode;
	if (images === undefined || images.status === 'loading') {
		body = <SpinnerLine label={`Loading your AMIs in ${state.region}…`} />;
	} else if (images.status === 'failed') {
		body = (
			<>
				{wrappedLines(`✗ Could not list your AMIs in ${state.region}: ${continueSentence(images.failure.line)}`, {
					width,
					color: 'red',
					id: 'failed',
				})}
				<Text dimColor wrap="truncate-end">
					r retries · a back to the instances
				</Text>
			</>
		);
	} else if (visible.length === 0) {
		body = (
			<Text wrap="truncate-end">
				{state.filter
					? `No AMI matches "${state.filter}" — esc clears the filter.`
					: `You own no AMIs in ${state.region}.`}
			</Text>
		);
	} else {
		body = (
			<>
				<Text bold wrap="truncate-end">
					{'  '}
					{[
						fitColumn('Name', nameWidth(width)),
						fitColumn('AMI', idWidth),
						fitColumn('State', stateWidth),
						'Created',
					].join(' ')}
				</Text>
				<SelectList
					items={visible.map((image) => imageRow(image, width))}
					selectedIndex={imageCursorIndex(state, visible)}
					height={Math.max(1, height - 1 - title.length)}
					focused={!state.filtering}
				/>
			</>
		);
	}

	return (
		<Box flexDirection="column">
			{title}
			{body}
		</Box>
	);
}
