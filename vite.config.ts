import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The dashboard is served by the local listener at `/` and at the seed's `/plugins/wm/admin`,
// so assets use absolute paths from the site root.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
  },
})
