/**
 * The local history (a JSON file, mode 0600, replaced atomically on every change): every bundle started, task state seen, image registered,
 * migration and copy, every image -> store chain (store entries, see history-kinds.ts) and restore. Only ids, regions,
 * bucket, prefix, names, times and states — never secrets.
 * A corrupt file (invalid JSON or wrong shape) is moved aside to <file>.corrupt-<timestamp> and the history starts
 * empty; `warning` says so in one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import {nodeCrypto} from '../core/crypto-on-demand.js';
import type {
	BundleHistoryEntry,
	History,
	HistoryEntry,
	HistoryImage,
	HistoryMigration,
	HistoryPhase,
	ObservedWork,
	RestoreHistoryEntry,
	StoreHistoryEntry,
} from '../core/history.js';
import {isBundleState} from '../core/task-model.js';
import type {BundleTask, Image} from '../core/types.js';
import type {StoreChain} from '../core/work-model.js';
import {
	applyChainImage,
	applyRestoreImage,
	applyStoreTask,
	at,
	entriesOfLegacyChains,
	isArrayOf,
	isBundleTask,
	isRecord,
	isRestoreEntry,
	isStoreEntry,
	isStoreTask,
	isString,
	normaliseRestore,
	normaliseStore,
	optional,
	storeEntryOf,
} from './history-kinds.js';
import {defaultSandboxDir} from './sandbox-dir.js';

export type OpenHistoryOptions = {
	/** Directory of the history file */
	cwd: string;
	/** File name without extension (history.json) */
	name: string;
};

const fileMode = 0o600;
const imageKinds = new Set<string>(['registered', 'migrated', 'copied']);

function isImage(value: unknown): value is HistoryImage {
	return (
		isRecord(value) &&
		isString(at(value, 'imageId')) &&
		isString(at(value, 'region')) &&
		isString(at(value, 'name')) &&
		imageKinds.has(String(at(value, 'kind'))) &&
		isString(at(value, 'at')) &&
		optional(at(value, 'sourceImageId'), isString)
	);
}

function isMigration(value: unknown): value is HistoryMigration {
	return (
		isRecord(value) &&
		isString(at(value, 'destinationRegion')) &&
		isString(at(value, 'destinationBucket')) &&
		isString(at(value, 'destinationManifestLocation')) &&
		isString(at(value, 'at')) &&
		typeof at(value, 'complete') === 'boolean'
	);
}

function isPhase(value: unknown): value is HistoryPhase {
	return isRecord(value) && isBundleState(at(value, 'state')) && isString(at(value, 'at'));
}

/** Entries without a kind were written before store and restore entries existed: they are bundles. */
function isEntry(value: unknown): boolean {
	if (!isRecord(value)) {
		return false;
	}

	switch (at(value, 'kind')) {
		case undefined:
		case 'bundle': {
			return isBundleEntry(value);
		}

		case 'store': {
			return isStoreEntry(value);
		}

		case 'restore': {
			return isRestoreEntry(value);
		}

		default: {
			return false;
		}
	}
}

function isBundleEntry(value: Record<string, unknown>): boolean {
	const error = at(value, 'error');
	return (
		isString(at(value, 'bundleId')) &&
		isString(at(value, 'region')) &&
		isString(at(value, 'instanceId')) &&
		optional(at(value, 'instanceName'), isString) &&
		isString(at(value, 'bucket')) &&
		isString(at(value, 'prefix')) &&
		isString(at(value, 'startedAt')) &&
		optional(at(value, 'lastState'), (state) => isBundleState(state)) &&
		optional(at(value, 'lastProgress'), (progress) => typeof progress === 'number') &&
		optional(at(value, 'lastUpdate'), isString) &&
		optional(error, (error_) => isRecord(error_) && isString(at(error_, 'code')) && isString(at(error_, 'message'))) &&
		isArrayOf(at(value, 'images'), isImage) &&
		isArrayOf(at(value, 'migrations'), isMigration) &&
		optional(at(value, 'phases'), (phases) => isArrayOf(phases, isPhase))
	);
}

