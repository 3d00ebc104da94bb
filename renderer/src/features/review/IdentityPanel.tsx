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

/** The ID check as the proctor verifies it: the photos, what was read against the registered name, and the scores. */
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
              <dt>Read from the ID</dt>
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
              <dd>{last.fields.mrzValid ? 'Check digits valid' : last.fields.nameSource === 'mrz' || last.fields.nameSource === 'both' ? 'Check digits invalid' : 'No MRZ read'}</dd>
            </div>
            <div>
              <dt>Face</dt>
              <dd>
                <span className={`verdict verdict--${tone(last.faceVerdict)}`}>{VERDICT[last.faceVerdict]}</span>
                {last.faceDistance !== null && <> · distance {last.faceDistance.toFixed(2)} (lower is closer)</>}
              </dd>
            </div>
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
