/** The keys that work right now (footer) and every key of the wizard (help overlay). */
import type {KeyHint} from '../../components/key-footer.js';
import {isTyping, regionMismatch, type WizardState, wizardPath} from '../../state/wizard-reducer.js';

export const wizardHelpKeys: KeyHint[] = [
	{key: '↑ ↓  j k', label: 'move in a list (j/k not while typing); PgUp/PgDn by a page'},
	{key: 'home end  G', label: 'first / last row of a list (G not while typing)'},
	{key: 'enter', label: 'choose / check / start (the bundle, or image → S3)'},
	{key: 'a', label: 'step 1: your AMIs (stored directly) / back to the instances'},
	{key: 'n', label: 'confirm, image → S3: CreateImage with or without reboot'},
	{key: 'esc', label: 'back one step (keeps what you entered); clears the filter'},
	{key: '/', label: 'filter instances as you type (enter keeps it, esc clears)'},
	{key: 'g  tab', label: 'pick the region (step 1)'},
	{key: 'R  r', label: 'reload / retry the list; r re-runs the DryRun check (step 4)'},
	{key: 'backspace', label: 'erase in a text field (ctrl+u clears it)'},
	{key: '?', label: 'this help'},
	{key: 'q', label: 'quit (types a q in text fields)'},
	{key: 'ctrl+c', label: 'quit from anywhere'},
];

const move: KeyHint = {key: '↑↓', label: 'move'};
const help: KeyHint = {key: '?', label: 'help'};
const quit: KeyHint = {key: 'q', label: 'quit'};

export function footerKeys(state: WizardState): KeyHint[] {
	if (state.help) {
		return [{key: 'esc', label: 'close help'}, {key: '?', label: 'close help'}, quit];
	}

	const typing = isTyping(state);
	switch (state.step) {
		case 'instance': {
			if (state.regionPicker) {
				return state.regions?.status === 'failed'
					? [{key: 'r', label: 'retry'}, {key: 'esc', label: 'close'}, quit]
					: [move, {key: 'enter', label: 'switch region'}, {key: 'esc', label: 'close'}, quit];
			}

			if (typing) {
				return [move, {key: 'enter', label: 'keep filter'}, {key: 'esc', label: 'clear filter'}, help];
			}

			const loaded = state.instances.status !== 'loading';
			return [
				move,
				{key: 'enter', label: 'choose'},
				{key: '/', label: 'filter'},
				{key: 'a', label: state.source === 'images' ? 'instances' : 'AMIs'},
				{key: 'g', label: 'region'},
				...(loaded ? [{key: 'R', label: state.instances.status === 'failed' ? 'retry' : 'reload'}] : []),
				{key: 'esc', label: state.filter ? 'clear filter' : 'cancel'},
				help,
				quit,
			];
		}

		case 'bucket': {
			if (state.probe?.status === 'checking') {
				return [{key: 'esc', label: 'stop checking'}, help, quit];
			}

			if (typing) {
				return [
					{key: 'enter', label: 'check name'},
					{key: 'esc', label: 'bucket list'},
					{key: 'bksp', label: 'erase'},
					help,
				];
			}

			return [
				move,
				{key: 'enter', label: 'choose'},
				{key: 'R', label: state.buckets?.status === 'failed' ? 'retry' : 'reload'},
				{key: 'esc', label: 'back'},
				help,
				quit,
			];
		}

		case 'prefix': {
			if (state.prefixCheck?.status === 'running' || state.amiNameCheck?.status === 'running') {
				return [{key: 'esc', label: 'stop checking'}, help];
			}

			return [
				{key: 'enter', label: wizardPath(state) === 'store' ? 'check name' : 'check prefix'},
				{key: 'esc', label: 'back'},
				{key: 'bksp', label: 'erase'},
				{key: 'ctrl+u', label: 'clear'},
				help,
			];
		}

		case 'confirm': {
			if (state.start?.status === 'started' || state.start?.status === 'chain-started') {
				return [{key: 'enter', label: 'open the dashboard'}];
			}

			if (state.start?.status === 'running') {
				return [{key: 'ctrl+c', label: 'quit'}];
			}

			return [
				...(state.preflight?.status === 'passed' && !regionMismatch(state)
					? [{key: 'enter', label: wizardPath(state) === 'store' ? 'start' : 'start bundle'}]
					: []),
				...(wizardPath(state) === 'store' && state.instance
					? [{key: 'n', label: state.noReboot ? 'reboot' : 'no reboot'}]
					: []),
				...(state.preflight?.status === 'running' ? [] : [{key: 'r', label: 're-run check'}]),
				{key: '↑↓', label: 'scroll'},
				{key: 'esc', label: 'back'},
				help,
				quit,
			];
		}
	}
}