/**
 * Parses and checks the raw file text, once: its entries as read (not yet normalised), or the reason it is not a
 * history file we can use.
 */
function parseHistory(text: string): {entries: HistoryEntry[]} | {problem: string} {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return {problem: 'it is not valid JSON'};
	}

	if (!isRecord(data)) {
		return {problem: 'it is not a JSON object'};
	}

	const entries = at(data, 'entries');
	if (entries === undefined) {
		return {entries: []};
	}

	if (!Array.isArray(entries) || !entries.every((entry) => isEntry(entry))) {
		return {problem: 'its entries have the wrong shape'};
	}

	return {entries: entries as HistoryEntry[]};
}

function normalise(entry: HistoryEntry): HistoryEntry {
	switch (entry.kind) {
		case 'store': {
			return normaliseStore(entry);
		}

		case 'restore': {
			return normaliseRestore(entry);
		}

		default: {
			return normaliseBundle(entry);
		}
	}
}

function normaliseBundle(entry: BundleHistoryEntry): BundleHistoryEntry {
	return {
		kind: 'bundle',
		bundleId: entry.bundleId,
		region: entry.region,
		instanceId: entry.instanceId,
		instanceName: entry.instanceName ?? undefined,
		bucket: entry.bucket,
		prefix: entry.prefix,
		startedAt: entry.startedAt,
		lastState: entry.lastState ?? undefined,
		lastProgress: entry.lastProgress ?? undefined,
		lastUpdate: entry.lastUpdate ?? undefined,
		error: entry.error ? {code: entry.error.code, message: entry.error.message} : undefined,
		images: entry.images.map((image) => ({...image, sourceImageId: image.sourceImageId ?? undefined})),
		migrations: entry.migrations.map((migration) => ({...migration})),
		phases: entry.phases ? entry.phases.map((phase) => ({state: phase.state, at: phase.at})) : undefined,
	};
}

function timestampForFileName(date: Date): string {
	return date.toISOString().replaceAll(':', '-').replace('.', '-');
}

/** The file's text and the version it was read at, through one descriptor (a writer's rename cannot slip in). */
function readVersioned(file: string): {text: string; version: string} | undefined {
	let fd: number;
	try {
		fd = fs.openSync(file, 'r');
	} catch {
		return undefined;
	}

	try {
		return {version: versionOf(fs.fstatSync(fd)), text: fs.readFileSync(fd, 'utf8')};
	} catch {
		return undefined;
	} finally {
		fs.closeSync(fd);
	}
}

