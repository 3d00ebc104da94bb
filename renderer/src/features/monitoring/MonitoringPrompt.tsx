import { type PromptKind, promptText } from '../../services/monitoring/monitorRules';

/**
 * A gentle, immediate prompt for what the learner can put right (face out of view, someone else in
 * view, camera covered, talking). No score and no mention of flags; it goes away by itself once the
 * cause is gone. The region is always in the page so screen readers announce changes politely
 * (a plain polite live region, not a `status`: the player's save status keeps that role).
 */
export function MonitoringPrompt({ prompts }: { readonly prompts: readonly PromptKind[] }) {
  return (
    <div className="monitoring-prompt" aria-live="polite" aria-atomic="true" data-testid="monitoring-prompt">
      {prompts.map((kind) => (
        <p key={kind} className="notice notice--info monitoring-prompt__item" data-prompt={kind}>
          {promptText[kind]}
        </p>
      ))}
    </div>
  );
}
