import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MonitoringPrompt } from './MonitoringPrompt';

describe('MonitoringPrompt', () => {
  it('says what to do, politely, and nothing when all is well', () => {
    const { rerender } = render(<MonitoringPrompt prompts={['absent']} />);
    const region = screen.getByTestId('monitoring-prompt');
    expect(region).toHaveAttribute('aria-live', 'polite');
    expect(region).toHaveTextContent('We can’t see your face — please move back into view of the camera.');
    expect(region.textContent).not.toMatch(/score|flag|risk/i);
    rerender(<MonitoringPrompt prompts={['multiple_faces', 'speech']} />);
    expect(region).toHaveTextContent(/more than one person/);
    expect(region).toHaveTextContent(/We can hear talking/);
    rerender(<MonitoringPrompt prompts={[]} />);
    expect(region).toBeEmptyDOMElement();
  });
});