/** What identifies one version of the file: every writer replaces it by rename, so a new version is a new inode. */
function versionOf(stats: fs.Stats): string {
	return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

class FileHistory implements History {
	warning: string | undefined;
	readonly #path: string;
	/** False when the file cannot be used at all: the history then lives in memory for this run. */
	#usable = false;
	#memory: HistoryEntry[] = [];
	/** How many times the in-memory history changed: its revision. */
	#memoryChanges = 0;
	/**
	 * The entries of the file version read or written last, as parsed (each read normalises them into fresh copies):
	 * a poll cycle reads the file once, not once per task (a stat says whether another process changed it since).
	 */
	#cache: {version: string; entries: HistoryEntry[]} | undefined;

	constructor(options: OpenHistoryOptions) {
		this.#path = path.resolve(options.cwd, `${options.name}.json`);
		try {
			fs.mkdirSync(options.cwd, {recursive: true, mode: 0o700});
			// Before reading: a chmod changes the file's ctime, which would make the reading below look stale.
			this.#secureFile();
			// The file is read once here, and that reading is kept for the first list() or record.
			const read = readVersioned(this.#path);
			const parsed = read ? parseHistory(read.text) : undefined;
			if (parsed && 'problem' in parsed) {
				this.#setAside(parsed.problem);
			} else if (read && parsed) {
				this.#cache = {version: read.version, entries: parsed.entries};
			}

			this.#usable = true;
		} catch (error) {
			const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
			this.warning ??= `History file ${this.#path} cannot be used (${reason}); history is kept in memory for this run only.`;
		}

		if (this.#usable) {
			this.#adoptChainsFile(options);
		}
	}

	/**
	 * Image -> store chains used to live in a file of their own (<name>-chains.json); they are history entries now
	 * (one store, read and written together). Such a file is taken in once, then removed.
	 */
	#adoptChainsFile(options: OpenHistoryOptions): void {
		const file = path.resolve(options.cwd, `${options.name}-chains.json`);
		let text: string;
		try {
			text = fs.readFileSync(file, 'utf8');
		} catch {
			// None (the usual case)
			return;
		}

		let data: unknown;
		try {
			data = JSON.parse(text);
		} catch {
			data = undefined;
		}

		const adopted = entriesOfLegacyChains(data);
		try {
			this.#update((entries) => {
				const known = new Set(entries.map((entry) => entryKey(entry)));
				return [...entries, ...adopted.filter((entry) => !known.has(entryKey(entry)))];
			});
			fs.rmSync(file, {force: true});
		} catch (error) {
			const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
			this.warning ??= `Could not move the image -> store chains of ${file} into the history (${reason}); they are taken in at the next run.`;
		}
	}

	revision(): string {
		if (!this.#usable) {
			return `memory ${this.#memoryChanges}`;
		}

		return this.#fileVersion() ?? 'none';
	}

	/** The file's version now, or undefined when it cannot be read (gone, or not ours to read). */
	#fileVersion(): string | undefined {
		try {
			return versionOf(fs.statSync(this.#path));
		} catch {
			return undefined;
		}
	}

	list(): HistoryEntry[] {
		// ISO 8601 times sort as plain strings; localeCompare would first load ICU's collation (~6 ms of `history`).
		return this.#read().sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
	}

	bundles(): BundleHistoryEntry[] {
		return this.list().filter((entry) => entry.kind === 'bundle');
	}

	get(bundleId: string): BundleHistoryEntry | undefined {
		return this.#read().find((candidate) => candidate.kind === 'bundle' && candidate.bundleId === bundleId) as
			| BundleHistoryEntry
			| undefined;
	}

	recordBundle(task: BundleTask, instanceName?: string): void {
		this.#update((entries) => {
			const existing = bundleEntry(entries, task.bundleId);
			if (existing) {
				applySnapshot(existing, task);
				existing.instanceName = instanceName ?? existing.instanceName;
				return entries;
			}

			const entry: BundleHistoryEntry = {
				kind: 'bundle',
				bundleId: task.bundleId,
				region: task.region,
				instanceId: task.instanceId,
				instanceName,
				bucket: task.bucket,
				prefix: task.prefix,
				startedAt: task.startTime.toISOString(),
				lastState: undefined,
				lastProgress: undefined,
				lastUpdate: undefined,
				error: undefined,
				images: [],
				migrations: [],
			};
			applySnapshot(entry, task);
			return [...entries, entry];
		});
	}

	recordTask(task: ObservedWork): void {
		this.recordTasks([task]);
	}

	recordTasks(tasks: readonly ObservedWork[]): void {
		if (tasks.length === 0) {
			return;
		}

		this.#update((entries) => {
			applyObservations(entries, tasks, new Date().toISOString());
			return entries;
		});
	}

	recordStore(chain: StoreChain): void {
		this.#update((entries) => {
			const existing = storeEntry(entries, chain.region, chain.imageId);
			return [...entries.filter((entry) => entry !== existing), storeEntryOf(chain, existing)];
		});
	}

	recordRestore(restore: Omit<RestoreHistoryEntry, 'kind' | 'lastUpdate'>): void {
		this.#update((entries) => {
			const existing = entries.find(
				(entry) => entry.kind === 'restore' && entry.region === restore.region && entry.imageId === restore.imageId,
			);
			// Recorded again (a chain saved with its restores): what was seen of the AMI stays unless a state is given
			const known = existing?.kind === 'restore' ? existing : undefined;
			const entry: RestoreHistoryEntry = normaliseRestore({
				...restore,
				kind: 'restore',
				lastState: restore.lastState ?? known?.lastState,
				lastUpdate: known?.lastUpdate,
				endedAt: restore.endedAt ?? known?.endedAt,
			});
			return [...entries.filter((other) => other !== existing), entry];
		});
	}

	recordImage(bundleId: string, image: HistoryImage): void {
		this.#update((entries) => {
			const existing = bundleEntry(entries, bundleId);
			if (existing) {
				const others = existing.images.filter(
					(candidate) => !(candidate.imageId === image.imageId && candidate.region === image.region),
				);
				existing.images = [...others, {...image}];
			}

			return entries;
		});
	}

	recordMigration(bundleId: string, migration: HistoryMigration): void {
		this.#update((entries) => {
			const existing = bundleEntry(entries, bundleId);
			if (existing) {
				const others = existing.migrations.filter(
					(candidate) =>
						!(
							candidate.destinationRegion === migration.destinationRegion &&
							candidate.destinationManifestLocation === migration.destinationManifestLocation
						),
				);
				existing.migrations = [...others, {...migration}];
			}

			return entries;
		});
	}

	/** Fresh copies of the entries (callers may change them). */
	#read(): HistoryEntry[] {
		if (!this.#usable) {
			return this.#memory.map((entry) => normalise(entry));
		}

		const version = this.#fileVersion();
		if (version === undefined) {
			this.#cache = undefined;
			return [];
		}

		if (this.#cache?.version !== version) {
			this.#cache = this.#load();
		}

		return (this.#cache?.entries ?? []).map((entry) => normalise(entry));
	}

	#load(): {version: string; entries: HistoryEntry[]} | undefined {
		const read = readVersioned(this.#path);
		if (!read) {
			return undefined;
		}

		const parsed = parseHistory(read.text);
		if ('problem' in parsed) {
			// Corrupted while we were running (another process, a manual edit): set it aside again.
			try {
				this.#setAside(parsed.problem);
			} catch {
				// The warning says what happened; carry on with an empty history.
			}

			return undefined;
		}

		return {version: read.version, entries: parsed.entries};
	}

	#update(change: (entries: HistoryEntry[]) => HistoryEntry[]): void {
		if (!this.#usable) {
			this.#change(change);
			return;
		}

		// Another process (the dashboard, a CLI run) may write between our read and our write: without the lock the
		// later rename drops the other's entries.
		withFileLock(this.#path, () => {
			this.#change(change);
		});
	}

	#change(change: (entries: HistoryEntry[]) => HistoryEntry[]): void {
		const current = this.#read();
		const before = JSON.stringify(current);
		const entries = change(current);
		const after = JSON.stringify(entries);
		if (after === before) {
			// Nothing new (an unknown id, the same snapshot again): no write, so polling stays cheap.
			return;
		}

		if (!this.#usable) {
			this.#memory = entries;
			this.#memoryChanges++;
			return;
		}

		const saved = JSON.parse(after) as HistoryEntry[];
		writeFileAtomic(
			this.#path,
			`${JSON.stringify({version: 2, entries: saved}, undefined, '\t')}\n`,
			fileMode,
			laterThanCurrent(this.#path),
		);
		const version = this.#fileVersion();
		this.#cache = version === undefined ? undefined : {version, entries: saved};
	}

	#setAside(problem: string): void {
		const aside = `${this.#path}.corrupt-${timestampForFileName(new Date())}`;
		try {
			fs.renameSync(this.#path, aside);
			this.warning = `History file ${this.#path} was unreadable (${problem}); moved it to ${aside} and started a new history.`;
		} catch {
			this.warning = `History file ${this.#path} is unreadable (${problem}) and could not be moved aside; history is kept in memory for this run only.`;
			throw new Error('unusable history file');
		}
	}

	#secureFile(): void {
		try {
			fs.chmodSync(this.#path, fileMode);
		} catch {
			// The file does not exist yet (nothing written).
		}
	}
}

