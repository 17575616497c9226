/**
 * The ec2 query protocol: the awsQuery form with EC2's naming (queryName, else capitalised
 * names; lists always `Name.N`), responses without a Result wrapper that carry `requestId`,
 * and errors as `<Response><Errors>`.
 */
import type { ProtocolCodec, RawResponse, ResponseContext } from './types.ts';
import { formOperationName, parseFormRequest } from './form.ts';
import { shapeOf } from './values.ts';
import { errorStatus, escapeAttr, escapeText, textElement, wireErrorCode, writeMembers } from './xml-writer.ts';

function headers(ctx: ResponseContext, extra?: Record<string, string>): Record<string, string> {
  return { ...extra, 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': ctx.requestId };
}

export const ec2Codec: ProtocolCodec = {
  name: 'ec2',

  operationName: formOperationName,

  async parseRequest(req, model, op) {
    return parseFormRequest(req, model, op, 'ec2');
  },

  serializeResponse(output, model, op, ctx): RawResponse {
    const name = op.name;
    const ns = model.metadata.xmlNamespace;
    const members = op.output ? writeMembers(model, output, shapeOf(model, op.output)) : '';
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<${name}Response${ns ? ` xmlns="${escapeAttr(ns)}"` : ''}>` +
      `<requestId>${escapeText(ctx.requestId)}</requestId>${members}</${name}Response>`;
    return { status: 200, headers: headers(ctx), body };
  },

  serializeError(err, model, _op, ctx): RawResponse {
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>` +
      textElement('Code', wireErrorCode(err, model)) +
      textElement('Message', err.message) +
      `</Error></Errors><RequestID>${escapeText(ctx.requestId)}</RequestID></Response>`;
    return { status: errorStatus(err, model), headers: headers(ctx, err.headers), body };
  },
};
