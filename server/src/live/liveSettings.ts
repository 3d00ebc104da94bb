/** How the review server runs its live proctoring SFU (parsed from the environment in config.ts). */
export interface LiveSettings {
  /** `INVIGIL_LIVE=off` switches live proctoring off; recording and review never depend on it. */
  readonly enabled: boolean;
  /** mediasoup workers (one router each); one per core by default. */
  readonly workers: number;
  /** The address WebRTC transports listen on: 127.0.0.1 in development, 0.0.0.0 (or the host's) deployed. */
  readonly listenIp: string;
  /** The public address or host name learners and proctors reach, when the server sits behind NAT. */
  readonly announcedAddress: string | undefined;
  /** The UDP/TCP port range media uses (open it in the firewall). */
  readonly rtcMinPort: number;
  readonly rtcMaxPort: number;
}

export const DEFAULT_RTC_MIN_PORT = 40_000;
export const DEFAULT_RTC_MAX_PORT = 49_999;
