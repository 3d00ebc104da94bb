import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { Logger } from '../services/logger';
import { FatalScreen } from './FatalScreen';

interface Props {
  readonly log: Logger;
  readonly children: ReactNode;
}

/**
 * Catches rendering bugs and shows a calm screen. It never reloads the page: during an exam the
 * answers live in the journal and on the server, and a reload could take the learner out of a
 * kiosk window. "Try again" re-renders in place.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    this.props.log.error('render failed', { error: error.message, stack: info.componentStack ?? '' });
  }

  override render() {
    if (this.state.error) {
      return <FatalScreen detail={this.state.error.message} onRetry={() => this.setState({ error: null })} />;
    }
    return this.props.children;
  }
}