/** A lock older than this was left by a process that died while holding it (a write takes milliseconds). */
const staleLockMs = 10_000;
/** How long a writer waits for another's lock before writing anyway: a stuck lock must never stop the user. */
const lockWaitMs = 3_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs work while holding `<file>.lock` (created exclusively), so read-modify-write cycles of several processes
 * do not overlap. Where no lock can be made (a read-only directory), or it stays held too long, work runs anyway.
 */
function withFileLock(file: string, work: () => void): void {
	const lock = `${file}.lock`;
	const deadline = Date.now() + lockWaitMs;
	let held = false;
	while (!held) {
		try {
			fs.closeSync(fs.openSync(lock, 'wx', fileMode));
			held = true;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) {
				break;
			}

			const age = lockAge(lock);
			if (age !== undefined && age > staleLockMs) {
				fs.rmSync(lock, {force: true});
			} else if (age !== undefined) {
				// A synchronous pause: the history's methods are synchronous, and the holder needs only milliseconds.
				Atomics.wait(sleeper, 0, 0, 2);
			}
		}
	}

	try {
		work();
	} finally {
		if (held) {
			fs.rmSync(lock, {force: true});
		}
	}
}

/** Milliseconds since the lock was taken; undefined when it is gone already (then try again at once). */
function lockAge(lock: string): number | undefined {
	try {
		return Date.now() - fs.statSync(lock).mtimeMs;
	} catch {
		return undefined;
	}
}

