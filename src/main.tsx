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

// A handle for the browser console and the browser tests (e.g. simulating a failing backend).
declare global {
  interface Window {
    nmrnnPlayground?: { simulateBackendFailure: (reason: string) => Promise<void> };
  }
}
window.nmrnnPlayground = {
  simulateBackendFailure: (reason) => session().simulateBackendFailure(reason),
};
