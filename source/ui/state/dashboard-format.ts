/** Compact relative time for the dashboard's narrow "updated" column (core/format has the long forms). */

/** Age of a time: "12s", "4m", "2h", "3d"; "—" when unknown. */
export function formatAgo(then: Date | undefined, now: number): string {
	if (!then) {
		return '—';
	}

	const seconds = Math.max(0, Math.floor((now - then.getTime()) / 1000));
	if (seconds < 60) {
		return `${seconds}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m`;
	}

	const hours = Math.floor(minutes / 60);
	return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}
