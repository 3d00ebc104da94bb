/** Sizes in decimal units, as operating systems show free disk space. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e5) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes > 0) return `${Math.max(1, Math.round(bytes / 1e3))} KB`;
  return '0 MB';
}

/** A rough "time left" a learner can plan with; null when the speed is not known yet. */
export function formatTimeLeft(bytesLeft: number, bytesPerSecond: number | null): string | null {
  if (bytesLeft <= 0) return null;
  if (bytesPerSecond === null || bytesPerSecond <= 0) return null;
  const seconds = bytesLeft / bytesPerSecond;
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} left`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `about ${h} h ${m} min left`;
}
