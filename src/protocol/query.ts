/**
 * The awsQuery protocol (STS, IAM, SNS, SQS and CloudWatch query clients, ...): form-encoded
 * requests naming the operation in `Action`, XML responses wrapped in `{Op}Response` /
 * `{Op}Result`, errors as `<ErrorResponse>`.
 */
import { formOperationName, parseFormRequest } from './form.ts';
import type { ServiceModel } from './model-types.ts';
import type { ProtocolCodec, RawResponse, ResponseContext } from './types.ts';
import { shapeOf } from './values.ts';
import { errorFields, errorStatus, escapeAttr, escapeText, textElement, wireErrorCode, writeMembers } from './xml-writer.ts';

function xmlnsAttr(model: ServiceModel): string {
  const ns = model.metadata.xmlNamespace;
  return ns ? ` xmlns="${escapeAttr(ns)}"` : '';
}

function responseHeaders(ctx: ResponseContext, extra?: Record<string, string>): Record<string, string> {
  return { ...extra, 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId };
}

export const queryCodec: ProtocolCodec = {
  name: 'query',

  operationName: formOperationName,

  async parseRequest(req, model, op) {
    return parseFormRequest(req, model, op, 'query');
  },

  serializeResponse(output, model, op, ctx): RawResponse {
    const name = op.name;
    let result = '';
    if (op.output) {
      const wrapper = op.output.resultWrapper ?? `${name}Result`;
      result = `<${wrapper}>${writeMembers(model, output, shapeOf(model, op.output))}</${wrapper}>`;
    }
    const body =
      `<${name}Response${xmlnsAttr(model)}>${result}` +
      `<ResponseMetadata><RequestId>${escapeText(ctx.requestId)}</RequestId></ResponseMetadata></${name}Response>`;
    return { status: 200, headers: responseHeaders(ctx), body };
  },

  serializeError(err, model, _op, ctx): RawResponse {
    const body =
      `<ErrorResponse${xmlnsAttr(model)}><Error>` +
      `<Type>${err.sender ? 'Sender' : 'Receiver'}</Type>` +
      textElement('Code', wireErrorCode(err, model)) +
      textElement('Message', err.message) +
      errorFields(err, model) +
      `</Error><RequestId>${escapeText(ctx.requestId)}</RequestId></ErrorResponse>`;
    return { status: errorStatus(err, model), headers: responseHeaders(ctx, err.headers), body };
  },
};
