/**
 * The SDK's own warnings (a 10-line "Multiple credential sources detected" block, region redirects...) would land on
 * stderr raw, in the middle of a command's output or the dashboard. They go through this logger instead: one line
 * each, once per session, to the reporter the caller gives.
 */
import type {Logger} from '@smithy/types';

export type WarningReporter = (line: string) => void;

/** What the SDK said, as one line a user can act on. */
export function sdkWarningLine(parts: unknown[]): string {
	const text = parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ');
	if (/Multiple credential sources detected/i.test(text)) {
		return 'both AWS_PROFILE and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set; the AWS SDK uses the profile — unset one of them to be sure which credentials are used';
	}

	const lines = text
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);
	// "@aws-sdk/... - something WARNING:" headers say where, the next line says what.
	const said = lines.find((line) => !/WARNING:?$/.test(line)) ?? lines[0] ?? '';
	return `AWS SDK: ${said.replace(/^@aws-sdk\/[\w-]+\s*-\s*/, '')}`;
}

export function warningLogger(report: WarningReporter | undefined): Logger {
	const seen = new Set<string>();
	const warn = (...parts: unknown[]) => {
		const line = sdkWarningLine(parts);
		if (!seen.has(line)) {
			seen.add(line);
			report?.(line);
		}
	};

	// error() and info() get every request's input and outcome (the logger middleware): failures already become
	// AppErrors, and inputs can hold signatures, so they are dropped.
	return {debug() {}, info() {}, trace() {}, warn, error() {}};
}
