// The ecosystem dashboard's browser code (bundled into dist/web/dashboard.js and .css by
// `npm run build`; served by src/server/dashboard). Settings come from the page's inert
// #ed-config JSON; the API key from the key bar (sessionStorage only); data from /graphql.
import './dashboard.css';
import { startDashboard } from './app';

startDashboard();
