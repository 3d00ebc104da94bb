import { describe, expect, it } from 'vitest';
import { debuggingRequests, launchRefusalMessage } from './launchFlags';

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
    // Set globally on some workplace machines: neither loads code nor opens a debugger.
    expect(debuggingRequests(['invigil'], { NODE_OPTIONS: '--max-old-space-size=4096 --use-openssl-ca' })).toEqual([]);
    for (const value of ['--inspect', '--inspect-brk=9229', '-r ./hook.js', '--import=data:text/javascript,1', '--loader ./l.mjs', '--max-old-space-size=1 --require x']) {
      expect(debuggingRequests(['invigil'], { NODE_OPTIONS: value }), value).toEqual(['NODE_OPTIONS']);
    }
  });
});

describe('debuggingRequests with execArgv', () => {
  it('finds --inspect that Node consumed from execArgv', () => {
    expect(debuggingRequests(['invigil'], {}, ['--inspect=0'])).toEqual(['--inspect']);
  });

  it('words the refusal for a learner, naming the switches and the next step', () => {
    const message = launchRefusalMessage(['--inspect', 'NODE_OPTIONS']);
    expect(message).toContain('--inspect, NODE_OPTIONS');
    expect(message).toMatch(/start it again/);
  });
});
