import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ConfigError } from '../config.ts';
import { FaultRuleError } from './rule-error.ts';
import { parseRules, type FaultRule } from './rules.ts';

/** Reads a KUMO_FAULTS file (JSON, or YAML for .yaml/.yml); every problem names the file and the field. */
export async function loadFaultFile(file: string): Promise<FaultRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`KUMO_FAULTS: cannot read ${file}: ${(err as Error).message}`);
  }
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  let doc: unknown;
  try {
    // The YAML parser is loaded only for YAML files: most runs have no fault file at all.
    doc = yaml ? (await import('yaml')).parse(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`KUMO_FAULTS: ${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message}`);
  }
  try {
    return parseRules(doc);
  } catch (err) {
    if (err instanceof FaultRuleError) throw new ConfigError(`KUMO_FAULTS: ${file}: ${err.message}`);
    throw err;
  }
}
