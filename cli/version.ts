/** The package's version, as package.json states it (`coder-oidc --version`, `plan --version`, `env --version`). */
export function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../package.json") as { version: string }).version;
}
