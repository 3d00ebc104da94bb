// A producer consumed on another router is piped there once (mediasoup's pipeToRouter, which keeps
// the producer's id); later consumers on that router reuse the piped producer until it closes.
import type { types } from 'mediasoup';

export class ProducerPipes {
  private readonly piped = new Map<string, Promise<void>>();

  /** Makes `producer` (on `from`) consumable on `to`. */
  ensure(producer: types.Producer, from: types.Router, to: types.Router): Promise<void> {
    const key = `${to.id} ${producer.id}`;
    const existing = this.piped.get(key);
    if (existing) return existing;
    const piping = from.pipeToRouter({ producerId: producer.id, router: to, enableSctp: false }).then(
      ({ pipeProducer }) => {
        if (!pipeProducer || pipeProducer.closed) {
          this.piped.delete(key);
          return;
        }
        pipeProducer.observer.once('close', () => this.piped.delete(key));
      },
      (error: unknown) => {
        this.piped.delete(key);
        throw error;
      },
    );
    this.piped.set(key, piping);
    return piping;
  }
}
