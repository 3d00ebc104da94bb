import type { DeviceChoice, DeviceList, DeviceOption } from '../../services/camera/cameraService';

/** Camera and microphone pickers for the system check ("choose another microphone"). */
export function DevicePickers(props: {
  readonly devices: DeviceList;
  readonly choice: DeviceChoice;
  readonly cameraId: string;
  readonly microphoneId: string;
  readonly disabled: boolean;
  readonly onChoose: (choice: DeviceChoice) => void;
}) {
  const { devices, choice, cameraId, microphoneId, disabled, onChoose } = props;
  return (
    <div className="device-pickers">
      <Picker id="check-camera" label="Camera" options={devices.cameras} value={cameraId} disabled={disabled} onChange={(id) => onChoose({ ...choice, cameraId: id })} />
      <Picker id="check-microphone" label="Microphone" options={devices.microphones} value={microphoneId} disabled={disabled} onChange={(id) => onChoose({ ...choice, microphoneId: id })} />
    </div>
  );
}

function Picker(props: {
  readonly id: string;
  readonly label: string;
  readonly options: readonly DeviceOption[];
  readonly value: string;
  readonly disabled: boolean;
  readonly onChange: (id: string | null) => void;
}) {
  const { id, label, options, value, disabled, onChange } = props;
  const known = options.some((o) => o.id === value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={known ? value : ''} disabled={disabled || options.length === 0} onChange={(e) => onChange(e.target.value || null)}>
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
