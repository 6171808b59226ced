/** The dashboard (`bundledeck` with no command) as one more spec: its flags and keys feed the top-level --help. */
import {dashboardHelpKeys} from '../ui/screens/dashboard/dashboard-keys.js';
import {allGlobals, type CommandSpec} from './args.js';

// The keys the dashboard's own help overlay lists, so the two never disagree.
const keyWidth = Math.max(...dashboardHelpKeys.map((hint) => hint.key.length)) + 2;

export const dashboardSpec: CommandSpec = {
	name: '',
	summary: 'Windows EC2 images into S3 and back out as AMIs, in any region',
	usage: [
		'[options]                 the dashboard (interactive terminal)',
		'<command> [options]       scriptable commands (bundledeck <command> --help)',
	],
	details: dashboardHelpKeys.map((hint) => `${hint.key.padEnd(keyWidth)}${hint.label}`),
	flags: {
		'no-alt-screen': {
			type: 'boolean',
			description: 'draw in the normal screen, not the alternate one (the last frame stays in the scrollback)',
		},
		'no-notify': {type: 'boolean', description: 'no bell / OSC 9 notification when a task finishes'},
		version: {type: 'boolean', short: 'v', description: 'show the version'},
	},
	positionals: {names: '', min: 0, max: 0},
	globals: allGlobals.filter((name) => name !== 'json'),
};
