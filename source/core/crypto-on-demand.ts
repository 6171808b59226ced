/**
 * node:crypto loaded on first use rather than at start-up: `--help`, `<command> --help` and `history` never need
 * it, and loading it costs them a noticeable share of their run time.
 */
import {createRequire} from 'node:module';

type Crypto = typeof import('node:crypto');

let loaded: Crypto | undefined;

export function nodeCrypto(): Crypto {
	// process.getBuiltinModule exists from Node 20.16; require() is the fallback for older 20.x.
	loaded ??=
		(process.getBuiltinModule?.('node:crypto') as Crypto | undefined) ??
		(createRequire(import.meta.url)('node:crypto') as Crypto);
	return loaded;
}
