import { describe, expect, it } from 'vitest';
import { debuggingRequests } from './launchFlags';

describe('debuggingRequests', () => {
  it('finds Chromium and Node debugging switches in any form', () => {
    expect(debuggingRequests(['/opt/Invigil/invigil', '--remote-debugging-port=9222', '--inspect'], {})).toEqual([
      '--remote-debugging-port',
      '--inspect',
    ]);
    expect(debuggingRequests(['invigil', '--remote-debugging-pipe'], {})).toEqual(['--remote-debugging-pipe']);
  });

  it('finds the variables that turn the app into a Node process or load code into it', () => {
    expect(debuggingRequests(['invigil'], { ELECTRON_RUN_AS_NODE: '1', NODE_OPTIONS: '--require /tmp/x.js' })).toEqual([
      'ELECTRON_RUN_AS_NODE',
      'NODE_OPTIONS',
    ]);
  });

  it('passes an ordinary launch, including look-alike arguments', () => {
    expect(debuggingRequests(['invigil', '--server-url=https://exams.example.edu', '--inspector-mode'], { NODE_OPTIONS: '' })).toEqual([]);
  });
});
