import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Testing Library only auto-cleans when test globals are on; this project keeps them off.
afterEach(() => {
  cleanup();
});

// jsdom has no media playback; the live previews call play().
HTMLMediaElement.prototype.play = () => Promise.resolve();