/**
 * The modification time of the next version: after the current one's by at least a millisecond. File times are
 * coarse (a kernel tick), and a freed inode number comes back, so two quick writes could otherwise look like one
 * version to a reader's cache (inode, size, times) and its next write would drop the other's entries.
 */
function laterThanCurrent(file: string): Date {
	let current = 0;
	try {
		current = fs.statSync(file).mtimeMs;
	} catch {
		// No file yet
	}

	return new Date(Math.max(Date.now(), Math.floor(current) + 1));
}

/**
 * Crash safety: the new content goes to a temporary file in the same directory (mode 0600 from the start), is
 * flushed once, then renamed over the history: a reader sees the old or the new file, never a torn one.
 */
function writeFileAtomic(file: string, text: string, mode: number, modified: Date): void {
	const temporary = path.join(
		path.dirname(file),
		`.${path.basename(file)}.${process.pid}.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`,
	);
	try {
		const fd = fs.openSync(temporary, 'wx', mode);
		try {
			fs.fchmodSync(fd, mode);
			fs.writeFileSync(fd, text);
			fs.futimesSync(fd, modified, modified);
			fs.fsyncSync(fd);
		} finally {
			fs.closeSync(fd);
		}

		fs.renameSync(temporary, file);
	} catch (error) {
		fs.rmSync(temporary, {force: true});
		throw error;
	}
}

function bundleEntry(entries: HistoryEntry[], bundleId: string): BundleHistoryEntry | undefined {
	return entries.find((entry): entry is BundleHistoryEntry => entry.kind === 'bundle' && entry.bundleId === bundleId);
}

function storeEntry(entries: HistoryEntry[], region: string, imageId: string): StoreHistoryEntry | undefined {
	return entries.find(
		(entry): entry is StoreHistoryEntry =>
			entry.kind === 'store' && entry.region === region && entry.imageId === imageId,
	);
}

/** What identifies an entry: a bundle by its id, a store chain by its region and AMI, a restore by its new AMI. */
function entryKey(entry: HistoryEntry): string {
	return entry.kind === 'bundle' ? `bundle:/${entry.bundleId}` : `${entry.kind}:${entry.region}/${entry.imageId}`;
}

