/** The one error type the UI and the commands show: one line, never a stack trace, never a secret. */
export type AppErrorInit = {
	code: string;
	message: string;
	hint?: string | undefined;
	requestId?: string | undefined;
	retryable?: boolean | undefined;
	cause?: unknown;
};

export class AppError extends Error {
	readonly code: string;
	readonly hint: string | undefined;
	readonly requestId: string | undefined;
	readonly retryable: boolean;

	constructor(init: AppErrorInit) {
		super(init.message, init.cause === undefined ? undefined : {cause: init.cause});
		this.name = 'AppError';
		this.code = init.code;
		this.hint = init.hint;
		this.requestId = init.requestId;
		this.retryable = init.retryable ?? false;
	}

	/** "What failed, why, what to do (request id)" on one line. */
	toLine(): string {
		const parts = [this.message.replaceAll(/\s+/g, ' ').trim()];
		if (this.hint) {
			parts.push(continueSentence(this.hint.replaceAll(/\s+/g, ' ').trim()));
		}

		let line = parts.join(' — ');
		if (this.requestId) {
			line += ` (request id ${this.requestId})`;
		}

		return line;
	}
}

export function isAppError(error: unknown): error is AppError {
	return error instanceof AppError;
}

/** Any error as one line: an AppError's own line (with its request id), else the first line of its message. */
export function firstLine(error: unknown): string {
	if (error instanceof Error && 'toLine' in error && typeof error.toLine === 'function') {
		return String(error.toLine());
	}

	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n')[0] ?? 'unexpected error';
}

// Capitalised words that stay capitalised mid-sentence.
const properNouns = new Set(['Windows', 'Amazon', 'Linux', 'Node', 'I']);

/**
 * Our own sentence continued after ' — ' or ': ' on one line: its first word lower-cased when it is an ordinary
 * capitalised word ("Check the …" → "check the …"); acronyms, API names and proper nouns (AWS, EC2, RegisterImage,
 * Windows) are left as they are. Only for text bundledeck composes: AWS's own text always follows ours.
 */
export function continueSentence(text: string): string {
	const word = /^[A-Z][a-z]*(?=[^A-Za-z0-9]|$)/.exec(text)?.[0];
	return word && !properNouns.has(word) ? `${word.toLowerCase()}${text.slice(word.length)}` : text;
}
