/**
 * Node's process warnings (a library's emitWarning such as the AWS SDK's Node-version notice, deprecations,
 * MaxListenersExceeded, experimental features) would print Node's own block on stderr: several lines and a hint about
 * stack traces, in the middle of a command's output or the dashboard's frame. Each becomes one "bundledeck: warning:"
 * line instead, once per text. Node keeps them when it prints none (--no-warnings, NODE_NO_WARNINGS=1) or was asked
 * for their stacks (--trace-warnings).
 */
import {oneLine} from './commands/output.js';

/** process, or a stand-in in tests; traceProcessWarnings is Node's --trace-warnings (undocumented in its types). */
type WarningSource = Pick<NodeJS.Process, 'listenerCount' | 'removeAllListeners' | 'on'> & {
	traceProcessWarnings?: boolean;
};

/** One line for a process warning: its kind and code (a plain emitWarning's text names its own kind), then what it says. */
export function processWarningLine(warning: Error & {code?: string}): string {
	const code = warning.code ? ` [${warning.code}]` : '';
	const kind = warning.name === 'Warning' && !code ? '' : `${warning.name}${code}: `;
	return `bundledeck: warning: ${oneLine(`${kind}${warning.message}`)}`;
}

export function reportProcessWarnings(write: (line: string) => void, source: WarningSource = process): void {
	if (source.listenerCount('warning') === 0 || source.traceProcessWarnings) {
		return;
	}

	// Node's own printer is a listener like any other: replacing it is what keeps its block off the terminal.
	source.removeAllListeners('warning');
	const seen = new Set<string>();
	source.on('warning', (warning: Error & {code?: string}) => {
		const line = processWarningLine(warning);
		if (!seen.has(line)) {
			seen.add(line);
			write(line);
		}
	});
}
