/**
 * The local history (a JSON file, mode 0600, replaced atomically on every change): every bundle started, task state seen, image registered,
 * migration and copy. Only ids, regions, bucket, prefix, names, times and states — never secrets.
 * A corrupt file (invalid JSON or wrong shape) is moved aside to <file>.corrupt-<timestamp> and the history starts
 * empty; `warning` says so in one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import {nodeCrypto} from '../core/crypto-on-demand.js';
import type {History, HistoryEntry, HistoryImage, HistoryMigration, HistoryPhase} from '../core/history.js';
import {isBundleState} from '../core/task-model.js';
import type {BundleTask} from '../core/types.js';
import {defaultSandboxDir} from './sandbox-dir.js';

export type OpenHistoryOptions = {
	/** Directory of the history file */
	cwd: string;
	/** File name without extension (history.json) */
	name: string;
};

const fileMode = 0o600;
const imageKinds = new Set<string>(['registered', 'migrated', 'copied']);

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a field of an unknown record (keeps both tsc and biome happy about index signatures). */
function at(record: Record<string, unknown>, key: string): unknown {
	return record[key];
}

function isArrayOf(value: unknown, check: (item: unknown) => boolean): boolean {
	return Array.isArray(value) && value.every((item) => check(item));
}

function isString(value: unknown): value is string {
	return typeof value === 'string';
}

function optional(value: unknown, check: (value: unknown) => boolean): boolean {
	return value === undefined || value === null || check(value);
}

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

function isEntry(value: unknown): boolean {
	if (!isRecord(value)) {
		return false;
	}

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

/** Checks the raw file text; returns a reason when it is not a history file we can use. */
function problemWith(text: string): string | undefined {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return 'it is not valid JSON';
	}

	if (!isRecord(data)) {
		return 'it is not a JSON object';
	}

	const entries = at(data, 'entries');
	if (entries === undefined) {
		return undefined;
	}

	if (!Array.isArray(entries) || !entries.every((entry) => isEntry(entry))) {
		return 'its entries have the wrong shape';
	}

	return undefined;
}

function normalise(entry: HistoryEntry): HistoryEntry {
	return {
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

/** The entries of a file text problemWith accepted. */
function entriesOf(text: string): HistoryEntry[] {
	const entries = at(JSON.parse(text) as Record<string, unknown>, 'entries');
	return Array.isArray(entries) ? entries.map((entry) => normalise(entry as HistoryEntry)) : [];
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
	readonly #usable: boolean;
	#memory: HistoryEntry[] = [];
	/**
	 * The entries of the file version read or written last: a poll cycle reads the file once, not once per task
	 * (a stat says whether another process changed it since).
	 */
	#cache: {version: string; entries: HistoryEntry[]} | undefined;

	constructor(options: OpenHistoryOptions) {
		this.#path = path.resolve(options.cwd, `${options.name}.json`);
		let usable = false;
		try {
			fs.mkdirSync(options.cwd, {recursive: true, mode: 0o700});
			// Before reading: a chmod changes the file's ctime, which would make the reading below look stale.
			this.#secureFile();
			// The file is read once here, and that reading is kept for the first list() or record.
			const read = readVersioned(this.#path);
			const problem = read ? problemWith(read.text) : undefined;
			if (problem !== undefined) {
				this.#setAside(problem);
			} else if (read) {
				this.#cache = {version: read.version, entries: entriesOf(read.text)};
			}

			usable = true;
		} catch (error) {
			const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
			this.warning ??= `History file ${this.#path} cannot be used (${reason}); history is kept in memory for this run only.`;
		}

		this.#usable = usable;
	}

	list(): HistoryEntry[] {
		return this.#read().sort((a, b) => b.startedAt.localeCompare(a.startedAt));
	}

	get(bundleId: string): HistoryEntry | undefined {
		return this.#read().find((candidate) => candidate.bundleId === bundleId);
	}

	recordBundle(task: BundleTask, instanceName?: string): void {
		this.#update((entries) => {
			const existing = entries.find((entry) => entry.bundleId === task.bundleId);
			if (existing) {
				applySnapshot(existing, task);
				existing.instanceName = instanceName ?? existing.instanceName;
				return entries;
			}

			const entry: HistoryEntry = {
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

	recordTask(task: BundleTask): void {
		this.recordTasks([task]);
	}

	recordTasks(tasks: readonly BundleTask[]): void {
		if (tasks.length === 0) {
			return;
		}

		this.#update((entries) => {
			const byId = new Map(entries.map((entry) => [entry.bundleId, entry]));
			for (const task of tasks) {
				const existing = byId.get(task.bundleId);
				if (existing) {
					applySnapshot(existing, task);
				}
			}

			return entries;
		});
	}

	recordImage(bundleId: string, image: HistoryImage): void {
		this.#update((entries) => {
			const existing = entries.find((entry) => entry.bundleId === bundleId);
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
			const existing = entries.find((entry) => entry.bundleId === bundleId);
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

		let version: string;
		try {
			version = versionOf(fs.statSync(this.#path));
		} catch {
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

		const problem = problemWith(read.text);
		if (problem !== undefined) {
			// Corrupted while we were running (another process, a manual edit): set it aside again.
			try {
				this.#setAside(problem);
			} catch {
				// The warning says what happened; carry on with an empty history.
			}

			return undefined;
		}

		return {version: read.version, entries: entriesOf(read.text)};
	}

	#update(change: (entries: HistoryEntry[]) => HistoryEntry[]): void {
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
			return;
		}

		const saved = JSON.parse(after) as HistoryEntry[];
		writeFileAtomic(this.#path, `${JSON.stringify({version: 1, entries: saved}, undefined, '\t')}\n`, fileMode);
		try {
			this.#cache = {version: versionOf(fs.statSync(this.#path)), entries: saved.map((entry) => normalise(entry))};
		} catch {
			this.#cache = undefined;
		}
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

/**
 * Crash safety: the new content goes to a temporary file in the same directory (mode 0600 from the start), is
 * flushed once, then renamed over the history: a reader sees the old or the new file, never a torn one.
 */
function writeFileAtomic(file: string, text: string, mode: number): void {
	const temporary = path.join(
		path.dirname(file),
		`.${path.basename(file)}.${process.pid}.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`,
	);
	try {
		const fd = fs.openSync(temporary, 'wx', mode);
		try {
			fs.fchmodSync(fd, mode);
			fs.writeFileSync(fd, text);
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

function applySnapshot(entry: HistoryEntry, task: BundleTask): void {
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
	// The image -> store chains (store/store-chains.ts) are part of the history
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