/** Each observation updates the entry it belongs to, if history holds one (unknown work is not added). */
function applyObservations(entries: HistoryEntry[], observed: readonly ObservedWork[], now: string): void {
	const byKey = new Map(entries.map((entry) => [entryKey(entry), entry]));

	for (const work of observed) {
		if (isBundleTask(work)) {
			const entry = byKey.get(`bundle:/${work.bundleId}`);
			if (entry?.kind === 'bundle') {
				applySnapshot(entry, work);
			}
		} else if (isStoreTask(work)) {
			const entry = byKey.get(`store:${work.region}/${work.amiId}`);
			if (entry?.kind === 'store') {
				applyStoreTask(entry, work, now);
			}
		} else {
			applyImage(byKey, work, now);
		}
	}
}

/** An AMI is a restore's new AMI, or the AMI of a chain in CreateImage (or both, in odd set-ups). */
function applyImage(byKey: Map<string, HistoryEntry>, image: Image, now: string): void {
	const chain = byKey.get(`store:${image.region}/${image.imageId}`);
	if (chain?.kind === 'store') {
		applyChainImage(chain, image, now);
	}

	const restore = byKey.get(`restore:${image.region}/${image.imageId}`);
	if (restore?.kind === 'restore') {
		applyRestoreImage(restore, image, now);
	}
}

function applySnapshot(entry: BundleHistoryEntry, task: BundleTask): void {
	const phases = entry.phases ?? [];
	if (phases.at(-1)?.state !== task.state) {
		// Kept so that a restart still shows when the task started bundling and storing, not only its end.
		entry.phases = [...phases, {state: task.state, at: task.updateTime.toISOString()}];
	}

	entry.lastState = task.state;
	entry.lastProgress = task.progress;
	entry.lastUpdate = task.updateTime.toISOString();
	entry.error = task.error ? {code: task.error.code, message: task.error.message} : undefined;
}

export function openHistory(options: OpenHistoryOptions): History {
	return new FileHistory(options);
}

/** Directory of the history files (and settings): BUNDLEDECK_CONFIG_DIR, else the OS config dir. */
export function historyDirectory(env: NodeJS.ProcessEnv = process.env): string {
	return env['BUNDLEDECK_CONFIG_DIR'] ?? envPaths('bundledeck', {suffix: ''}).config;
}

/** The history of real AWS. */
export const awsHistoryName = 'history';

/** The history of the sandbox in the OS default data directory (the name every sandbox shared before). */
const defaultSandboxHistoryName = 'history-sandbox';

/**
 * The history file name of the sandbox whose data lives in `sandboxDir`: one history per data directory, so one
 * sandbox's bundles never show up in another's. The OS default directory keeps the name it always had; any other
 * directory gets 'history-sandbox-<12 hex digits of the SHA-256 of its resolved path>'.
 */
export function sandboxHistoryName(sandboxDir: string): string {
	const resolved = path.resolve(sandboxDir);
	if (resolved === path.resolve(defaultSandboxDir({}))) {
		return defaultSandboxHistoryName;
	}

	const hash = nodeCrypto().createHash('sha256').update(resolved).digest('hex').slice(0, 12);
	return `${defaultSandboxHistoryName}-${hash}`;
}

/**
 * Deletes a history file (the sandbox it described was reset). A missing file is fine; a file that cannot be
 * removed throws with the path and the reason.
 */
export function clearHistory(options: OpenHistoryOptions): void {
	// A chains file an earlier version kept beside the history (now taken into it) goes too
	for (const name of [options.name, `${options.name}-chains`]) {
		const file = path.resolve(options.cwd, `${name}.json`);
		try {
			fs.rmSync(file, {force: true});
		} catch (error) {
			const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
			throw new Error(`could not remove the history file ${file} (${reason})`);
		}
	}
}
