// The operator console (served at /console by src/server/console): partners, their agreements,
// keys, quality and ledger; onboarding from the screening ranking; consent withdrawal.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { readConfig } from './config';
import './console.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App config={readConfig()} />
    </StrictMode>,
  );
}
