import type { IdentityRecordView } from '../../../../shared/api/identity';
import type { PlaybackGrant } from '../../../../shared/api/review';
import { Notice } from '../../components/Notice';
import { BlobImage } from './BlobImage';

const VERDICT: Record<string, string> = {
  match: 'Match',
  partial: 'Partial match',
  mismatch: 'Mismatch',
  unreadable: 'Unreadable',
  different: 'Different person',
  unknown: 'Not compared',
};
const tone = (v: string) => (v === 'match' ? 'ok' : v === 'partial' || v === 'unknown' || v === 'unreadable' ? 'warn' : 'bad');

type Attempt = IdentityRecordView['attempts'][number];

/** The name the learner's app read, as it sent it. */
const appReadName = (a: Attempt): string | null =>
  a.fields.fullName ?? ([a.fields.givenNames, a.fields.surname].filter((p) => p !== null).join(' ') || null);

/** The app's hint, where its verdicts differ from the server's (which decided). */
function AppHint({ attempt }: { readonly attempt: Attempt }) {
  const hint = attempt.appHint;
  if (!hint || (hint.nameVerdict === attempt.nameVerdict && hint.faceVerdict === attempt.faceVerdict)) return null;
  return (
    <div>
      <dt>The learner’s app said</dt>
      <dd>
        Name <span className={`verdict verdict--${tone(hint.nameVerdict)}`}>{VERDICT[hint.nameVerdict]}</span>
        {appReadName(attempt) && <> (read “{appReadName(attempt)}”)</>}, face{' '}
        <span className={`verdict verdict--${tone(hint.faceVerdict)}`}>{VERDICT[hint.faceVerdict]}</span>
        {attempt.faceDistance !== null && <> (distance {attempt.faceDistance.toFixed(2)})</>}. The server’s own reading above decided.
      </dd>
    </div>
  );
}

/**
 * The ID check as the proctor verifies it: the photos, what the server read against the registered
 * name and its face comparison (the verdicts), and the learner's app's hint where it said otherwise.
 */
export function IdentityPanel({ identity, grant, serverUrl, deleted }: {
  readonly identity: IdentityRecordView | null;
  readonly grant: PlaybackGrant | null;
  readonly serverUrl: string;
  readonly deleted: boolean;
}) {
  if (!identity) return <p className="muted">This attempt has no identity check.</p>;
  const urlOf = (imageId: string) => grant?.images.find((i) => i.imageId === imageId)?.url;
  const face = identity.images.find((i) => i.kind === 'face');
  const last = identity.attempts[identity.attempts.length - 1];
  // The server's reading decided; attempts stored before the server read IDs have only the app's.
  const read = last?.server?.fields ?? last?.fields;
  const distance = last?.server ? last.server.faceDistance : (last?.faceDistance ?? null);
  return (
    <div className="identity-review">
      {identity.duplicates && identity.duplicates.length > 0 && (
        <Notice tone="danger">
          <p>
            <strong>Duplicate account alert:</strong> the same document was presented by{' '}
            {identity.duplicates.map((d) => `${d.displayName} (session ${d.sessionId})`).join(', ')}.
          </p>
        </Notice>
      )}
      <p>
        Status: <strong>{identity.status.replace(/_/g, ' ')}</strong>
        {identity.manualReviewReason && <> — the learner went on unverified ({identity.manualReviewReason.replace(/_/g, ' ')})</>}
      </p>
      <div className="identity-review__images">
        {deleted ? (
          <p className="muted">The ID images were deleted under the retention policy.</p>
        ) : (
          <>
            {face && urlOf(face.id) && (
              <figure>
                <BlobImage url={serverUrl + urlOf(face.id)} alt="Face photo taken before the exam" width={160} />
                <figcaption>Face photo</figcaption>
              </figure>
            )}
            {identity.images
              .filter((i) => i.kind === 'id')
              .map((i) =>
                urlOf(i.id) ? (
                  <figure key={i.id}>
                    <BlobImage url={serverUrl + urlOf(i.id)} alt={`ID photo, attempt ${i.attempt ?? ''}`} width={220} />
                    <figcaption>ID photo, attempt {i.attempt}</figcaption>
                  </figure>
                ) : null,
              )}
          </>
        )}
      </div>
      <dl className="review-facts">
        <div>
          <dt>Registered name</dt>
          <dd>{identity.registeredName}</dd>
        </div>
        {last && (
          <>
            <div>
              <dt>{last.server ? 'Read from the ID by the server' : 'Read from the ID'}</dt>
              <dd>{last.readName ?? <span className="muted">nothing readable</span>}</dd>
            </div>
            <div>
              <dt>Name</dt>
              <dd>
                <span className={`verdict verdict--${tone(last.nameVerdict)}`}>{VERDICT[last.nameVerdict]}</span> {last.reason}
              </dd>
            </div>
            <div>
              <dt>MRZ</dt>
              <dd>{read?.mrzValid ? 'Check digits valid' : read?.nameSource === 'mrz' || read?.nameSource === 'both' ? 'Check digits invalid' : 'No MRZ read'}</dd>
            </div>
            <div>
              <dt>Face</dt>
              <dd>
                <span className={`verdict verdict--${tone(last.faceVerdict)}`}>{VERDICT[last.faceVerdict]}</span>
                {distance !== null && <> · distance {distance.toFixed(2)} (lower is closer)</>}
              </dd>
            </div>
            <AppHint attempt={last} />
          </>
        )}
      </dl>
      {last && last.differences.length > 0 && (
        <>
          <h4>Name differences</h4>
          <ul className="differences">
            {last.differences.map((d, i) => (
              <li key={i}>
                {d.kind === 'missing' ? 'Missing' : d.kind === 'extra' ? 'Extra' : 'Different'} on the {d.side === 'registered' ? 'registered name' : 'ID'}:{' '}
                <strong>{d.token}</strong>
                {d.counterpart && <> (vs {d.counterpart})</>}
              </li>
            ))}
          </ul>
        </>
      )}
      {identity.attempts.length > 1 && <p className="muted">{identity.attempts.length} ID attempts; the last is shown.</p>}
    </div>
  );
}
