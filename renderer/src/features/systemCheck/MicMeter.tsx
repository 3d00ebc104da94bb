/** A level meter the learner can watch move when they speak; its value is exposed to assistive tech. */
export function MicMeter({ level, heard }: { readonly level: number; readonly heard: boolean }) {
  const percent = Math.round(level * 100);
  return (
    <div className="mic-meter">
      <span className="mic-meter__label" id="mic-meter-label">
        Microphone level
      </span>
      <div
        className="mic-meter__track"
        role="meter"
        aria-labelledby="mic-meter-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={percent < 5 ? 'silent' : `${percent} percent`}
      >
        <div className="mic-meter__bar" style={{ width: `${percent}%` }} />
      </div>
      <span className="mic-meter__hint">{heard ? 'Sound heard.' : 'Say something: the bar should move.'}</span>
    </div>
  );
}
