/**
 * `register` and `migrate` take a bundle id or a manifest location. A bundle id is looked up with
 * DescribeBundleTasks; when AWS no longer lists it, local history supplies its bucket and prefix.
 */
import {parseManifestLocation} from '../core/format.js';
import type {BundleHistoryEntry} from '../core/history.js';
import {isBundleId, type ValidationResult} from '../core/validation.js';
import type {Session} from '../session.js';
import {interruptible} from './abort.js';
import {bundleRegion, type CommandInput, regionOf} from './command.js';
import {CommandFailure, UsageError} from './exit-codes.js';
import {manifestLocationOf} from './output.js';
import {describeMany, failureReason, taskFromHistory} from './waiter.js';

export type BundleSource = {
	manifestLocation: string;
	region: string;
	/** The bundle this manifest came from, when known (for history). */
	bundleId: string | undefined;
	/** Where the location came from. */
	via: 'aws' | 'history' | 'manifest';
};

/** A bundle id or a manifest location, checked before any AWS call. */
export function validateBundleSource(argument: string): ValidationResult {
	if (isBundleId(argument)) {
		return {ok: true};
	}

	const parsed = parseManifestLocation(argument);
	return parsed.ok ? {ok: true} : {ok: false, reason: `${parsed.reason} (or give a bundle id like bun-1a2b3c4d)`};
}

function notReady(bundleId: string, state: string): CommandFailure {
	return new CommandFailure(
		`bundle task ${bundleId} is ${state}, not complete — wait for it first: \`bundledeck wait ${bundleId}\``,
	);
}

/** The history entry a manifest location belongs to: the bundle itself or one of its migrated copies. */
export function entryForManifest(
	entries: BundleHistoryEntry[],
	location: string,
): {entry: BundleHistoryEntry; region: string} | undefined {
	for (const entry of entries) {
		if (manifestLocationOf(entry.bucket, entry.prefix) === location) {
			return {entry, region: entry.region};
		}

		const migration = entry.migrations.find((candidate) => candidate.destinationManifestLocation === location);
		if (migration) {
			return {entry, region: migration.destinationRegion};
		}
	}

	return undefined;
}

export async function resolveBundleSource(
	input: CommandInput,
	session: Session,
	argument: string,
	flag: string,
): Promise<BundleSource> {
	if (isBundleId(argument)) {
		const region = bundleRegion(input, session, argument);
		const found = await interruptible(describeMany(session.services, region, [argument]), input.signal);
		const task = found.get(argument);
		if (task) {
			session.history.recordTask(task);
			if (task.state === 'failed' || task.state === 'cancelling') {
				throw new CommandFailure(failureReason(task));
			}

			if (task.state !== 'complete') {
				throw notReady(argument, task.state);
			}

			return {manifestLocation: manifestLocationOf(task.bucket, task.prefix), region, bundleId: argument, via: 'aws'};
		}

		const entry = session.history.get(argument);
		if (!entry) {
			throw new CommandFailure(
				`bundle task ${argument} is not listed in ${region} and not in local history — pass its manifest location (bucket/prefix.manifest.xml) instead, or the task's --region`,
			);
		}

		const remembered = taskFromHistory(entry);
		if (remembered?.state === 'failed') {
			throw new CommandFailure(failureReason(remembered));
		}

		return {
			manifestLocation: manifestLocationOf(entry.bucket, entry.prefix),
			region: input.parsed.globals.regions[0] ?? entry.region,
			bundleId: argument,
			via: 'history',
		};
	}

	const parsed = parseManifestLocation(argument);
	if (!parsed.ok) {
		throw new UsageError(`${flag} '${argument}': ${parsed.reason} (or give a bundle id like bun-1a2b3c4d)`);
	}

	const location = manifestLocationOf(parsed.bucket, parsed.prefix);
	const known = entryForManifest(session.history.bundles(), location);
	return {
		manifestLocation: location,
		region: input.parsed.globals.regions[0] ?? known?.region ?? regionOf(input, session),
		bundleId: known?.entry.bundleId,
		via: 'manifest',
	};
}
