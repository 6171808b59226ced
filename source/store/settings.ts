/**
 * Remembered choices (never secrets): last region, bucket, prefix pattern, notifications on/off, and the regions
 * the dashboard watches.
 */
import fs from 'node:fs';
import Conf from 'conf';

/** Like the history file: readable by the user only. */
const fileMode = 0o600;

export type SettingsData = {
	lastRegion?: string;
	lastBucket?: string;
	/** e.g. '{name}-{date}-{time}' */
	prefixPattern?: string;
	notifications?: boolean;
	/** The dashboard's watched regions, as last confirmed in its region picker (`g`). */
	watchedRegions?: string[];
};

export type Settings = {
	get<K extends keyof SettingsData>(key: K): SettingsData[K];
	set<K extends keyof SettingsData>(key: K, value: NonNullable<SettingsData[K]>): void;
};

/** In-memory settings (tests, or when the settings file cannot be used). */
export function memorySettings(initial: SettingsData = {}): Settings {
	const data: SettingsData = {...initial};
	return {
		get: (key) => data[key],
		set(key, value) {
			data[key] = value;
		},
	};
}

export function openSettings(options: {cwd: string}): Settings {
	let conf: Conf<SettingsData>;
	try {
		fs.mkdirSync(options.cwd, {recursive: true, mode: 0o700});
		conf = new Conf<SettingsData>({
			projectName: 'bundledeck',
			cwd: options.cwd,
			configName: 'settings',
			configFileMode: fileMode,
		});
	} catch {
		// A corrupt settings file must never stop the tool; fall back to defaults for this run.
		return memorySettings();
	}

	// A file written by an older version (0644) is tightened too: only the user reads what they chose.
	try {
		fs.chmodSync(conf.path, fileMode);
	} catch {
		// Not written yet: conf creates it with fileMode.
	}

	return {
		get: (key) => conf.get(key),
		set(key, value) {
			try {
				conf.set(key, value);
			} catch {
				// Not being able to remember a choice is not worth failing the user's action.
			}
		},
	};
}
