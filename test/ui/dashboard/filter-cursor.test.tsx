/**
 * The dashboard's filter line marks its cursor with a character, like every text field: NO_COLOR drops the inverse
 * space it used, and the frames here are read without ANSI codes as such a terminal shows them (issue 15 #8, walk).
 */
import {expect, test} from 'vitest';
import {cursorMark} from '../../../source/ui/components/text-field.js';
import {NoticeLine} from '../../../source/ui/screens/dashboard/notice-line.js';
import {renderTui} from '../../helpers/render.js';

test('the filter being typed shows ▏ after the text; a kept filter shows no cursor', () => {
	const editing = renderTui(<NoticeLine filter="use1" filterEditing notice={undefined} width={80} maxLines={1} />);
	expect(editing.lastFrame()).toBe(`/ use1${cursorMark} (enter keeps, esc clears)`);
	editing.unmount();
	const kept = renderTui(<NoticeLine filter="use1" filterEditing={false} notice={undefined} width={80} maxLines={1} />);
	expect(kept.lastFrame()).toBe('/ use1 (esc clears)');
	kept.unmount();
});
