import assert from 'node:assert/strict';

const JSON_HEADERS = { 'content-type': 'application/json' };

export async function putRule(endpoint: string, id: string, rule: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${endpoint}/kumo/faults/${id}`, { method: 'PUT', headers: JSON_HEADERS, body: JSON.stringify(rule) });
  return { status: res.status, json: await res.json() };
}

export async function resetFaults(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/kumo/faults/reset`, { method: 'POST', headers: JSON_HEADERS });
  assert.equal(res.status, 200);
}

export async function history(endpoint: string, rule?: string): Promise<any[]> {
  const res = await fetch(`${endpoint}/kumo/faults/history${rule ? `?rule=${rule}` : ''}`);
  return ((await res.json()) as { events: any[] }).events;
}
