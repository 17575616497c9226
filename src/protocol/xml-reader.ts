/**
 * Model-driven parsing of XML request bodies (rest-xml). fast-xml-parser tokenizes; entity
 * decoding is done here so that only XML's own entities and character references are
 * accepted (no DTDs, no entity expansion), and the model decides every value's type.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AwsError } from './aws-error.ts';
import { decodeScalar, setEntry, type ScalarError } from './form.ts';
import type { ServiceModel, Shape, ShapeRef } from './model-types.ts';
import { shapeOf } from './values.ts';
import { memberElementName } from './xml-writer.ts';

/** What fast-xml-parser yields for an element: text, an object of children/attributes, or repeats. */
export type XmlNode = string | XmlElement | XmlNode[];
export interface XmlElement {
  [name: string]: XmlNode;
}

const TEXT = '#text';
const CDATA = '#cdata';
const ATTR = '@_';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  removeNSPrefix: true,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  textNodeName: TEXT,
  cdataPropName: CDATA,
});

const BAD_REFERENCE = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
const UNPARSED = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g;

/**
 * Parses a whole document into its root element (whose name is not checked, as botocore and
 * the SDKs do not); anything not well-formed, or carrying a DTD, is `malformed()`.
 */
export function parseXmlDocument(text: string, malformed: () => AwsError): XmlNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw malformed();
  // Every reference must be one XML predefines, including in text the model ignores.
  if (BAD_REFERENCE.test(text.includes('<!') ? text.replace(UNPARSED, '') : text)) throw malformed();
  if (XMLValidator.validate(text) !== true) throw malformed();
  let doc: XmlElement;
  try {
    doc = parser.parse(text) as XmlElement;
  } catch {
    throw malformed();
  }
  const names = Object.keys(doc).filter((k) => k !== TEXT);
  if (names.length !== 1) throw malformed();
  const root = doc[names[0]!]!;
  return Array.isArray(root) ? root[0]! : root;
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string, malformed: () => AwsError): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(ENTITY, (all, ref: string) => {
    if (!all.endsWith(';')) throw malformed();
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw malformed();
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref];
    if (named === undefined) throw malformed();
    return named;
  });
}

/** The character data of an element (text and CDATA sections), or undefined for a missing one. */
function textOf(node: XmlNode | undefined, malformed: () => AwsError): string | undefined {
  if (node === undefined) return undefined;
  if (Array.isArray(node)) return textOf(node[0], malformed);
  if (typeof node === 'string') return decodeEntities(node, malformed);
  const text = node[TEXT];
  const cdata = node[CDATA];
  return (typeof text === 'string' ? decodeEntities(text, malformed) : '') + (typeof cdata === 'string' ? cdata : Array.isArray(cdata) ? cdata.join('') : '');
}

interface MemberPlan {
  name: string;
  ref: ShapeRef;
  shape: Shape;
  /** Local element (or attribute) name. */
  element: string;
  /**
   * Smithy clients' spelling where it differs from botocore's: a flattened list named by its
   * structure member rather than its list member; a member not named after its target shape.
   */
  alt: string | undefined;
  attribute: boolean;
}

const plans = new WeakMap<Shape, MemberPlan[]>();

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function isFlattened(ref: ShapeRef, shape: Shape): boolean {
  return ref.flattened === true || shape.flattened === true;
}

/** Members bound to HTTP (uri, headers, ...) never come from the body. */
function structPlan(model: ServiceModel, shape: Shape): MemberPlan[] {
  let plan = plans.get(shape);
  if (!plan) {
    plan = [];
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location) continue;
      const target = shapeOf(model, ref);
      const element = localName(memberElementName(name, ref, target));
      const plain = localName(ref.locationName ?? name);
      plan.push({ name, ref, shape: target, element, alt: plain !== element ? plain : undefined, attribute: ref.xmlAttribute === true });
    }
    plans.set(shape, plan);
  }
  return plan;
}

/** Reads the members of a structure from its element. */
export function readStructure(model: ServiceModel, node: XmlNode, shape: Shape, malformed: () => AwsError, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const element = Array.isArray(node) ? node[0] : node;
  if (element === undefined || typeof element !== 'object' || Array.isArray(element)) return out;
  for (const m of structPlan(model, shape)) {
    const memberPath = path === '' ? m.name : `${path}.${m.name}`;
    if (m.attribute) {
      const raw = element[ATTR + m.element];
      if (typeof raw === 'string') out[m.name] = scalar(decodeEntities(raw, malformed), m.shape, memberPath, malformed);
      continue;
    }
    let child = element[m.element];
    if (child === undefined && m.alt !== undefined) child = element[m.alt];
    if (child === undefined) continue;
    out[m.name] = readValue(model, child, m.ref, m.shape, malformed, memberPath);
  }
  return out;
}

function scalar(raw: string, shape: Shape, path: string, malformed: () => AwsError): unknown {
  const fail: ScalarError = () => malformed();
  return decodeScalar(raw, shape, path, fail);
}

/**
 * One member's value. `node` holds every element with the member's name, so a flattened list
 * or map gets all its repeats; anything else takes the first.
 */
function readValue(model: ServiceModel, node: XmlNode, ref: ShapeRef, shape: Shape, malformed: () => AwsError, path: string): unknown {
  switch (shape.type) {
    case 'structure':
      return readStructure(model, Array.isArray(node) ? node[0]! : node, shape, malformed, path);
    case 'list': {
      const memberRef = shape.member!;
      const memberShape = shapeOf(model, memberRef);
      let items: XmlNode[];
      if (isFlattened(ref, shape)) items = Array.isArray(node) ? node : [node];
      else {
        const wrapper = Array.isArray(node) ? node[0]! : node;
        const name = localName(memberRef.locationName ?? memberShape.locationName ?? 'member');
        const found = typeof wrapper === 'object' && !Array.isArray(wrapper) ? wrapper[name] : undefined;
        items = found === undefined ? [] : Array.isArray(found) ? found : [found];
      }
      return items.map((item, i) => readValue(model, item, memberRef, memberShape, malformed, `${path}.${i + 1}`));
    }
    case 'map':
      return readMap(model, node, ref, shape, malformed, path);
    default: {
      const text = textOf(node, malformed) ?? '';
      return scalar(text, shape, path, malformed);
    }
  }
}

function readMap(model: ServiceModel, node: XmlNode, ref: ShapeRef, shape: Shape, malformed: () => AwsError, path: string): Record<string, unknown> {
  const keyRef = shape.key!;
  const valueRef = shape.value!;
  const keyShape = shapeOf(model, keyRef);
  const valueShape = shapeOf(model, valueRef);
  const keyName = localName(keyRef.locationName ?? 'key');
  const valueName = localName(valueRef.locationName ?? 'value');
  let entries: XmlNode[];
  if (isFlattened(ref, shape)) entries = Array.isArray(node) ? node : [node];
  else {
    const wrapper = Array.isArray(node) ? node[0]! : node;
    const found = typeof wrapper === 'object' && !Array.isArray(wrapper) ? wrapper.entry : undefined;
    entries = found === undefined ? [] : Array.isArray(found) ? found : [found];
  }
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    if (typeof entry !== 'object' || Array.isArray(entry)) continue;
    const key = textOf(entry[keyName], malformed);
    if (key === undefined) continue;
    const valueNode = entry[valueName];
    const value = valueNode === undefined ? undefined : readValue(model, valueNode, valueRef, valueShape, malformed, `${path}.${key}`);
    setEntry(out, String(scalar(key, keyShape, path, malformed)), value);
  }
  return out;
}
