/** The one XML text writer: escaping and element builders for the manifest, the sandbox's S3, EC2 and STS documents. */

/** Escapes text for XML element content and attribute values (both quote kinds). */
export function escapeXml(value: string): string {
	return value
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&apos;');
}

/** <name>value</name>; nothing when value is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
	return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** <name>children</name> with already-built XML children. */
export function node(name: string, ...children: string[]): string {
	return `<${name}>${children.join('')}</${name}>`;
}
