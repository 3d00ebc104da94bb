/** Speaks urgent messages (deadline warnings) to screen readers. */
export interface Announcer {
  announce(text: string): void;
}

/**
 * Writes into an assertive live region that sits outside the app's root, so a message still reaches
 * screen readers while a modal dialog makes the page behind it inert.
 */
export class LiveRegionAnnouncer implements Announcer {
  constructor(private readonly region: HTMLElement) {}

  announce(text: string): void {
    // Clearing first makes a repeated message count as a change.
    this.region.textContent = '';
    this.region.textContent = text;
  }
}
