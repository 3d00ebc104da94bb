import type { SessionEventKind } from '../../../../shared/api/events';

const LABELS: Record<SessionEventKind, string> = {
  absent: 'No face',
  multiple_faces: 'Several faces',
  different_person: 'Different person',
  looking_away: 'Looking away',
  speech: 'Speech',
  camera_blocked: 'Camera blocked',
  camera_lost: 'Camera lost',
  recording_gap: 'Recording gap',
  focus_lost: 'Focus lost',
  fullscreen_exited: 'Left full screen',
  display_added: 'Display added',
  display_removed: 'Display removed',
  suspend: 'Computer slept',
  blocked_process: 'Blocked application',
  virtual_machine: 'Virtual machine',
  shortcut_blocked: 'Shortcut blocked',
  quit_requested: 'Tried to quit',
  translator_navigation_blocked: 'Translator navigation blocked',
  app_incident: 'App incident',
  offline: 'Offline',
  web_client: 'Web client',
  identity_unverified: 'ID not verified',
  duplicate_account: 'Duplicate account',
  identity_disagreement: 'ID check disagreed with the app',
  attestation_failed: 'App attestation failed',
  proctor_ended: 'Ended by the proctor',
};

export const kindLabel = (kind: SessionEventKind): string => LABELS[kind] ?? kind.replace(/_/g, ' ');
