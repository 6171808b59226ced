/** bundledeck history: what bundledeck started, registered, migrated, copied, stored and restored (local, never secrets). */
import {countOf} from '../core/format.js';
import type {History} from '../core/history.js';
import {type CommandSpec, sessionOptions} from './args.js';
import {type CommandDefinition, type CommandInput, withSession} from './command.js';
import {exitCodes} from './exit-codes.js';
import {historyJson, historyLines} from './history-output.js';

const spec: CommandSpec = {
	name: 'history',
	summary: 'what bundledeck started, registered, migrated, copied, stored and restored',
	usage: ['history [--json]'],
	details: [
		'Read from the local history file (BUNDLEDECK_CONFIG_DIR, else the OS config directory; each sandbox data',
		'directory keeps its own, cleared by --sandbox-reset). Newest first.',
		'Text: a BUNDLE-like line per bundle, then IMAGE and MIGRATION lines for it:',
		'  HISTORY <bundle-id> <region> <instance-id> <bucket> <prefix> <started> <last state> <progress>',
		'  IMAGE <bundle-id> <image-id> <region> <kind> <at> <name>',
		'  MIGRATION <bundle-id> <region> <manifest location> <complete|incomplete> <at>',
		'a STORE line per image -> store chain (phase image, store, complete or failed) and a RESTORE line per restore:',
		'  STORE <ami-id> <region> <instance-id|-> <bucket> <object key> <started> <phase> <progress> [<failure reason>]',
		'  RESTORE <new ami-id> <region> <bucket> <object key> <started> <AMI state> <name>',
		'JSON: {"entries": [entry]}, each entry with a "kind": "bundle" | "store" | "restore".',
		'  bundle: {"kind", "bundleId", "region", "instanceId", "instanceName": string|null, "bucket", "prefix",',
		'       "manifestLocation", "startedAt", "lastState": string|null, "lastProgress": number|null,',
		'       "lastUpdate": string|null, "error": null|{"code", "message"}, "images": [{"imageId", "region", "name",',
		'       "kind": "registered"|"migrated"|"copied", "at", "sourceImageId": string|null}], "migrations":',
		'       [{"destinationRegion", "destinationBucket", "destinationManifestLocation", "at", "complete"}]}',
		'  store: {"kind", "amiId", "region", "instanceId": string|null, "instanceName": string|null, "name",',
		'         "bucket", "objectKey", "noReboot", "startedAt", "storeStartedAt", "lastState", "lastProgress",',
		'         "lastUpdate", "failureReason", "phases"}',
		'  restore: {"kind", "imageId", "region", "name", "bucket", "objectKey", "sourceImageId", "via", "startedAt",',
		'           "lastState", "lastUpdate", "endedAt": string|null}',
		'An empty history says on stderr where the other one is (AWS and the sandbox keep separate histories).',
	],
	flags: {},
	positionals: {names: '', min: 0, max: 0},
	examples: ['bundledeck history', 'bundledeck history --sandbox --json'],
};

async function run(input: CommandInput): Promise<number> {
	const {openHistory} = input.context;
	// --sandbox-reset needs the sandbox itself (the reset also clears its history): that takes a session.
	if (openHistory && !input.parsed.globals.sandboxReset) {
		// Local only: no credentials, no sandbox, no network.
		const history = openHistory(sessionOptions(input.parsed.globals));
		if (history.warning) {
			input.print.warn(history.warning);
		}

		return print(input, history);
	}

	return withSession(input, async (session) => print(input, session.history));
}

/**
 * An empty history may just be the other one: AWS and each sandbox data directory keep separate histories, and
 * `history` without --sandbox after a sandbox session would otherwise print nothing and say nothing.
 */
function separateHistoryNote(input: CommandInput): string | undefined {
	const {openHistory} = input.context;
	if (!openHistory) {
		return undefined;
	}

	if (input.parsed.globals.sandbox) {
		const onAws = openHistory({sandbox: false}).list().length;
		return onAws > 0
			? `this sandbox's history is empty; the history of AWS is separate (${countOf(onAws, 'entry', 'entries')}): run bundledeck history without --sandbox`
			: undefined;
	}

	const inSandbox = openHistory({sandbox: true}).list().length;
	const held = inSandbox > 0 ? ` (${countOf(inSandbox, 'entry', 'entries')} in the default sandbox directory)` : '';
	return `nothing in the history of AWS; the sandbox keeps a separate history${held}: \`bundledeck history --sandbox\` shows it (--sandbox-dir D for another sandbox directory)`;
}

function print(input: CommandInput, history: History): number {
	const entries = history.list();
	if (entries.length === 0 && !input.parsed.globals.json) {
		const note = separateHistoryNote(input);
		if (note) {
			input.print.note(note);
		}
	}

	if (input.parsed.globals.json) {
		input.print.json({entries: entries.map((entry) => historyJson(entry))});
	} else {
		for (const entry of entries) {
			for (const line of historyLines(entry)) {
				input.print.line(line);
			}
		}
	}

	return exitCodes.ok;
}

export const historyCommand: CommandDefinition = {spec, run};
