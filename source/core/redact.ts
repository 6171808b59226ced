/**
 * Removes secrets from text before it is logged, shown or stored: given secrets (secret access key, session token,
 * policy signature) wherever they appear, plus anything that looks like a signature, secret key or session token
 * in key=value, header, JSON, XML and form-field form. Pure, no I/O.
 */

/** What a redacted value is replaced with. */
export const redactedMarker = '***';

/** Given secrets shorter than this are ignored (replacing them would garble the text; real ones are far longer). */
export const minSecretLength = 4;

const secretKeys = [
	'X-Amz-Signature',
	'X-Amz-Security-Token',
	'Storage\\.S3\\.UploadPolicySignature',
	'UploadPolicySignature',
	'SignatureProvided',
	'Signature',
	'AWSAccessKeyId',
	'aws_secret_access_key',
	'aws_session_token',
	'aws_security_token',
	'SecretAccessKey',
	'SessionToken',
	'SecurityToken',
	'x-amz-security-token',
] as const;

const keyAlternation = secretKeys.join('|');

/** key=value, key: value, "key": "value", key='value' (case-insensitive key; the value stops at a delimiter). */
const keyValuePattern = new RegExp(`((?<![\\w-])(?:${keyAlternation})["']?\\s*[:=]\\s*["']?)([^\\s"'&,;<>]+)`, 'gi');

/** <Key>value</Key> */
const xmlPattern = new RegExp(`(<(${keyAlternation})>)([^<]*)(</\\2>)`, 'gi');

/** multipart/form-data: name="signature" CRLF CRLF value */
const formFieldPattern =
	/(name="(?:signature|AWSAccessKeyId|x-amz-signature|x-amz-security-token)"\r?\n\r?\n)([^\r\n]+)/gi;

/** STS session tokens start with these base64 prefixes. */
const sessionTokenPattern =
	/(?<![A-Za-z0-9+/])(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz|AgoJb3JpZ2lu)[A-Za-z0-9+/=%]{16,}/g;

/** 40 base64 characters standing alone: the shape of a secret access key. */
const secretKeyShapePattern = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;

function looksLikeSecretKey(candidate: string): boolean {
	// Hex digests (SHA-1 is 40 hex characters) are single-case; secret keys mix cases and digits or / +.
	return /[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /[0-9/+]/.test(candidate);
}

function escapeRegExp(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);
}

/**
 * Replaces every given secret (and its URL-encoded form) and every secret-looking value with '***'.
 * Undefined or short (< 4 characters) entries in `secrets` are ignored.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
	let result = text;
	const variants = new Set<string>();
	for (const secret of secrets) {
		if (secret !== undefined && secret.length >= minSecretLength) {
			variants.add(secret);
			variants.add(encodeURIComponent(secret));
			variants.add(JSON.stringify(secret).slice(1, -1));
		}
	}

	for (const variant of [...variants].sort((a, b) => b.length - a.length)) {
		result = result.replaceAll(new RegExp(escapeRegExp(variant), 'g'), redactedMarker);
	}

	return result
		.replaceAll(xmlPattern, (_match, open: string, _key: string, _value: string, close: string) => {
			return `${open}${redactedMarker}${close}`;
		})
		.replaceAll(formFieldPattern, `$1${redactedMarker}`)
		.replaceAll(keyValuePattern, (match, head: string, value: string) =>
			value === redactedMarker ? match : `${head}${redactedMarker}`,
		)
		.replaceAll(sessionTokenPattern, redactedMarker)
		.replaceAll(secretKeyShapePattern, (candidate) => (looksLikeSecretKey(candidate) ? redactedMarker : candidate));
}
