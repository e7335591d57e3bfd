import { render } from 'solid-js/web';
import { App } from './App';
import { initialToken, safeStorage } from './lib/token';
import { browserDeps } from './lib/transport';
import { createDashboard } from './state';
import './styles.css';

const storage = safeStorage();
// `?token=` is taken out of the address bar at once; the token then lives in localStorage.
const { token, stored } = initialToken(location, history, storage);
const root = document.getElementById('app');
if (root)
  render(() => <App dashboard={createDashboard(browserDeps(storage), storage, token, stored)} />, root);
