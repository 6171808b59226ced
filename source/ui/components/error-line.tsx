import {Text} from 'ink';
import {isAppError} from '../../core/app-error.js';

/** One line for any failure: AppError's own line, or the message of anything else (never a stack). */
export function errorText(error: unknown): string {
	if (isAppError(error)) {
		return error.toLine();
	}

	if (error instanceof Error) {
		return error.message.split('\n')[0] ?? 'Unexpected error';
	}

	return String(error);
}

export function ErrorLine({error, prefix}: {error: unknown; prefix?: string}) {
	return (
		<Text color="red" wrap="truncate-end">
			✗ {prefix ? `${prefix}: ` : ''}
			{errorText(error)}
		</Text>
	);
}
