// The operator console (served at /console).
import { createRoot } from 'react-dom/client';

function Console() {
  return <h1>Ecograph operator console</h1>;
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<Console />);
