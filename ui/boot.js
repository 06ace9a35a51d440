// Loads the wasm UI. Kept in a file (not inline) so the content security
// policy can forbid inline scripts.
import init from './pkg/nabo_ui.js';
init();
