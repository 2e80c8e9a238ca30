import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.js'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
createRoot(root, {
  // A page's error boundary already tells the streamer what failed; the console keeps it as a warning.
  onCaughtError: (error, info) => console.warn('A page failed and showed its error', error, info),
}).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
