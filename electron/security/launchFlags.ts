/**
 * Switches and variables that hand control of the app to a debugger. The fuses turn off Node's own
 * (--inspect, NODE_OPTIONS, ELECTRON_RUN_AS_NODE) in a packaged build, but Chromium's remote
 * debugging is not a fuse: a packaged build must refuse to start with it.
 */
const debuggingSwitches = ['--remote-debugging-port', '--remote-debugging-pipe', '--remote-debugging-address', '--inspect', '--inspect-brk', '--inspect-port'];
const debuggingVariables = ['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS'];

/** The debugging switches and variables present in this launch (empty when it is clean). */
export function debuggingRequests(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  const switches = argv.filter((arg) => debuggingSwitches.some((s) => arg === s || arg.startsWith(`${s}=`))).map((arg) => arg.split('=')[0]!);
  const variables = debuggingVariables.filter((name) => (env[name] ?? '') !== '');
  return [...new Set([...switches, ...variables])];
}
