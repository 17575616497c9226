export default async function globalTeardown() {
  await Promise.all(globalThis.__KUMOS__.map((kumo) => kumo.stop()));
}
