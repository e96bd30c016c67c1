// Entry point: applies the remembered language to <html>, then renders the
// application into #app.

import { render } from 'preact';
import { App } from './app/app';
import { applyLangToDocument } from './app/i18n';
import './styles.css';

applyLangToDocument();
const root = document.getElementById('app');
if (root) render(<App />, root);
