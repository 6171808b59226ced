/**
 * What the bin's fast path needs to route argv and print every help text without loading a command: computed here
 * from the specs, and computed once at build time for distribution/cli.cjs (scripts/bundles.js inlines the value).
 */
import {allSpecs, commandHelpText, helpText} from './index.js';
import {type RouteTable, routeTable} from './route.js';

export type CliTable = {
	route: RouteTable;
	/** --help text by command name; '' is `bundledeck --help`. */
	help: Record<string, string>;
};

export function cliTable(): CliTable {
	const help: Record<string, string> = {'': helpText()};
	for (const spec of allSpecs.slice(1)) {
		help[spec.name] = commandHelpText(spec.name) ?? '';
	}

	return {
		route: routeTable(allSpecs),
		help,
	};
}
