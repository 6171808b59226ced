import {expect} from 'vitest';
import {AppError} from '../../source/core/app-error.js';

/** The AppError a promise rejects with (fails the test when it resolves or rejects with anything else). */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
	const error = await promise.then(
		() => undefined,
		(error: unknown) => error,
	);
	expect(error).toBeInstanceOf(AppError);
	return error as AppError;
}
