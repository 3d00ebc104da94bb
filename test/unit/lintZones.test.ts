import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Cross-zone targets are files that always exist (JSON), so the cases do not depend on other modules.
// The import zones are enforced by lint; these cases prove each rule fires (and that legal imports pass).
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('import zones', () => {
  it.each([
    ['shared/domain/probe.ts', "import { api } from '../../server/package.json';\nexport const x = api;", 'import-x/no-restricted-paths'],
    ['shared/domain/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", 'no-restricted-imports'],
    ['shared/domain/probe.ts', "import React from 'react';\nexport const x = React;", 'no-restricted-imports'],
    ['renderer/src/probe.ts', "import x from '../../electron/tsconfig.json';\nexport const y = x;", 'import-x/no-restricted-paths'],
    ['renderer/src/probe.ts', "import x from '../../server/package.json';\nexport const y = x;", 'import-x/no-restricted-paths'],
    ['renderer/src/probe.ts', "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;", 'no-restricted-imports'],
    ['renderer/src/features/probe.ts', 'export const y = window.invigil;', 'no-restricted-properties'],
    ['server/src/probe.ts', "import x from '../../electron/tsconfig.json';\nexport const y = x;", 'import-x/no-restricted-paths'],
    ['electron/services/probe.ts', "import { app } from 'electron';\nexport const y = app;", 'no-restricted-imports'],
    ['electron/main.ts', "import { ipcMain } from 'electron';\nexport const y = ipcMain;", 'no-restricted-imports'],
    ['electron/adapters/probe.ts', 'export function f(w: { webContents: { send(c: string): void } }) { w.webContents.send("x"); }', 'no-restricted-syntax'],
  ])('%s: forbidden import is an error', async (file, code, rule) => {
    expect(await ruleIds(file, code)).toContain(rule);
  });

  it.each([
    ['shared/domain/probe.ts', "import { z } from 'zod';\nimport { ok } from '../result';\nexport const x = [z, ok];"],
    ['renderer/src/probe.ts', "import { api } from '../../shared/api/routes';\nexport const y = api;"],
    ['server/src/probe.ts', "import { api } from '../../shared/api/routes';\nexport const y = api;"],
    ['electron/adapters/probe.ts', "import { app } from 'electron';\nexport const y = app;"],
  ])('%s: allowed import passes', async (file, code) => {
    expect(await ruleIds(file, code)).toEqual([]);
  });
});
