import type { ReactNode } from 'react';
import { cameraErrorText } from '../../services/camera/cameraErrors';
import type { DeviceChoice, DeviceList, DeviceOption } from '../../services/camera/cameraService';
import { LiveVideo } from './LiveVideo';
import { trackDeviceId, type PreviewState } from './useCameraPreview';

export interface CameraStepProps {
  readonly preview: PreviewState;
  readonly devices: DeviceList;
  readonly choice: DeviceChoice;
  readonly onChoose: (choice: DeviceChoice) => void;
  readonly onRetry: () => void;
  /** The disk check, shown under the device pickers. */
  readonly children?: ReactNode;
}

const ENDED = {
  problem: 'Your camera stopped working.',
  fix: 'Check that it is plugged in and that no other app (Zoom, Teams) has taken it, then choose Try again.',
};

/** The start page's "Camera and microphone" step: preview, device pickers, and what to do when it fails. */
export function CameraStep({ preview, devices, choice, onChoose, onRetry, children }: CameraStepProps) {
  const stream = preview.phase === 'live' ? preview.stream : null;
  const cameraId = choice.cameraId ?? trackDeviceId(stream, 'video') ?? '';
  const microphoneId = choice.microphoneId ?? trackDeviceId(stream, 'audio') ?? '';
  const error = preview.phase === 'failed' ? (preview.code === 'ended' ? ENDED : cameraErrorText(preview.code)) : null;
  return (
    <section className="card camera-step" aria-labelledby="camera-heading">
      <h2 id="camera-heading">Camera and microphone</h2>
      <p className="muted">
        You are recorded through your camera and microphone from the moment you begin until you submit. Sit facing the camera, in
        good light, with your face in the middle of the picture.
      </p>
      <div className="camera-step__body">
        <div className="camera-step__preview">
          <LiveVideo stream={stream} label="Your camera preview" className="camera-step__video" />
          {preview.phase === 'opening' && <p className="camera-step__overlay">Starting your camera…</p>}
          {preview.phase === 'failed' && (
            <p className="camera-step__overlay" aria-hidden="true">
              No picture
            </p>
          )}
        </div>
        <div className="camera-step__controls">
          <DevicePicker id="camera-select" label="Camera" options={devices.cameras} value={cameraId} onChange={(id) => onChoose({ ...choice, cameraId: id })} />
          <DevicePicker
            id="microphone-select"
            label="Microphone"
            options={devices.microphones}
            value={microphoneId}
            onChange={(id) => onChoose({ ...choice, microphoneId: id })}
          />
          {error && (
            <div className="notice notice--danger" role="alert">
              <p>
                <strong>{error.problem}</strong> {error.fix}
              </p>
              <button type="button" className="button button--secondary" onClick={onRetry}>
                Try again
              </button>
            </div>
          )}
          {preview.phase === 'live' && (
            <p className="check-line check-line--ok">
              <span aria-hidden="true">✓ </span>Your camera and microphone work.
            </p>
          )}
          {children}
        </div>
      </div>
    </section>
  );
}

function DevicePicker(props: {
  readonly id: string;
  readonly label: string;
  readonly options: readonly DeviceOption[];
  readonly value: string;
  readonly onChange: (id: string | null) => void;
}) {
  const { id, label, options, value, onChange } = props;
  const known = options.some((o) => o.id === value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={known ? value : ''} disabled={options.length === 0} onChange={(e) => onChange(e.target.value || null)}>
        {!known && <option value="">{options.length === 0 ? `No ${label.toLowerCase()} found yet` : 'System default'}</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
