import { useState } from 'react';
import { translators, type TranslatorId } from '../../../../shared/domain/translatorUrls';
import { useServices } from '../../app/services';

/**
 * The exam player's button to show or hide the translator beside the exam (desktop host:
 * `translator:setVisible`). In a browser the side view does not exist, and the learner is told so.
 */
export function TranslatorPanelToggle({ translator }: { readonly translator: TranslatorId | null }) {
  const { host, appInfo, log } = useServices();
  const [visible, setVisible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const name = translator ? translators[translator].displayName : 'the translator';

  if (appInfo.hostKind === 'web' || !appInfo.capabilities.translatorView) {
    return (
      <p className="translator-toggle__note" role="note">
        {appInfo.hostKind === 'web'
          ? 'The translator side view is available only in the Invigil desktop app.'
          : 'This version of Invigil cannot show the translator beside the exam.'}
      </p>
    );
  }

  const toggle = async () => {
    setBusy(true);
    setProblem(null);
    const reply = await host['translator:setVisible']({ visible: !visible });
    setBusy(false);
    if (reply.ok) {
      setVisible(reply.value.visible);
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
      <button type="button" className="button button--secondary" aria-pressed={visible} disabled={busy} onClick={() => void toggle()}>
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
