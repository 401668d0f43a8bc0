import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { startPlayground } from './state/controller';
import { session } from './state/sessionClient';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void startPlayground();

// A test hook (simulating a failing backend), only in builds made for tests (`vite --mode
// devpages`, what npm test builds) and in `vite dev`; a deployed build has no such handle.
declare global {
  interface Window {
    nmrnnPlayground?: { simulateBackendFailure: (reason: string) => Promise<void> };
  }
}
if (import.meta.env.DEV || import.meta.env.MODE === 'devpages') {
  window.nmrnnPlayground = {
    simulateBackendFailure: (reason) => session().simulateBackendFailure(reason),
  };
}
