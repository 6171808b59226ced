/** Small XML builders shared by the sandbox's S3, STS and protocol error documents. */

export const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Escapes text for element content and double-quoted attributes. */
export function escapeXml(value: string): string {
	return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** <name>value</name>; nothing when value is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
	return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** <name>children</name> with already-built children. */
export function node(name: string, ...children: string[]): string {
	return `<${name}>${children.join('')}</${name}>`;
}
