import { useEffect, useState } from 'react';
import { translators, type TranslatorId } from '../../../../shared/domain/translatorUrls';
import { useServices } from '../../app/services';
import { describeError } from '../../services/api/errorText';
import type { PreExamStepProps } from '../preExam/stepTypes';
import { useStepHeading } from '../systemCheck/useStepHeading';
import { TRANSLATOR_WHAT } from './translatorText';

/**
 * The translator choice: under `one-of` the learner picks one of the
 * approved translators before starting, the choice is recorded for the proctor, and only that one
 * opens during the exam. `any-of` (all available) and `none` need no choice: the step passes on.
 */
export function TranslatorStep({ exam, session, onSessionChange, onDone }: PreExamStepProps) {
  const mode = exam.policy.translators;
  useEffect(() => {
    if (mode !== 'one-of') onDone();
    // Once, when the step appears: the policy does not change while it is on screen.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (mode !== 'one-of') return null;
  return <TranslatorChoice exam={exam} session={session} onSessionChange={onSessionChange} onDone={onDone} />;
}

function TranslatorChoice({ exam, session, onSessionChange, onDone }: PreExamStepProps) {
  const { api } = useServices();
  const heading = useStepHeading();
  const offered = exam.policy.approvedTranslators;
  const previous = session.checks.translator;
  const [choice, setChoice] = useState<TranslatorId | null>(previous !== null && offered.includes(previous) ? previous : null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const note =
    exam.policy.clipboard === 'off'
      ? 'Copy and paste are off in this exam: type into the translator.'
      : 'Copy and paste work only between the exam and this translator.';

  const confirm = async () => {
    if (!choice) return;
    setSending(true);
    setError(null);
    const reply = await api.call('chooseTranslator', { params: { sessionId: session.id }, body: { translator: choice } });
    setSending(false);
    if (!reply.ok) {
      setError(describeError(reply.error));
      return;
    }
    onSessionChange(reply.value);
    onDone();
  };

  return (
    <section className="card translator-step" aria-labelledby="translator-heading">
      <h2 id="translator-heading" ref={heading} tabIndex={-1}>
        Choose a translator
      </h2>
      <p>
        This exam allows one of {offered.length === 1 ? 'the approved translators' : `${offered.length} approved translators`}. Choose the one
        you want before you begin: it opens beside the exam, and it is the only one you can use. Your proctor sees which one you chose.
      </p>
      <fieldset className="translator-cards">
        <legend>Translator</legend>
        {offered.map((id) => (
          <label key={id} className="translator-card">
            <input type="radio" name="translator" value={id} checked={choice === id} onChange={() => setChoice(id)} />
            <span>
              <span className="translator-card__name">{translators[id].displayName}</span>
              <span className="translator-card__what">{TRANSLATOR_WHAT[id]}</span>
              <span className="translator-card__note">{note}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error && (
        <div className="notice notice--danger" role="alert">
          <p>{error}</p>
        </div>
      )}
      <div className="translator-step__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={!choice || sending}
          aria-busy={sending}
          aria-describedby={choice ? undefined : 'translator-why'}
          onClick={() => void confirm()}
        >
          {sending ? 'Saving…' : choice ? `Use ${translators[choice].displayName}` : 'Use this translator'}
        </button>
        {!choice && (
          <span id="translator-why" className="muted">
            Choose a translator first.
          </span>
        )}
      </div>
    </section>
  );
}
