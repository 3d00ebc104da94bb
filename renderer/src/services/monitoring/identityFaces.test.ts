import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { IdentityFaces } from './identityFaces';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map };
}

describe('IdentityFaces', () => {
  it('remembers a descriptor per session until forgotten', () => {
    const storage = memoryStorage();
    const faces = new IdentityFaces(storage, silentLogger);
    const d = Float32Array.from({ length: 128 }, (_, i) => i / 256);
    faces.remember('s1', d);
    expect(faces.recall('s1')).toEqual(d);
    expect(faces.recall('s2')).toBeNull();
    expect([...storage.map.keys()]).toEqual(['invigil.identityFace.s1']);
    faces.forget('s1');
    expect(faces.recall('s1')).toBeNull();
  });

  it('ignores what is not a 128-number descriptor', () => {
    const storage = memoryStorage();
    const faces = new IdentityFaces(storage, silentLogger);
    for (const raw of ['not json', '{"descriptor":[1,2,3]}', JSON.stringify({ descriptor: Array(128).fill('x') })]) {
      storage.setItem(IdentityFaces.key('s1'), raw);
      expect(faces.recall('s1')).toBeNull();
    }
  });
});
