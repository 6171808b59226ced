/** The error documents each protocol sends: EC2 Query, S3 REST, STS (AWS Query). */
import {el, xmlDeclaration} from './xml.js';

export const stsNamespace = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function ec2ErrorXml(code: string, message: string, requestId: string): string {
	return (
		xmlDeclaration +
		`<Response><Errors><Error>${el('Code', code)}${el('Message', message)}</Error></Errors>${el('RequestID', requestId)}</Response>`
	);
}

export function s3ErrorXml(
	code: string,
	message: string,
	requestId: string,
	hostId: string,
	extra: Record<string, string | undefined> = {},
): string {
	const fields = Object.entries(extra)
		.map(([name, value]) => el(name, value))
		.join('');
	return (
		xmlDeclaration +
		`<Error>${el('Code', code)}${el('Message', message)}${fields}${el('RequestId', requestId)}${el('HostId', hostId)}</Error>`
	);
}

/** The AWS Query protocol's error document (STS; also used for a service the sandbox does not serve). */
export function queryErrorXml(
	code: string,
	message: string,
	requestId: string,
	status: number,
	namespace: string | undefined,
): string {
	const type = status >= 500 ? 'Receiver' : 'Sender';
	const xmlns = namespace === undefined ? '' : ` xmlns="${namespace}"`;
	return (
		xmlDeclaration +
		`<ErrorResponse${xmlns}><Error>${el('Type', type)}${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', requestId)}</ErrorResponse>`
	);
}

export function stsErrorXml(code: string, message: string, requestId: string, status: number): string {
	return queryErrorXml(code, message, requestId, status, stsNamespace);
}
