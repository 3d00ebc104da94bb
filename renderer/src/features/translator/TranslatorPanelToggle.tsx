import { useState } from 'react';
import { translators, type TranslatorId } from '../../../../shared/domain/translatorUrls';
import { useServices } from '../../app/services';

/**
 * The exam player's button to show or hide the translator beside the exam (desktop host:
 * `translator:setVisible`). In a browser the side view does not exist, and the learner is told so.
 */
export function TranslatorPanelToggle({ allowed }: { readonly allowed: readonly TranslatorId[] }) {
  const { host, appInfo, log } = useServices();
  const [visible, setVisible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // One translator (`one-of`: the learner's choice), or any approved one (`any-of`): the learner switches.
  const [translator, setTranslator] = useState<TranslatorId | null>(allowed[0] ?? null);
  const name = translator ? translators[translator].displayName : 'the translator';
  if (allowed.length === 0) return null;

  if (appInfo.hostKind === 'web' || !appInfo.capabilities.translatorView) {
    return (
      <p className="translator-toggle__note" role="note">
        {appInfo.hostKind === 'web'
          ? 'The translator side view is available only in the Invigil desktop app.'
          : 'This version of Invigil cannot show the translator beside the exam.'}
      </p>
    );
  }

  const toggle = async (show: boolean, which: TranslatorId | null) => {
    setBusy(true);
    setProblem(null);
    const reply = await host['translator:setVisible']({ visible: show, ...(which ? { translator: which } : {}) });
    setBusy(false);
    if (reply.ok) {
      setVisible(reply.value.visible);
      if (reply.value.translator) setTranslator(reply.value.translator);
      return;
    }
    log.warn('translator view did not toggle', { code: reply.error.code });
    setProblem(
      reply.error.code === 'unsupported'
        ? 'The translator side view is available only in the Invigil desktop app.'
        : `${name} could not be ${visible ? 'hidden' : 'shown'}. Try again; if it keeps failing, tell your proctor.`,
    );
  };

  return (
    <div className="translator-toggle">
      {allowed.length > 1 && (
        <label className="translator-toggle__choice">
          Translator{' '}
          <select
            value={translator ?? ''}
            disabled={busy}
            onChange={(e) => {
              const next = e.target.value as TranslatorId;
              setTranslator(next);
              // Switching while shown opens the other one in its place (the old one's storage is wiped).
              if (visible) void toggle(true, next);
            }}
          >
            {allowed.map((id) => (
              <option key={id} value={id}>
                {translators[id].displayName}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" className="button button--secondary" aria-pressed={visible} disabled={busy} onClick={() => void toggle(!visible, translator)}>
        {visible ? `Hide ${name}` : `Show ${name}`}
      </button>
      {problem && (
        <p className="translator-toggle__note" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
