/**
 * A macrotask boundary, so messages from the page (pause, ablate) get through between training
 * chunks. A MessageChannel round trip is used instead of setTimeout(0) because nested timers are
 * clamped to 4 ms, which would cost a long training run a noticeable share of its time.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
