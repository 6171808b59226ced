/**
 * The session's starting region: --region flag > AWS_REGION > AWS_DEFAULT_REGION > the profile's `region`
 * (shared config / credentials files) > us-east-1.
 */
import {loadSharedConfigFiles} from '@smithy/core/config';

export const fallbackRegion = 'us-east-1';

export type RegionSource = 'flag' | 'env' | 'profile' | 'default';

export type ResolvedRegion = {region: string; source: RegionSource};

export type RegionInput = {
	flag?: string | undefined;
	profile?: string | undefined;
	env: NodeJS.ProcessEnv;
};

/** The profile name the SDK would use: explicit > AWS_PROFILE > "default". */
export function profileName(profile: string | undefined, env: NodeJS.ProcessEnv): string {
	return nonEmpty(profile) ?? nonEmpty(field(env, 'AWS_PROFILE')) ?? 'default';
}

export async function resolveRegion(input: RegionInput): Promise<ResolvedRegion> {
	const flag = nonEmpty(input.flag);
	if (flag) {
		return {region: flag, source: 'flag'};
	}

	const fromEnv = nonEmpty(field(input.env, 'AWS_REGION')) ?? nonEmpty(field(input.env, 'AWS_DEFAULT_REGION'));
	if (fromEnv) {
		return {region: fromEnv, source: 'env'};
	}

	const fromProfile = await profileRegion(profileName(input.profile, input.env), input.env);
	if (fromProfile) {
		return {region: fromProfile, source: 'profile'};
	}

	return {region: fallbackRegion, source: 'default'};
}

async function profileRegion(profile: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
	try {
		const files = await loadSharedConfigFiles({
			configFilepath: nonEmpty(field(env, 'AWS_CONFIG_FILE')),
			filepath: nonEmpty(field(env, 'AWS_SHARED_CREDENTIALS_FILE')),
			ignoreCache: true,
		});
		return (
			nonEmpty(field(files.configFile[profile], 'region')) ?? nonEmpty(field(files.credentialsFile[profile], 'region'))
		);
	} catch {
		// An unreadable config file is not a reason to refuse to start: the default region applies.
		return undefined;
	}
}

function nonEmpty(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed ? trimmed : undefined;
}

/** Reads one entry of an env / ini section (a variable key keeps lint and noPropertyAccessFromIndexSignature apart). */
export function field(record: Record<string, string | undefined> | undefined, key: string): string | undefined {
	return record?.[key];
}

/**
 * False when the named profile is in neither the shared config file ([profile name], or [default]) nor the
 * credentials file ([name]); true when it is, or when the files cannot be read (then the SDK's own error stands).
 */
export async function profileExists(profile: string, env: NodeJS.ProcessEnv): Promise<boolean> {
	try {
		const files = await loadSharedConfigFiles({
			configFilepath: nonEmpty(field(env, 'AWS_CONFIG_FILE')),
			filepath: nonEmpty(field(env, 'AWS_SHARED_CREDENTIALS_FILE')),
			ignoreCache: true,
		});
		return files.configFile[profile] !== undefined || files.credentialsFile[profile] !== undefined;
	} catch {
		return true;
	}
}
