/** EC2 Query XML: response envelopes, error documents and small element builders. */
import {el} from '../../core/xml-escape.js';

export {el, node} from '../../core/xml-escape.js';

export const ec2Namespace = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** <name><item>..</item>...</name>, or <name/> when empty, as EC2 writes empty sets. */
export function itemSet(name: string, items: string[]): string {
	if (items.length === 0) {
		return `<${name}/>`;
	}

	return `<${name}>${items.map((item) => `<item>${item}</item>`).join('')}</${name}>`;
}

/** EC2 timestamps: 2026-11-26T14:32:01.000Z */
export function ec2Time(value: Date | string | number): string {
	return new Date(value).toISOString();
}

export function responseXml(action: string, requestId: string, body: string): string {
	return (
		'<?xml version="1.0" encoding="UTF-8"?>\n' +
		`<${action}Response xmlns="${ec2Namespace}">${el('requestId', requestId)}${body}</${action}Response>`
	);
}

export function errorXml(code: string, message: string, requestId: string): string {
	return (
		'<?xml version="1.0" encoding="UTF-8"?>\n' +
		`<Response><Errors><Error>${el('Code', code)}${el('Message', message)}</Error></Errors>${el('RequestID', requestId)}</Response>`
	);
}
