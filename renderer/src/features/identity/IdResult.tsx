import type { IdAttemptResult } from '../../../../shared/api/identity';
import { retryAdvice, verdictText } from './identityText';
import { useFocusOnMount } from './useFocusOnMount';

type Difference = IdAttemptResult['differences'][number];

export interface IdResultProps {
  readonly result: IdAttemptResult;
  /** The reader did not run (engine missing or failed): the photo went to the proctor unread. */
  readonly readerProblem: string | null;
  readonly busy: boolean;
  readonly onRetry: () => void;
  readonly onContinue: () => void;
  readonly onContinueUnverified: () => void;
}

const KIND_TEXT: Record<Difference['kind'], string> = { missing: 'missing', extra: 'extra', different: 'different' };

/** One attempt's outcome: the verdict in words and icon, both names with differences marked, and what next. */
export function IdResult({ result, readerProblem, busy, onRetry, onContinue, onContinueUnverified }: IdResultProps) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const passed = result.status === 'passed';
  const verdict = verdictText[result.nameVerdict];
  return (
    <div className="identity__stage">
      <h3 ref={heading} tabIndex={-1}>
        Result of attempt {result.attempt}
      </h3>
      <div className={`identity-verdict identity-verdict--${passed ? 'passed' : result.nameVerdict}`}>
        <span className="identity-verdict__icon" aria-hidden="true">
          {verdict.icon}
        </span>
        <div>
          <p className="identity-verdict__title">
            <strong>{passed ? 'Identity check passed. ' : 'Identity check not passed. '}</strong>
            {verdict.title}
          </p>
          <p className="identity-verdict__reason">{result.reason}</p>
        </div>
      </div>
      {readerProblem && (
        <p className="notice notice--warning" role="alert">
          {readerProblem}
        </p>
      )}
      <dl className="identity-names">
        <div>
          <dt>Your registered name</dt>
          <dd>
            <NameTokens name={result.registeredName} side="registered" differences={result.differences} />
          </dd>
        </div>
        <div>
          <dt>Name read from your ID</dt>
          <dd>{result.readName ? <NameTokens name={result.readName} side="read" differences={result.differences} /> : <em>Not read</em>}</dd>
        </div>
      </dl>
      {result.differences.length > 0 && (
        <>
          <h4 className="identity-names__heading">Differences</h4>
          <ul className="identity-differences">
            {result.differences.map((d, i) => {
              const sentence = differenceSentence(d);
              return sentence && <li key={i}>{sentence}</li>;
            })}
          </ul>
        </>
      )}
      {passed ? (
        <div className="actions">
          <button type="button" className="button button--primary" onClick={onContinue} disabled={busy}>
            Continue
          </button>
        </div>
      ) : (
        <>
          <p>{retryAdvice(result)}</p>
          {result.attemptsLeft === 0 && (
            <p className="notice notice--info">
              You have used all {result.attempt} attempts. You can still take the exam: a proctor will check your ID from the photos.
            </p>
          )}
          <div className="actions">
            {result.attemptsLeft > 0 && (
              <button type="button" className="button button--primary" onClick={onRetry} disabled={busy}>
                Try again ({result.attemptsLeft} {result.attemptsLeft === 1 ? 'attempt' : 'attempts'} left)
              </button>
            )}
            <button type="button" className={`button ${result.attemptsLeft > 0 ? 'button--secondary' : 'button--primary'}`} onClick={onContinueUnverified} disabled={busy}>
              Continue — a proctor will verify my ID
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** The name, word by word, with each word the comparison found different marked (and said in words). */
function NameTokens({ name, side, differences }: { readonly name: string; readonly side: Difference['side']; readonly differences: readonly Difference[] }) {
  const tokens = name.split(/\s+/).filter(Boolean);
  return (
    <span className="identity-name">
      {tokens.map((token, i) => {
        const diff = differences.find((d) => d.side === side && sameToken(d.token, token));
        return (
          <span key={i}>
            {i > 0 && ' '}
            {diff ? (
              <mark className="identity-name__diff">
                {token}
                <span className="visually-hidden"> ({KIND_TEXT[diff.kind]})</span>
              </mark>
            ) : (
              token
            )}
          </span>
        );
      })}
    </span>
  );
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const sameToken = (a: string, b: string) => fold(a) === fold(b);

/** One sentence per difference; a `different` pair (one entry per side) is said once. */
function differenceSentence(d: Difference): string | null {
  switch (d.kind) {
    case 'different':
      return d.side === 'registered' ? `Your registered name has “${d.token}”; your ID has “${d.counterpart ?? ''}”.` : null;
    case 'missing':
      return `“${d.token}” from your registered name was not found on your ID.`;
    case 'extra':
      return `“${d.token}” on your ID is not in your registered name.`;
  }
}
