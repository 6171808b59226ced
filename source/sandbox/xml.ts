/** XML for the sandbox's S3, STS and protocol error documents: core's writer plus the declaration. */
export {el, escapeXml, node} from '../core/xml-escape.js';

export const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
