import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { IdentityRecordView } from '../../../../shared/api/identity';
import { NO_ID_FIELDS } from '../../../../shared/ocr/idFields';
import { IdentityPanel } from './IdentityPanel';

type Attempt = IdentityRecordView['attempts'][number];

const attempt = (over: Partial<Attempt>): Attempt => ({
  attempt: 1,
  nameVerdict: 'mismatch',
  reason: 'None of the names on the ID match the registered name.',
  differences: [],
  registeredName: 'Amara Okafor',
  readName: 'EMILY CARTER',
  faceVerdict: 'different',
  status: 'in_progress',
  attemptsLeft: 2,
  fields: { ...NO_ID_FIELDS, fullName: 'Amara Okafor', nameSource: 'visual' },
  capture: 'auto',
  ocrMs: 600,
  faceDistance: 0.01,
  takenAt: '2031-03-03T09:00:00.000Z',
  server: { fields: { ...NO_ID_FIELDS, fullName: 'Emily Carter', nameSource: 'visual' }, faceDistance: 0.84, ocrMs: 900, faceMs: 700 },
  appHint: { nameVerdict: 'match', faceVerdict: 'match' },
  ...over,
});

const record = (a: Attempt): IdentityRecordView => ({
  sessionId: 's1',
  status: 'in_progress',
  registeredName: 'Amara Okafor',
  attempts: [a],
  images: [],
  duplicates: [],
  manualReviewReason: null,
});

describe('IdentityPanel', () => {
  it('shows the server’s verdicts and distance, and the app’s differing hint beside them', () => {
    render(<IdentityPanel identity={record(attempt({}))} grant={null} serverUrl="" deleted={false} />);
    expect(screen.getByText('Read from the ID by the server').nextSibling?.textContent).toBe('EMILY CARTER');
    expect(screen.getByText('Mismatch')).toBeInTheDocument();
    expect(screen.getByText('Different person').parentElement?.textContent).toContain('distance 0.84');
    const hint = screen.getByText('The learner’s app said').nextSibling?.textContent ?? '';
    expect(hint).toContain('Match');
    expect(hint).toContain('read “Amara Okafor”');
    expect(hint).toContain('distance 0.01');
  });

  it('says nothing of the app’s hint when it agrees with the server', () => {
    const agreed = attempt({ nameVerdict: 'match', faceVerdict: 'match', readName: 'AMARA OKAFOR', appHint: { nameVerdict: 'match', faceVerdict: 'match' } });
    render(<IdentityPanel identity={record(agreed)} grant={null} serverUrl="" deleted={false} />);
    expect(screen.queryByText('The learner’s app said')).toBeNull();
  });
});
