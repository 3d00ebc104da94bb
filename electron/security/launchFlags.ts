/**
 * Switches and variables that hand control of the app to a debugger or load foreign code into it.
 * The fuses (electron-builder.yml) make Node ignore --inspect, NODE_OPTIONS and ELECTRON_RUN_AS_NODE in
 * a packaged build, but Chromium's remote debugging is not a fuse, and a launch that asks for any of
 * them is a launch someone prepared: the exam does not run in it.
 */
const debuggingSwitches = [
  '--remote-debugging-port',
  '--remote-debugging-pipe',
  '--remote-debugging-address',
  '--inspect',
  '--inspect-brk',
  '--inspect-port',
  '--inspect-brk-node',
  '--inspect-publish-uid',
];
/**
 * NODE_OPTIONS counts only when it loads code or opens a debugger: some workplaces set it globally
 * (e.g. `--max-old-space-size`, `--use-openssl-ca`), and refusing those learners would be a false
 * alarm. The NODE_OPTIONS fuse makes a packaged build ignore it anyway.
 */
const codeLoadingNodeOptions = /(^|\s)(--inspect[\w-]*|--debug[\w-]*|--require|-r|--import|--loader|--experimental-loader|--experimental-policy)(=|\s|$)/;

/**
 * The debugging switches and variables present in this launch (empty when it is clean). Pass Node's
 * `execArgv` too: Electron's Node consumes `--inspect` there rather than leaving it in `argv`.
 */
export function debuggingRequests(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  execArgv: readonly string[] = [],
): string[] {
  const switches = [...argv, ...execArgv]
    .filter((arg) => debuggingSwitches.some((s) => arg === s || arg.startsWith(`${s}=`)))
    .map((arg) => arg.split('=')[0]!);
  const variables = [
    ...((env['ELECTRON_RUN_AS_NODE'] ?? '') !== '' ? ['ELECTRON_RUN_AS_NODE'] : []),
    ...(codeLoadingNodeOptions.test(env['NODE_OPTIONS'] ?? '') ? ['NODE_OPTIONS'] : []),
  ];
  return [...new Set([...switches, ...variables])];
}

/** What the learner reads when the launch is refused: what happened and the next step. */
export function launchRefusalMessage(requests: readonly string[]): string {
  return (
    `Invigil was started with debugging switched on (${requests.join(', ')}), so it cannot run an exam: ` +
    'a debugger could read or change the exam. Close Invigil and start it again from its shortcut or ' +
    'the Start menu. If that does not help, ask support: someone may have changed how Invigil starts on this computer.'
  );
}
