/** The persistent data directory of the sandbox region (as `bundledeck --sandbox` uses): BUNDLEDECK_SANDBOX_DIR, else the OS data dir. */
import path from 'node:path';
import envPaths from 'env-paths';

export function defaultSandboxDir(env: NodeJS.ProcessEnv = process.env): string {
	return env['BUNDLEDECK_SANDBOX_DIR'] ?? path.join(envPaths('bundledeck', {suffix: ''}).data, 'sandbox');
}
