/** "Did you mean": the command name closest to a mistyped word, for the unknown-command message. */

/** Edits (insert, delete, replace, swap two neighbours) between two words: `bundel` is one from `bundle`. */
export function editDistance(a: string, b: string): number {
	const rows: number[][] = Array.from({length: a.length + 1}, (_, i) =>
		Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
	);
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			}

			rows[i]![j] = best;
		}
	}

	return rows[a.length]![b.length]!;
}

/** The first word of a command name within two edits of `word` (the nearest; the earlier listed on a tie). */
export function closestCommand(word: string, names: readonly string[]): string | undefined {
	let closest: {name: string; distance: number} | undefined;
	for (const name of new Set(names.map((candidate) => candidate.split(' ')[0] ?? candidate))) {
		const distance = editDistance(word.toLowerCase(), name);
		if (distance <= 2 && distance < (closest?.distance ?? Number.POSITIVE_INFINITY)) {
			closest = {name, distance};
		}
	}

	return closest?.name;
}
