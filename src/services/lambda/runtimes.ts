/** Runtime identifiers Lambda accepts, in the order its validation message lists them. */
export const RUNTIMES = [
  'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x',
  'nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'java8', 'java8.al2', 'java11', 'java17', 'java21', 'java25', 'python2.7',
  'python3.6', 'python3.7', 'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14',
  'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'dotnet6', 'dotnet8', 'dotnet10', 'nodejs4.3-edge',
  'go1.x', 'ruby2.5', 'ruby2.7', 'ruby3.2', 'ruby3.3', 'ruby3.4', 'ruby4.0', 'provided', 'provided.al2', 'provided.al2023',
  'java8.al2023', 'java11.al2023', 'java17.al2023',
];

const KNOWN = new Set(RUNTIMES);

export function isRuntime(value: string): boolean {
  return KNOWN.has(value);
}

export function runtimeMessage(value: string): string {
  return `Value ${value} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${RUNTIMES.join(', ')}] or be a valid ARN`;
}

/** The families kumo runs as local processes; others are stored but cannot be invoked. */
export type RuntimeFamily = 'nodejs' | 'python' | 'provided';

export function runtimeFamily(runtime: string | undefined): RuntimeFamily | undefined {
  if (!runtime) return undefined;
  if (runtime.startsWith('nodejs')) return 'nodejs';
  if (runtime.startsWith('python3')) return 'python';
  if (runtime.startsWith('provided')) return 'provided';
  return undefined;
}
